"""Migration 0002 gives existing sessions an absolute end."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("jwtauth", "0001_initial")]
AFTER = [("jwtauth", "0002_tokenfamily_expires_at")]


def test_existing_sessions_end_session_lifetime_after_they_began(
    executor: MigrationExecutor,
) -> None:
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    user = old_apps.get_model("auth", "User").objects.create(username="old")
    began = datetime(2030, 1, 1, tzinfo=UTC)
    family = old_apps.get_model("jwtauth", "TokenFamily").objects.create(
        user_id=user.pk, created_at=began, last_used_at=began
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps

    migrated = new_apps.get_model("jwtauth", "TokenFamily").objects.get(pk=family.pk)
    assert migrated.expires_at == began + timedelta(days=30)

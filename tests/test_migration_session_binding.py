"""Migration 0003 binds existing live sessions to their user's password and fills in last use."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jwtauth import credentials

BEFORE = [("jwtauth", "0003_revocation_log")]
AFTER = [("jwtauth", "0004_session_binding")]


def test_live_sessions_keep_working_under_the_password_they_have(
    executor: MigrationExecutor,
) -> None:
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    user = old_apps.get_model("auth", "User").objects.create(
        username="old", password="md5$salt$0123456789abcdef0123456789abcdef"
    )
    began = datetime(2030, 1, 1, tzinfo=UTC)
    family_model = old_apps.get_model("jwtauth", "TokenFamily")
    live = family_model.objects.create(
        user_id=user.pk,
        created_at=began,
        last_used_at=began,
        expires_at=began + timedelta(days=30),
        ip="192.0.2.5",
        user_agent="Old browser",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps

    migrated = new_apps.get_model("jwtauth", "TokenFamily").objects.get(pk=live.pk)
    assert migrated.credential == credentials.fingerprint(user.password)
    assert (migrated.last_ip, migrated.last_user_agent) == ("192.0.2.5", "Old browser")

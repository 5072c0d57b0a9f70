"""Models and migrations stay in step; state helpers."""

from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command

from jwtauth import families
from jwtauth.models import RefreshToken, TokenFamily
from tests.helpers.clock import T0


def test_no_missing_migrations(db: None) -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def test_used_within() -> None:
    row = RefreshToken(used_at=None)
    assert not row.used_within(10, T0)
    row.used_at = T0
    assert row.used_within(10, T0 + timedelta(seconds=10))
    assert not row.used_within(10, T0 + timedelta(seconds=11))


def test_active_queryset_and_str(user: Any) -> None:
    pair = families.start(user=user)
    families.start(user=user)
    families.revoke(family_ids=[pair.session_id], reason="logout")
    assert TokenFamily.objects.count() == 2
    assert TokenFamily.objects.active().count() == 1
    assert "alice" in str(TokenFamily.objects.first())

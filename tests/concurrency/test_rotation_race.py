"""N real threads spend one refresh token at once: exactly one wins, the session is revoked.

Runs on PostgreSQL and on SQLite (conftest gives SQLite a file test database with
IMMEDIATE transactions, so its writers queue like PostgreSQL's row locks make them).
"""

from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth import signals
from jwtauth.models import RefreshToken, RevokeReason, SessionUse, TokenFamily
from tests.helpers.threads import run_together

THREADS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def _race(refresh: str) -> list[tuple[int, dict[str, Any]]]:
    def spend() -> tuple[int, dict[str, Any]]:
        response = APIClient().post("/api/auth/refresh/", {"refresh": refresh}, format="json")
        return response.status_code, response.json()

    return run_together([spend] * THREADS)


def test_concurrent_refresh_with_one_token(
    make_user: Any, login: Any, receive: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    reused = receive(signals.refresh_token_reused)
    user = make_user("racer")
    first = login(user)
    results = _race(first["refresh"])
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [401] * (THREADS - 1)
    codes = [body["code"] for status, body in results if status == 401]
    # A loser either saw the token spent (reuse) or, later, the session already revoked.
    assert set(codes) <= {"token_reused", "token_revoked"}
    assert "token_reused" in codes
    assert len(reused) == codes.count("token_reused")
    family = TokenFamily.objects.get()
    assert family.revoked_at is not None
    assert family.revoke_reason == RevokeReason.REUSE
    # One child was issued: the first token plus exactly one successor.
    assert RefreshToken.objects.filter(family=family).count() == 2
    assert RefreshToken.objects.filter(family=family, used_at__isnull=False).count() == 1
    # The lineage holds the login and the one refresh that won, no loser's.
    assert SessionUse.objects.filter(family=family, kind="refresh").count() == 1

"""20 real threads present one refresh token to allauth's refresh endpoint at once: the session
keeps one chain (never two live successors). PostgreSQL in CI's second run; SQLite queues."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth.models import RefreshToken, TokenFamily
from jwtauth.tokens import verify_refresh
from tests.helpers.accounts import PASSWORD
from tests.helpers.allauth import APP
from tests.helpers.threads import run_together

THREADS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def _race(refresh: str) -> list[tuple[int, dict[str, Any]]]:
    def spend() -> tuple[int, dict[str, Any]]:
        response = APIClient().post(
            f"{APP}/tokens/refresh", {"refresh_token": refresh}, format="json"
        )
        return response.status_code, response.json()

    return run_together([spend] * THREADS)


def test_concurrent_refresh_through_allauth_keeps_one_chain(api: APIClient, make_user: Any) -> None:
    user = make_user("racer")
    login = api.post(
        f"{APP}/auth/login",
        {"username": user.username, "password": PASSWORD},
        format="json",
    )
    refresh = login.json()["meta"]["refresh_token"]
    results = _race(refresh)
    assert len(results) == THREADS
    assert {status for status, _ in results} <= {200, 400}
    successors = {body["data"]["refresh_token"] for status, body in results if status == 200}
    assert len(successors) == 1  # one chain: every winner holds the same successor
    family = TokenFamily.objects.get()
    live = RefreshToken.objects.filter(family=family, used_at__isnull=True, revoked_at__isnull=True)
    assert live.count() <= 1
    if family.revoked_at is None:  # no replay was seen: the successor is the live token
        assert live.get().jti in {verify_refresh(token)["jti"] for token in successors}

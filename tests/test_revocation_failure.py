"""An unreachable revocation cache: Bearer authentication fails closed unless told otherwise."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from jwtauth import revocation
from jwtauth.models import RevokeReason, TokenFamily
from tests.conftest import DEAD_REDIS, bearer


@pytest.fixture
def dead_cache() -> Iterator[None]:
    """The revocation cache is a Redis server that is down; the default cache still works.

    override_settings rather than the settings fixture: it is undone before the autouse
    fixture clears every configured cache.
    """
    caches = {**settings.CACHES, "revocation": DEAD_REDIS}
    with override_settings(CACHES=caches, JWTAUTH={"REVOCATION_CACHE": "revocation"}):
        yield


@pytest.fixture
def tokens(user: Any, login: Any) -> dict[str, Any]:
    return login(user)  # logged in while the cache was up


def test_bearer_fails_closed_with_503(
    api: APIClient, tokens: dict[str, Any], dead_cache: None
) -> None:
    response = api.get("/api/auth/me/", **bearer(tokens["access"]))

    assert response.status_code == 503
    assert response.json()["code"] == "revocation_unavailable"


def test_fail_open_accepts_the_token(
    api: APIClient, tokens: dict[str, Any], dead_cache: None, caplog: Any
) -> None:
    with override_settings(
        JWTAUTH={"REVOCATION_CACHE": "revocation", "REVOCATION_FAIL_OPEN": True}
    ):
        response = api.get("/api/auth/me/", **bearer(tokens["access"]))

    assert response.status_code == 200
    assert "fail open" in caplog.text


def test_an_invalid_token_is_refused_before_the_cache_is_asked(
    api: APIClient, db: None, dead_cache: None
) -> None:
    response = api.get("/api/auth/me/", HTTP_AUTHORIZATION="Bearer forged")

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_revocation_still_ends_the_session_in_the_database(
    api: APIClient, tokens: dict[str, Any], dead_cache: None, caplog: Any
) -> None:
    response = api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 204
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.LOGOUT
    assert "Revocation cache unreachable" in caplog.text
    refresh = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert refresh.json()["code"] == "token_revoked"


def test_revoke_user_before_logs_instead_of_raising(dead_cache: None, caplog: Any) -> None:
    revocation.revoke_user_before(1, timezone.now())

    assert "user 1 not denied" in caplog.text

"""An unreachable rate-limit cache: a clear 503, never a 500, never an unlimited endpoint."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer
from tests.helpers.openapi import documented

# A cache whose Redis server is down.
DEAD_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    "OPTIONS": {"socket_connect_timeout": 0.5},
}


@pytest.fixture
def dead_ratelimit_cache() -> Iterator[None]:
    # override_settings: undone before the autouse fixture clears every configured cache.
    caches = {**settings.CACHES, "limits": DEAD_REDIS}
    with override_settings(CACHES=caches, JWTAUTH={"RATELIMIT_CACHE": "limits"}):
        yield


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/login/", {"username": "alice", "password": PASSWORD}),
        ("/api/auth/refresh/", {"refresh": "x"}),
        ("/api/auth/register/", {"username": "b", "email": "b@example.com", "password": PASSWORD}),
        ("/api/auth/password/reset/", {"email": "alice@example.com"}),
        ("/api/auth/password/change/", {"old_password": PASSWORD, "new_password": "N3w-pass!x"}),
    ],
)
def test_limited_endpoints_answer_503_when_the_counters_cannot_be_reached(
    api: APIClient,
    user: Any,
    login: Any,
    dead_ratelimit_cache: None,
    path: str,
    body: dict[str, Any],
) -> None:
    if path.endswith("change/"):
        with override_settings(JWTAUTH={}):  # log in with working counters
            api.credentials(**bearer(login(user)["access"]))

    response = api.post(path, body, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "rate_limit_unavailable"
    # The schema tells a client to expect it.
    assert "rate_limit_unavailable" in documented(path, "post", 503)

"""jwtauth's strategy against allauth's own JWT strategy, measured through allauth's app API.

Run ``DEMO_ALLAUTH=1 python -m tests.allauth.compare`` for the table in docs/allauth.md;
tests/allauth/test_compare.py asserts its behaviour columns.
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import APIException
from rest_framework.test import APIClient, APIRequestFactory

APP = "/_allauth/app/v1"
PASSWORD = "correct-horse-battery-staple"
OURS = "jwtauth.contrib.allauth.strategy.JWTAuthTokenStrategy"
ALLAUTH_JWT = {
    "HEADLESS_TOKEN_STRATEGY": "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy",
    "HEADLESS_JWT_ALGORITHM": "HS256",
    "HEADLESS_JWT_PRIVATE_KEY": "allauth-jwt-comparison-key-0123456789abcdef",
}


def _bearer_authenticator(strategy: str) -> Callable[[str], Any]:
    """What a DRF view does with a Bearer token under ``strategy``: authenticate, read pk."""
    if strategy == OURS:
        from jwtauth.authentication import JWTAuthentication as Auth
    else:
        from allauth.headless.contrib.rest_framework.authentication import (
            JWTTokenAuthentication as Auth,
        )
    factory = APIRequestFactory()

    def authenticate(access: str) -> Any:
        from rest_framework.request import Request

        request = Request(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {access}"))
        try:
            result = Auth().authenticate(request)
        except APIException:  # refused: invalid, expired or revoked
            return None
        return result and result[0].pk

    return authenticate


def _login(client: APIClient, username: str) -> dict[str, Any]:
    response = client.post(
        f"{APP}/auth/login", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]


def _refresh(client: APIClient, refresh: str) -> Any:
    return client.post(f"{APP}/tokens/refresh", {"refresh_token": refresh}, format="json")


def measure(strategy_settings: dict[str, Any], *, rounds: int = 0) -> dict[str, Any]:
    """Behaviour (and, with ``rounds``, cost) of one token strategy; needs a database."""
    strategy = strategy_settings["HEADLESS_TOKEN_STRATEGY"]
    username = f"cmp{time.monotonic_ns()}"
    get_user_model().objects.create_user(username=username, password=PASSWORD)
    client, authenticate = APIClient(), _bearer_authenticator(strategy)
    result: dict[str, Any] = {}
    with override_settings(**strategy_settings):
        # Replay: rotate twice, present the first refresh token again. Not the parent of the
        # live token: jwtauth's grace window hands a parent replayed at once the same successor.
        first = _login(client, username)
        middle = _refresh(client, first["refresh_token"]).json()["data"]
        second = _refresh(client, middle["refresh_token"]).json()["data"]
        result["replay_status"] = _refresh(client, first["refresh_token"]).status_code
        result["after_replay_successor_refreshes"] = (
            _refresh(client, second["refresh_token"]).status_code == 200
        )
        result["after_replay_access_accepted"] = authenticate(second["access_token"]) is not None
        # Logout through allauth, then the same access token on a DRF view.
        tokens = _login(client, username)
        access = tokens["access_token"]
        with CaptureQueriesContext(connection) as queries:
            assert authenticate(access) is not None
        result["bearer_queries"] = len(queries)
        if rounds:
            result["bearer_us"] = _time(lambda: authenticate(access), rounds)
        client.delete(f"{APP}/auth/session", HTTP_AUTHORIZATION=f"Bearer {access}")
        result["after_logout_access_accepted"] = authenticate(access) is not None
    return result


def _time(call: Callable[[], Any], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


CANDIDATES = {
    "jwtauth strategy": {"HEADLESS_TOKEN_STRATEGY": OURS},
    "allauth JWTTokenStrategy (default, stateless)": ALLAUTH_JWT,
    "allauth JWTTokenStrategy, stateful validation": {
        **ALLAUTH_JWT,
        "HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED": True,
    },
}


def main() -> None:  # pragma: no cover - a measurement, not a test
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    header = f"{'strategy':48} replay  successor  access-after-replay  access-after-logout"
    print(header + "  Bearer queries  Bearer µs (median)")
    for name, strategy_settings in CANDIDATES.items():
        r = measure(strategy_settings, rounds=2000)
        replay, logout = r["after_replay_access_accepted"], r["after_logout_access_accepted"]
        print(
            f"{name:48} {r['replay_status']:>6}  {r['after_replay_successor_refreshes']!s:>9}"
            f"  {replay!s:>19}  {logout!s:>19}"
            f"  {r['bearer_queries']:>14}  {r['bearer_us']:>17.1f}"
        )


if __name__ == "__main__":  # pragma: no cover
    main()

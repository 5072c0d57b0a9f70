"""Real threads on PostgreSQL present one refresh token at once: inside the grace window every
one gets the same successor and the session lives; a grandparent, or the parent after the
window, is reuse."""

import threading
from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth import signals
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.http import bearer
from tests.helpers.threads import run_together

THREADS = 24

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(refresh: str) -> list[tuple[int, dict[str, Any]]]:
    def present() -> tuple[int, dict[str, Any]]:
        response = APIClient().post(
            "/api/auth/refresh/",
            {"refresh": refresh},
            format="json",
            REMOTE_ADDR=f"192.0.2.{threading.get_ident() % 200 + 1}",
        )
        return response.status_code, response.json()

    return run_together([present] * THREADS)


def test_concurrent_refreshes_inside_the_window_share_one_successor(
    make_user: Any, login: Any, receive: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    tokens = login(make_user("tabs"))

    results = _race(tokens["refresh"])

    assert [status for status, _ in results] == [200] * THREADS
    assert len({body["refresh"] for _, body in results}) == 1
    assert len({body["access"] for _, body in results}) == THREADS
    assert reused == []
    family = TokenFamily.objects.get()
    assert family.revoked_at is None
    # One chain: the login token, spent once, and its one successor.
    assert RefreshToken.objects.filter(family=family).count() == 2
    successor = results[0][1]
    api = APIClient()
    assert api.get("/api/auth/me/", **bearer(successor["access"])).status_code == 200
    onward = api.post("/api/auth/refresh/", {"refresh": successor["refresh"]}, format="json")
    assert onward.status_code == 200


def test_concurrent_replays_of_a_grandparent_revoke_the_session(
    make_user: Any, login: Any, receive: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    tokens = login(make_user("thief"))
    api = APIClient()
    child = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json").json()
    api.post("/api/auth/refresh/", {"refresh": child["refresh"]}, format="json")

    results = _race(tokens["refresh"])

    assert {status for status, _ in results} == {401}
    assert {body["code"] for _, body in results} <= {"token_reused", "token_revoked"}
    assert len(reused) >= 1
    family = TokenFamily.objects.get()
    assert family.revoke_reason == RevokeReason.REUSE


def test_concurrent_replays_after_the_window_revoke_the_session(
    make_user: Any, login: Any, receive: Any, clock: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    tokens = login(make_user("late"))
    api = APIClient()
    child = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json").json()
    clock.shift(31)

    results = _race(tokens["refresh"])

    assert {status for status, _ in results} == {401}
    assert "token_reused" in {body["code"] for _, body in results}
    assert len(reused) >= 1
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.REUSE
    late = api.post("/api/auth/refresh/", {"refresh": child["refresh"]}, format="json")
    assert late.json()["code"] == "token_revoked"

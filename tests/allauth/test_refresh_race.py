"""20 real threads present one refresh token to allauth's refresh endpoint at once: the session
keeps one chain (never two live successors). PostgreSQL in CI's second run; SQLite queues."""

import threading
from typing import Any

import pytest
from django.db import connections
from rest_framework.test import APIClient

from jwtauth.models import RefreshToken, TokenFamily
from jwtauth.tokens import verify_refresh
from tests.allauth.conftest import APP

THREADS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def _race(refresh: str) -> list[tuple[int, dict[str, Any]]]:
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict[str, Any]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def spend() -> None:
        try:
            barrier.wait(timeout=30)
            response = APIClient().post(
                f"{APP}/tokens/refresh", {"refresh_token": refresh}, format="json"
            )
            with lock:
                results.append((response.status_code, response.json()))
        except BaseException as exc:  # reported by the main thread
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def test_concurrent_refresh_through_allauth_keeps_one_chain(api: APIClient, make_user: Any) -> None:
    user = make_user("racer")
    login = api.post(
        f"{APP}/auth/login",
        {"username": user.username, "password": "correct-horse-battery-staple"},
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

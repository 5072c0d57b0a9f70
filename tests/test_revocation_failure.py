"""An unreadable revocation log: Bearer authentication fails closed unless told otherwise, and
a revocation never answers success unless its log entry is committed."""

from typing import Any

import pytest
from django.db import DatabaseError, OperationalError
from rest_framework.test import APIClient

from jwtauth import revocation, revocation_store
from jwtauth.models import RevocationEntry, TokenFamily
from tests.helpers.http import bearer


@pytest.fixture
def tokens(user: Any, login: Any, log_read: None) -> dict[str, Any]:
    return login(user)  # logged in, the log read once, while the database was up


@pytest.fixture
def log_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(revocation_store, "read_since", unreachable)


def test_bearer_fails_closed_with_503_when_a_read_is_due(
    api: APIClient, tokens: dict[str, Any], log_down: None, revocation_clock: Any
) -> None:
    assert api.get("/api/auth/me/", **bearer(tokens["access"])).status_code == 200  # not due
    revocation_clock.advance(0.25)

    response = api.get("/api/profile/", **bearer(tokens["access"]))

    assert response.status_code == 503
    assert response.json()["code"] == "revocation_unavailable"


def test_a_new_process_that_cannot_read_the_log_answers_nothing(
    api: APIClient, user: Any, login: Any, log_down: None
) -> None:
    access = login(user)["access"]

    response = api.get("/api/profile/", **bearer(access))

    assert (response.status_code, response.json()["code"]) == (503, "revocation_unavailable")


def test_fail_open_answers_from_memory(
    api: APIClient,
    user: Any,
    login: Any,
    tokens: dict[str, Any],
    settings: Any,
    revocation_clock: Any,
    caplog: Any,
) -> None:
    other = login(user)
    api.post("/api/auth/logout/", {"refresh": other["refresh"]}, format="json")
    api.get("/api/profile/", **bearer(tokens["access"]))  # reads the logout
    settings.JWTAUTH = {"REVOCATION_FAIL_OPEN": True}
    revocation_clock.advance(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(revocation_store, "read_since", _unreachable)
        assert api.get("/api/profile/", **bearer(tokens["access"])).status_code == 200
        revoked = api.get("/api/profile/", **bearer(other["access"]))

    assert revoked.json()["code"] == "token_revoked"  # memory still refuses what it holds
    assert "fail open" in caplog.text


def _unreachable(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("connection refused")


def test_an_invalid_token_is_refused_before_the_log_is_read(
    api: APIClient, db: None, log_down: None
) -> None:
    response = api.get("/api/auth/me/", HTTP_AUTHORIZATION="Bearer forged")

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def _failing_append(monkeypatch: pytest.MonkeyPatch) -> None:
    def append(rows: Any) -> Any:
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(revocation_store, "append", append)


@pytest.mark.parametrize("how", ["logout", "logout_by_bearer", "logout_all"])
def test_no_success_unless_the_log_entry_is_written(
    api: APIClient,
    tokens: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    _failing_append(monkeypatch)
    api.raise_request_exception = False
    if how == "logout":
        response = api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    elif how == "logout_by_bearer":
        response = api.post("/api/auth/logout/", **bearer(tokens["access"]))
    else:
        response = api.post("/api/auth/logout-all/", **bearer(tokens["access"]))

    assert response.status_code == 500
    # Rolled back with it: nothing claims a revocation that processes could not see.
    assert TokenFamily.objects.get().revoked_at is None


def test_admin_revocation_fails_without_its_log_entry(
    admin_client: Any, tokens: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_append(monkeypatch)
    admin_client.raise_request_exception = False
    family = TokenFamily.objects.get()

    response = admin_client.post(
        "/admin/jwtauth/tokenfamily/",
        {"action": "revoke_sessions", "_selected_action": [str(family.pk)]},
    )

    assert response.status_code == 500
    family.refresh_from_db()
    assert family.revoked_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/auth/logout/", "/api/auth/logout-all/"])
def test_success_means_the_entry_is_committed(
    api: APIClient, user: Any, login: Any, path: str
) -> None:
    tokens = login(user)
    body = {"refresh": tokens["refresh"]} if path.endswith("logout/") else None
    response = api.post(path, body, format="json", **bearer(tokens["access"]))

    assert response.status_code == 204
    # No test transaction around this one: what is read here is committed.
    assert RevocationEntry.objects.count() >= 1
    revocation.reset()
    assert api.get("/api/profile/", **bearer(tokens["access"])).json()["code"] == "token_revoked"

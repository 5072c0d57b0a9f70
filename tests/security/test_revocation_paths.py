"""Every way a session ends: its access token is refused on the very next request, while a
sibling session (same user, or another user for account-wide paths) keeps working."""

from collections.abc import Callable
from typing import Any

import jwt
import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.helpers.http import bearer

Tokens = dict[str, Any]


def sid(tokens: Tokens) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def logout_by_refresh(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")


def logout_by_bearer(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    api.post("/api/auth/logout/", **bearer(tokens["access"]))


def delete_session(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    api.delete(f"/api/auth/sessions/{sid(tokens)}/", **bearer(tokens["access"]))


def admin_revokes_session(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    admin.post(
        "/admin/jwtauth/tokenfamily/",
        {"action": "revoke_sessions", "_selected_action": [sid(tokens)]},
    )


def refresh_token_replayed(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    # A grandparent: reuse even inside the grace window.
    child = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json").json()
    api.post("/api/auth/refresh/", {"refresh": child["refresh"]}, format="json")
    api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")


def logout_all(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    api.post("/api/auth/logout-all/", **bearer(tokens["access"]))


def password_changed(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    user.set_password("a-brand-new-passphrase")
    user.save()


def deactivated(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    user.is_active = False
    user.save()


def deleted(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    user.delete()


def admin_logs_user_out(api: APIClient, admin: Client, user: Any, tokens: Tokens) -> None:
    admin.post("/admin/auth/user/", {"action": "log_out_everywhere", "_selected_action": [user.pk]})


Path = Callable[[APIClient, Client, Any, Tokens], None]


@pytest.mark.parametrize(
    "end_session",
    [logout_by_refresh, logout_by_bearer, delete_session, admin_revokes_session,
     refresh_token_replayed],
)  # fmt: skip
def test_one_session_ends(
    api: APIClient, admin_client: Client, user: Any, login: Any, end_session: Path
) -> None:
    tokens, sibling = login(user), login(user)

    end_session(api, admin_client, user, tokens)

    response = api.get("/api/auth/me/", **bearer(tokens["access"]))
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")
    assert api.get("/api/auth/me/", **bearer(sibling["access"])).status_code == 200
    refreshed = api.post("/api/auth/refresh/", {"refresh": sibling["refresh"]}, format="json")
    assert refreshed.status_code == 200


@pytest.mark.parametrize(
    "end_sessions",
    [logout_all, password_changed, deactivated, deleted, admin_logs_user_out],
)
def test_every_session_of_the_account_ends(
    api: APIClient,
    admin_client: Client,
    user: Any,
    make_user: Any,
    login: Any,
    end_sessions: Path,
) -> None:
    sessions = [login(user), login(user)]
    other_account = login(make_user())

    end_sessions(api, admin_client, user, sessions[0])

    for tokens in sessions:
        response = api.get("/api/auth/me/", **bearer(tokens["access"]))
        assert (response.status_code, response.json()["code"]) == (401, "token_revoked")
        refresh = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")
        assert refresh.status_code == 401
    assert api.get("/api/auth/me/", **bearer(other_account["access"])).status_code == 200

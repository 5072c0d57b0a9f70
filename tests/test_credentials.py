"""Sessions die with the password they started under, by any path that changes it."""

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from jwtauth import accounts, credentials
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer

pytestmark = pytest.mark.django_db
REFRESH = "/api/auth/refresh/"


def refresh(api: APIClient, tokens: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = api.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    return response.status_code, response.json()


def me(api: APIClient, tokens: dict[str, Any]) -> int:
    return api.get("/api/auth/me/", **bearer(tokens["access"])).status_code


def test_the_session_stores_an_hmac_of_the_hash_never_the_hash(user: Any, login: Any) -> None:
    login(user)
    stored = TokenFamily.objects.get().credential
    assert stored == credentials.of(user)
    assert len(stored) == 64 and user.password not in stored and stored not in user.password


def test_set_unusable_password_ends_every_session_at_once(
    api: APIClient, user: Any, login: Any
) -> None:
    tokens = login(user)
    user.set_unusable_password()  # the admin's "disable password-based authentication"
    user.save()

    assert me(api, tokens) == 401
    status, body = refresh(api, tokens)
    assert (status, body["code"]) == (401, "token_revoked")
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.PASSWORD_CHANGE


def test_bulk_update_of_the_password_ends_sessions_at_their_next_refresh(
    api: APIClient, user: Any, login: Any
) -> None:
    tokens, other = login(user), login(user)
    get_user_model().objects.filter(pk=user.pk).update(password="!bulk-disabled")  # no signal

    # Listed no more: the next refresh would end it.
    listing = api.get("/api/auth/sessions/", **bearer(other["access"]))
    assert listing.status_code == 200 and listing.json() == []
    status, body = refresh(api, tokens)
    assert (status, body["code"], body["reason"]) == (401, "token_revoked", "password_change")
    assert me(api, tokens) == 401  # the session's access tokens die with it
    assert refresh(api, other)[1]["code"] == "token_revoked"
    assert {f.revoke_reason for f in TokenFamily.objects.all()} == {RevokeReason.PASSWORD_CHANGE}


def test_changepassword_command_ends_sessions(
    api: APIClient, user: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = login(user)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-brand-new-passphrase-9")
    call_command("changepassword", user.username, stdout=StringIO())

    assert me(api, tokens) == 401
    assert refresh(api, tokens)[1]["code"] == "token_revoked"


def test_api_password_change_keeps_the_callers_session_working(
    api: APIClient, user: Any, login: Any
) -> None:
    mine, other = login(user), login(user)
    response = api.post(
        "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": "a-brand-new-passphrase-9"},
        format="json",
        **bearer(mine["access"]),
    )
    assert response.status_code == 204
    # The kept session was bound to the new password and refreshes on.
    assert refresh(api, mine)[0] == 200
    assert refresh(api, other)[1]["code"] == "token_revoked"


def test_a_login_whose_check_ran_before_a_reset_committed_gets_no_session(
    api: APIClient, user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = accounts.authenticate

    def reset_commits_after_the_check(request: Any, **credentials: Any) -> Any:
        found = checked(request, **credentials)
        # A password reset confirmed between the password check and the session's start.
        fresh = get_user_model().objects.get(pk=found.pk)
        fresh.set_password("the-reset-passphrase-9")
        fresh.save()
        return found

    monkeypatch.setattr(accounts, "authenticate", reset_commits_after_the_check)
    response = api.post(
        "/api/auth/login/",
        {"username": user.username, "password": PASSWORD, "transport": "body"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (401, "invalid_credentials")
    assert not TokenFamily.objects.active().exists()


def test_rotating_secret_key_with_a_fallback_keeps_sessions(
    api: APIClient, user: Any, login: Any, settings: Any
) -> None:
    tokens = login(user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert refresh(api, tokens)[0] == 200


def test_refresh_after_revocation_says_why(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)
    api.post("/api/auth/logout-all/", **bearer(tokens["access"]))
    status, body = refresh(api, tokens)
    assert (status, body["code"], body["reason"]) == (401, "token_revoked", "logout_all")

"""POST /api/auth/logout/: revoke the session by cookie, body or Bearer; its access tokens die."""

from typing import Any

import pytest

from jwtauth import tokens
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.http import bearer, csrf_header

URL = "/api/auth/logout/"


def _sid(access: str) -> str:
    return tokens.verify_access(access)["sid"]


def _profile(client: Any, access: str) -> Any:
    return client.get("/api/profile/", **bearer(access))


def test_cookie_logout_needs_csrf(browser: Any, user: Any, browser_login: Any) -> None:
    access = browser_login(user).json()["access"]
    response = browser.post(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert TokenFamily.objects.get().revoked_at is None
    assert _profile(browser, access).status_code == 200


def test_cookie_logout(browser: Any, api: Any, user: Any, browser_login: Any, login: Any) -> None:
    access = browser_login(user).json()["access"]
    sibling = login(user)  # another device of the same user
    response = browser.post(URL, **csrf_header(browser))
    assert response.status_code == 204
    cookie = response.cookies["refresh_token"]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert cookie["path"] == "/api/auth/"
    family = TokenFamily.objects.get(pk=_sid(access))
    assert family.revoke_reason == RevokeReason.LOGOUT
    assert not RefreshToken.objects.filter(family=family, revoked_at__isnull=True).exists()
    # That session's access token fails at once; the sibling session keeps working.
    revoked = _profile(api, access)
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "token_revoked"
    assert _profile(api, sibling["access"]).status_code == 200
    assert (
        api.post("/api/auth/refresh/", {"refresh": sibling["refresh"]}, format="json").status_code
        == 200
    )
    # The cleared cookie no longer refreshes.
    again = browser.post("/api/auth/refresh/", **csrf_header(browser))
    assert again.status_code == 401


def test_body_logout(api: Any, user: Any, login: Any) -> None:
    body, sibling = login(user), login(user)
    response = api.post(URL, {"refresh": body["refresh"]}, format="json")
    assert response.status_code == 204
    assert _profile(api, body["access"]).json()["code"] == "token_revoked"
    assert _profile(api, sibling["access"]).status_code == 200
    refresh = api.post("/api/auth/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refresh.json()["code"] == "token_revoked"


def test_body_logout_with_a_spent_refresh_token(api: Any, user: Any, login: Any) -> None:
    body = login(user)
    rotated = api.post("/api/auth/refresh/", {"refresh": body["refresh"]}, format="json").json()
    assert api.post(URL, {"refresh": body["refresh"]}, format="json").status_code == 204
    assert _profile(api, rotated["access"]).json()["code"] == "token_revoked"
    # Logging out a spent token is not a replay.
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.LOGOUT


def test_bearer_only_logout(api: Any, user: Any, login: Any) -> None:
    body, sibling = login(user), login(user)
    response = api.post(URL, **bearer(body["access"]))
    assert response.status_code == 204
    assert TokenFamily.objects.get(pk=_sid(body["access"])).revoke_reason == RevokeReason.LOGOUT
    assert _profile(api, body["access"]).json()["code"] == "token_revoked"
    assert _profile(api, sibling["access"]).status_code == 200


def test_logout_with_expired_bearer_still_uses_the_refresh_token(
    api: Any, user: Any, login: Any, clock: Any
) -> None:
    # Clients (jwtauth.js among them) send their last access token along; once it has
    # expired, logging out must still revoke the session named by the refresh token.
    body = login(user)
    clock.shift(15 * 60)
    response = api.post(URL, {"refresh": body["refresh"]}, format="json", **bearer(body["access"]))
    assert response.status_code == 204
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.LOGOUT


def test_logout_with_nothing_is_not_authenticated(api: Any, db: None) -> None:
    response = api.post(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_logout_with_garbage_refresh_is_token_invalid(api: Any, user: Any, login: Any) -> None:
    login(user)
    response = api.post(URL, {"refresh": "garbage"}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert TokenFamily.objects.get().revoked_at is None


@pytest.mark.parametrize("body", ["[null, null]", '"text"', "null", "3"])
def test_logout_with_a_body_that_is_not_an_object_is_parse_error(
    api: Any, user: Any, login: Any, body: str
) -> None:
    # Found by schemathesis: a JSON array was read as "no refresh token" and the Bearer
    # session was revoked on a request whose body could not be understood.
    tokens_ = login(user)
    response = api.post(URL, body, content_type="application/json", **bearer(tokens_["access"]))
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert TokenFamily.objects.get().revoked_at is None


def test_logout_with_bad_bearer_is_token_invalid(api: Any, db: None) -> None:
    response = api.post(URL, **bearer("garbage"))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_logout_twice_is_harmless(api: Any, user: Any, login: Any) -> None:
    body = login(user)
    assert api.post(URL, {"refresh": body["refresh"]}, format="json").status_code == 204
    assert api.post(URL, {"refresh": body["refresh"]}, format="json").status_code == 204

"""POST /api/auth/refresh/: rotation by cookie (CSRF) or body, and each failure."""

from datetime import timedelta
from typing import Any

import pytest

from jwtauth import signals, tokens
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.http import bearer, csrf_header

URL = "/api/auth/refresh/"


def _refresh(client: Any, token: Any = None, **extra: Any) -> Any:
    data = {} if token is None else {"refresh": token}
    return client.post(URL, data, format="json", **extra)


def test_cookie_refresh_without_csrf_header_is_csrf_failed(
    browser: Any, user: Any, browser_login: Any
) -> None:
    browser_login(user)
    response = _refresh(browser)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert RefreshToken.objects.get().used_at is None


def test_cookie_refresh_with_wrong_csrf_header_is_csrf_failed(
    browser: Any, user: Any, browser_login: Any
) -> None:
    browser_login(user)
    response = _refresh(browser, HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_cookie_refresh_with_csrf_rotates_the_cookie(
    browser: Any, user: Any, browser_login: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    old = browser_login(user).cookies["refresh_token"].value
    response = _refresh(browser, **csrf_header(browser))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "token_type", "expires_in"}
    cookie = response.cookies["refresh_token"]
    assert cookie.value != old
    assert tokens.verify_refresh(cookie.value)["sid"] == tokens.verify_refresh(old)["sid"]
    assert cookie["httponly"] is True
    assert (cookie["path"], cookie["samesite"], cookie["max-age"]) == (
        "/api/auth/",
        "Strict",
        604800,
    )
    assert tokens.verify_access(body["access"])["sub"] == str(user.pk)
    # The old cookie is dead; the new one works.
    browser.cookies["refresh_token"] = old
    replay = _refresh(browser, **csrf_header(browser))
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"


def test_body_refresh(api: Any, user: Any, login: Any, receive: Any) -> None:
    refreshed = receive(signals.token_refreshed)
    first = login(user)
    response = _refresh(api, first["refresh"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "token_type", "expires_in", "refresh"}
    assert body["refresh"] != first["refresh"]
    assert "refresh_token" not in response.cookies
    assert api.get("/api/auth/me/", **bearer(body["access"])).status_code == 200
    assert [c["request"].path for c in refreshed] == [URL]
    # The next rotation uses the new token.
    assert _refresh(api, body["refresh"]).status_code == 200


def test_body_wins_over_cookie(api: Any, user: Any, login: Any) -> None:
    body = login(user)
    api.cookies["refresh_token"] = "garbage"
    assert _refresh(api, body["refresh"]).status_code == 200


def test_old_token_is_dead_after_use(
    api: Any, user: Any, login: Any, receive: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    reused = receive(signals.refresh_token_reused)
    first = login(user)
    second = _refresh(api, first["refresh"]).json()
    response = _refresh(api, first["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "token_reused"
    family = TokenFamily.objects.get()
    assert family.revoke_reason == RevokeReason.REUSE
    assert len(reused) == 1 and reused[0]["user"] == user and reused[0]["family"] == family
    assert reused[0]["request"].path == URL
    # The whole session is gone: the child refresh token and the access tokens.
    assert _refresh(api, second["refresh"]).json()["code"] == "token_revoked"
    for access in (first["access"], second["access"]):
        assert api.get("/api/profile/", **bearer(access)).json()["code"] == "token_revoked"


def test_grace_window_over_http(api: Any, user: Any, login: Any, settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 5}
    first = login(user)
    successor = _refresh(api, first["refresh"]).json()["refresh"]
    clock.shift(5)
    again = _refresh(api, first["refresh"])
    assert again.status_code == 200
    assert again.json()["refresh"] == successor
    assert TokenFamily.objects.get().revoked_at is None
    clock.shift(1)
    assert _refresh(api, first["refresh"]).json()["code"] == "token_reused"


def test_missing_token_is_not_authenticated(api: Any, db: None) -> None:
    response = _refresh(api)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_null_token_is_not_authenticated(api: Any, db: None) -> None:
    assert _refresh(api, None).json()["code"] == "not_authenticated"


@pytest.mark.parametrize("value", [123, ["a"], {"a": 1}, True, ""])
def test_non_string_refresh_is_token_invalid(api: Any, db: None, value: Any) -> None:
    response = api.post(URL, {"refresh": value}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


@pytest.mark.parametrize("body", ["[]", '"token"', "null", "1"])
def test_body_that_is_not_an_object_is_parse_error(api: Any, db: None, body: str) -> None:
    response = api.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("value", ["garbage", "a.b.c", "x" * 10000, "é.é.é"])
def test_garbage_refresh_is_token_invalid(api: Any, db: None, value: str) -> None:
    response = _refresh(api, value)
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_refresh_with_a_lone_surrogate_is_token_invalid(api: Any, db: None) -> None:
    # Found while widening the property tests: JSON can carry "\ud800", which UTF-8 cannot
    # encode; PyJWT raised UnicodeEncodeError (a 500). A JWT is ASCII: other text is refused.
    response = api.post(URL, '{"refresh": "a\\ud800b"}', content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_expired_refresh_is_token_expired(api: Any, user: Any, login: Any, clock: Any) -> None:
    first = login(user)
    clock.shift(timedelta(days=7))
    response = _refresh(api, first["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_revoked_session_is_token_revoked(api: Any, user: Any, login: Any) -> None:
    first = login(user)
    assert (
        api.post("/api/auth/logout/", {"refresh": first["refresh"]}, format="json").status_code
        == 204
    )
    response = _refresh(api, first["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


@pytest.mark.user_fields("is_active")
def test_inactive_user_is_token_revoked(api: Any, user: Any, login: Any) -> None:
    first = login(user)
    user.is_active = False
    user.save()
    assert _refresh(api, first["refresh"]).json()["code"] == "token_revoked"


def test_disabled_body_transport_ignores_body(
    api: Any, user: Any, login: Any, settings: Any
) -> None:
    first = login(user)
    settings.JWTAUTH = {"TRANSPORTS": ("cookie",)}
    response = _refresh(api, first["refresh"])
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert RefreshToken.objects.get().used_at is None


def test_disabled_cookie_transport_ignores_cookie(
    browser: Any, user: Any, browser_login: Any, settings: Any
) -> None:
    browser_login(user)
    settings.JWTAUTH = {"TRANSPORTS": ("body",)}
    response = _refresh(browser, **csrf_header(browser))
    assert response.json()["code"] == "not_authenticated"

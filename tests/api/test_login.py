"""POST /api/auth/login/: success with either transport, and each failure."""

from typing import Any

import pytest

from jwtauth import tokens
from jwtauth.models import RefreshToken, TokenFamily
from tests.helpers.accounts import PASSWORD, username_of

URL = "/api/auth/login/"
ALICE = username_of("alice")


def _post(client: Any, data: Any, **extra: Any) -> Any:
    return client.post(URL, data, format="json", **extra)


def test_cookie_transport_by_default(browser: Any, user: Any) -> None:
    response = _post(browser, {"username": ALICE, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert tokens.verify_access(body["access"])["sub"] == str(user.pk)
    assert response["Cache-Control"] == "no-store"
    cookie = response.cookies["refresh_token"]
    assert tokens.verify_refresh(cookie.value)["sid"] == str(TokenFamily.objects.get().pk)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/auth/"
    assert cookie["max-age"] == 604800
    assert cookie["secure"] is True  # DEBUG is off
    assert cookie["domain"] == ""
    # A CSRF cookie for the next cookie-borne refresh or logout.
    assert response.cookies["csrftoken"].value


def test_cookie_not_secure_when_debug(browser: Any, user: Any, settings: Any) -> None:
    settings.DEBUG = True
    response = _post(browser, {"username": ALICE, "password": PASSWORD})
    assert response.cookies["refresh_token"]["secure"] == ""


def test_cookie_settings_apply(browser: Any, user: Any, settings: Any) -> None:
    settings.JWTAUTH = {
        "COOKIE_NAME": "rt",
        "COOKIE_SAMESITE": "Lax",
        "COOKIE_DOMAIN": "example.com",
        "COOKIE_SECURE": False,
    }
    cookie = _post(browser, {"username": ALICE, "password": PASSWORD}).cookies["rt"]
    assert (cookie["samesite"], cookie["domain"], cookie["secure"]) == ("Lax", "example.com", "")


def test_body_transport(api: Any, user: Any) -> None:
    response = _post(api, {"username": ALICE, "password": PASSWORD, "transport": "body"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "token_type", "expires_in", "refresh", "device_token"}
    assert tokens.verify_refresh(body["refresh"])["sid"] == str(TokenFamily.objects.get().pk)
    assert "refresh_token" not in response.cookies


def test_login_starts_a_session(api: Any, user: Any) -> None:
    _post(api, {"username": ALICE, "password": PASSWORD}, HTTP_USER_AGENT="TestAgent/2")
    family = TokenFamily.objects.get()
    assert (family.user, family.ip, family.user_agent) == (user, "127.0.0.1", "TestAgent/2")
    assert RefreshToken.objects.filter(family=family).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"email": "alice@example.com"},
        {"email": "ALICE@Example.com"},
        {"identifier": "alice@example.com"},
    ],
)
def test_login_by_email(api: Any, user: Any, data: dict[str, str]) -> None:
    response = _post(api, {**data, "password": PASSWORD})
    assert response.status_code == 200
    assert tokens.verify_access(response.json()["access"])["sub"] == str(user.pk)


def test_wrong_password_and_unknown_user_look_alike(api: Any, user: Any) -> None:
    wrong = _post(api, {"username": ALICE, "password": "wrong"})
    unknown = _post(api, {"username": "nobody", "password": "wrong"})
    unknown_email = _post(api, {"email": "nobody@example.com", "password": "wrong"})
    for response in (wrong, unknown, unknown_email):
        assert response.status_code == 401
        assert response.json() == {
            "detail": "Invalid username or password.",
            "code": "invalid_credentials",
        }
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert "refresh_token" not in response.cookies
    assert wrong.content == unknown.content == unknown_email.content
    assert not TokenFamily.objects.exists()


@pytest.mark.user_fields("is_active")
def test_inactive_user_is_invalid_credentials(api: Any, make_user: Any) -> None:
    make_user("sleepy", is_active=False)
    response = _post(api, {"username": "sleepy", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.shared_email
def test_ambiguous_email_is_invalid_credentials(api: Any, make_user: Any) -> None:
    make_user("twin1", email="twin@example.com")
    make_user("twin2", email="twin@example.com")
    response = _post(api, {"email": "twin@example.com", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"password"}),
        ({"username": ALICE}, {"password"}),
        ({"password": PASSWORD}, {"username"}),
        ({"username": "", "password": PASSWORD}, {"username"}),
        ({"username": [ALICE], "password": PASSWORD}, {"username"}),
        ({"username": ALICE, "password": None}, {"password"}),
        ({"username": ALICE, "password": PASSWORD, "transport": "carrier"}, {"transport"}),
    ],
)
def test_missing_or_bad_fields_are_a_field_map(
    api: Any, user: Any, data: dict[str, Any], fields: set[str]
) -> None:
    response = _post(api, data)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == fields
    assert all(isinstance(messages, list) and messages for messages in body.values())
    assert not TokenFamily.objects.exists()


def test_unparsable_body_is_parse_error(api: Any, db: None) -> None:
    response = api.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("data", ["[1, 2]", "null", '"alice"'])
def test_body_that_is_not_an_object_is_400(api: Any, db: None, data: str) -> None:
    response = api.post(URL, data, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}


@pytest.mark.parametrize(("enabled", "asked"), [(("cookie",), "body"), (("body",), "cookie")])
def test_disabled_transport_is_400(
    api: Any, user: Any, settings: Any, enabled: tuple[str, ...], asked: str
) -> None:
    settings.JWTAUTH = {"TRANSPORTS": enabled}
    response = _post(api, {"username": ALICE, "password": PASSWORD, "transport": asked})
    assert response.status_code == 400
    assert set(response.json()) == {"transport"}
    assert not TokenFamily.objects.exists()


def test_only_body_transport_enabled_is_the_default(api: Any, user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"TRANSPORTS": ("body",)}
    response = _post(api, {"username": ALICE, "password": PASSWORD})
    assert response.status_code == 200
    assert "refresh" in response.json()
    assert "refresh_token" not in response.cookies


def test_get_is_not_allowed(api: Any, db: None) -> None:
    response = api.get(URL)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("remote", "user_agent", "stored_ip", "stored_agent"),
    [
        # Found by the property tests on PostgreSQL: each was a 500 there (inet refuses a zone
        # id, text refuses NUL). A link-local IPv6 peer's address carries its zone.
        ("fe80::1%eth0", "curl/8", "fe80::1", "curl/8"),
        ("127.0.0.1", "bad\x00agent", "127.0.0.1", "badagent"),
    ],
)
def test_session_stores_any_peer_address_and_user_agent(
    api: Any, user: Any, remote: str, user_agent: str, stored_ip: str, stored_agent: str
) -> None:
    response = api.post(
        "/api/auth/login/",
        {"username": user.get_username(), "password": PASSWORD, "transport": "body"},
        format="json",
        REMOTE_ADDR=remote,
        HTTP_USER_AGENT=user_agent,
    )
    assert response.status_code == 200
    family = TokenFamily.objects.get()
    assert (family.ip, family.user_agent) == (stored_ip, stored_agent)

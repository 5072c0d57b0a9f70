"""Settings that would break requests are caught by the checks, or accepted in their
documented alternative form (a number of seconds for any duration)."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.checks import run_checks

from jwtauth.value_checks import check_setting_values
from tests.helpers.accounts import PASSWORD


def ids() -> list[str]:
    return [message.id for message in run_checks()]


def test_the_defaults_pass() -> None:
    assert check_setting_values() == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ACCESS_TOKEN_LIFETIME", "15m"),
        ("ACCESS_TOKEN_LIFETIME", 0),
        ("REFRESH_TOKEN_LIFETIME", timedelta(seconds=-1)),
        ("SESSION_LIFETIME", None),
        ("SESSION_IDLE_TIMEOUT", True),
        ("LEEWAY", -5),
        ("CLEANUP_RETENTION", "7d"),
        ("ISSUER", ""),
        ("AUDIENCE", ["a", "b"]),
        ("COOKIE_NAME", "refresh token"),
        ("COOKIE_NAME", ""),
        ("COOKIE_PATH", "api/auth/"),
        ("COOKIE_DOMAIN", 5),
        ("COOKIE_SAMESITE", "strictly"),
        ("COOKIE_SECURE", "yes"),
        ("TRANSPORTS", "cookie"),
        ("TRANSPORTS", []),
        ("TRANSPORTS", ["cookie", "carrier-pigeon"]),
        ("TRUSTED_PROXY_COUNT", "1"),
        ("TRUSTED_PROXY_COUNT", -1),
        ("MAX_TOKEN_BYTES", 0),
        ("VERIFIED_TOKEN_CACHE_SIZE", 1.5),
        ("MAX_SESSIONS_PER_USER", 0),
        ("REUSE_GRACE_SECONDS", "10"),
        ("PASSWORD_RESET_URL", "/reset/{uid}/"),
        ("PASSWORD_RESET_URL", "/reset/{uid}/{token}/{lang}"),
        ("ROLES_CALLABLE", "no.such.module.roles"),
        ("ROLES_CALLABLE", 42),
        ("REVOCATION_MAX_STALENESS", -1),
    ],
)
def test_a_value_that_breaks_requests_is_an_error(settings: Any, name: str, value: Any) -> None:
    settings.JWTAUTH = {name: value}
    messages = check_setting_values()
    assert [m.id for m in messages] == ["jwtauth.E012"]
    assert name in messages[0].msg and messages[0].hint
    assert "jwtauth.E012" in ids()


@pytest.mark.parametrize(
    "entries",
    [
        [{"kid": "r", "key": ""}],
        [{"kid": "r"}],
        [{"kid": "", "key": "r" * 32}],
        [{"kid": ["r"], "key": "r" * 32}],
        ["r" * 32],
        {"kid": "r", "key": "r" * 32},
    ],
)
def test_unusable_refresh_keys_are_an_error(settings: Any, entries: Any) -> None:
    settings.JWTAUTH = {"REFRESH_KEYS": entries}
    assert "jwtauth.E004" in ids()


@pytest.mark.django_db
def test_lifetimes_may_be_numbers_of_seconds(settings: Any, browser: Any, user: Any) -> None:
    settings.JWTAUTH = {
        "ACCESS_TOKEN_LIFETIME": 300,
        "REFRESH_TOKEN_LIFETIME": 3600.0,
        "SESSION_LIFETIME": 86400,
        "SESSION_IDLE_TIMEOUT": 7200,
        "LEEWAY": 5,
    }
    assert check_setting_values() == []
    response = browser.post(
        "/api/auth/login/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["expires_in"] == 300
    assert response.cookies["refresh_token"]["max-age"] == 3600

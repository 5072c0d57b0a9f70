"""jwtauth_settings: defaults, overrides that apply at once, derived key sets rebuilt."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jwtauth import tokens
from jwtauth.exceptions import TokenInvalid
from jwtauth.keys import access_keys, refresh_keys
from jwtauth.roles import default_roles, roles_for
from jwtauth.settings import DEFAULTS, jwtauth_settings


def fixed_roles(user: Any) -> list[str]:
    return ["auditor"]


def test_defaults(settings: Any) -> None:
    settings.JWTAUTH = {}
    assert jwtauth_settings.ACCESS_TOKEN_LIFETIME == timedelta(minutes=15)
    assert jwtauth_settings.REFRESH_TOKEN_LIFETIME == timedelta(days=7)
    assert jwtauth_settings.ALGORITHM == "HS256"
    assert jwtauth_settings.ACCESS_KEYS is None
    assert jwtauth_settings.REFRESH_KEYS is None
    assert jwtauth_settings.ISSUER == "jwtauth"
    assert jwtauth_settings.AUDIENCE == "jwtauth"
    assert jwtauth_settings.LEEWAY == timedelta(0)
    assert jwtauth_settings.COOKIE_NAME == "refresh_token"
    assert jwtauth_settings.COOKIE_PATH == "/api/auth/"
    assert jwtauth_settings.COOKIE_DOMAIN is None
    assert jwtauth_settings.COOKIE_SAMESITE == "Strict"
    assert jwtauth_settings.COOKIE_SECURE is None
    assert tuple(jwtauth_settings.TRANSPORTS) == ("cookie", "body")
    assert jwtauth_settings.REUSE_GRACE_SECONDS == 30
    assert jwtauth_settings.ROLES_CALLABLE is default_roles
    assert jwtauth_settings.MAX_TOKEN_BYTES == 4096


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="NOT_A_SETTING"):
        jwtauth_settings.NOT_A_SETTING  # noqa: B018


def test_override_applies_at_once(settings: Any) -> None:
    assert jwtauth_settings.ACCESS_TOKEN_LIFETIME == timedelta(minutes=15)  # cached now
    settings.JWTAUTH = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=5), "ISSUER": "other"}
    assert jwtauth_settings.ACCESS_TOKEN_LIFETIME == timedelta(minutes=5)
    assert jwtauth_settings.ISSUER == "other"
    # Keys not given keep their defaults.
    assert jwtauth_settings.REFRESH_TOKEN_LIFETIME == DEFAULTS["REFRESH_TOKEN_LIFETIME"]


def test_override_reaches_endpoints(settings: Any, user: Any, login: Any) -> None:
    settings.JWTAUTH = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=5)}
    assert login(user)["expires_in"] == 300


def test_roles_callable_is_imported_from_dotted_path(settings: Any, user: Any) -> None:
    settings.JWTAUTH = {"ROLES_CALLABLE": "tests.test_settings.fixed_roles"}
    assert jwtauth_settings.ROLES_CALLABLE is fixed_roles
    assert roles_for(user) == ["auditor"]


def test_key_sets_rebuilt_after_secret_key_change(settings: Any) -> None:
    old_access, old_refresh = access_keys(), refresh_keys()
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=timezone.now()).token
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-tests-0123456789"
    assert access_keys() != old_access
    assert refresh_keys() != old_refresh
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)


def test_key_sets_rebuilt_after_jwtauth_change(settings: Any) -> None:
    derived = access_keys()
    assert access_keys() is derived  # cached between calls
    settings.JWTAUTH = {"ACCESS_KEYS": [{"kid": "k1", "key": "a" * 32}]}
    assert access_keys().signer.kid == "k1"

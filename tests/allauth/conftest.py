"""Fixtures for django-allauth's headless app API on jwtauth sessions (run with DEMO_ALLAUTH=1)."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

APP = "/_allauth/app/v1"


def totp_code(secret: str) -> str:
    """The current code of an authenticator app holding ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def totp_user(make_user: Callable[..., Any]) -> tuple[Any, str]:
    """A user with a TOTP authenticator; returns the user and its secret."""
    user = make_user("carol")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def allauth_login(client: APIClient, user: Any, password: str = PASSWORD) -> Any:
    """Step one of allauth's app login: username and password."""
    return client.post(
        f"{APP}/auth/login", {"username": user.username, "password": password}, format="json"
    )


def second_factor(client: APIClient, session_token: str, code: str) -> Any:
    return client.post(
        f"{APP}/auth/2fa/authenticate",
        {"code": code},
        format="json",
        HTTP_X_SESSION_TOKEN=session_token,
    )


@pytest.fixture
def totp_login(api: APIClient) -> Callable[[Any, str], dict[str, Any]]:
    """Password then TOTP through allauth; returns allauth's ``meta`` with the token pair."""

    def do(user: Any, secret: str) -> dict[str, Any]:
        first = allauth_login(api, user)
        assert first.status_code == 401, first.content
        response = second_factor(api, first.json()["meta"]["session_token"], totp_code(secret))
        assert response.status_code == 200, response.content
        return response.json()["meta"]

    return do

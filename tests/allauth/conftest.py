"""Fixtures for django-allauth's headless app API on jwtauth sessions (run with DEMO_ALLAUTH=1)."""

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from rest_framework.test import APIClient

from tests.helpers.allauth import allauth_login, second_factor, totp_code


@pytest.fixture
def totp_user(make_user: Callable[..., Any]) -> tuple[Any, str]:
    """A user with a TOTP authenticator; returns the user and its secret."""
    user = make_user("carol")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


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

"""django-allauth's headless app API: its prefix, a login in two steps, TOTP codes."""

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from rest_framework.test import APIClient

from tests.helpers.accounts import PASSWORD

APP = "/_allauth/app/v1"


def totp_code(secret: str) -> str:
    """The current code of an authenticator app holding ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


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

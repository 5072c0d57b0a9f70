"""A password reset that commits, in another request, between a login's password check and
the start of its session leaves that login with no working session (PostgreSQL, real threads)."""

import threading
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from jwtauth import accounts
from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_login_checked_before_a_reset_committed_gets_no_session(
    make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("victim")
    link = {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "new_password": "the-owner-chose-a-new-one-9",
    }
    checked, reset_done = threading.Event(), threading.Event()
    check_password = accounts.authenticate

    def authenticate_then_wait(request: Any, **credentials: Any) -> Any:
        found = check_password(request, **credentials)
        checked.set()  # the password was right ...
        assert reset_done.wait(timeout=30)  # ... and then the reset commits
        return found

    monkeypatch.setattr(accounts, "authenticate", authenticate_then_wait)

    def log_in() -> Any:
        return APIClient().post(
            "/api/auth/login/",
            {"username": "victim", "password": PASSWORD, "transport": "body"},
            format="json",
        )

    def reset() -> Any:
        try:
            assert checked.wait(timeout=30)
            return APIClient().post("/api/auth/password/reset/confirm/", link, format="json")
        finally:
            reset_done.set()

    login, reset_response = run_together([log_in, reset])

    assert reset_response.status_code == 204
    assert (login.status_code, login.json()["code"]) == (401, "invalid_credentials")
    assert not TokenFamily.objects.active().exists()

"""What a site mounts: the session endpoints alone, or with the opt-in account endpoints."""

from typing import Any

import pytest
from django.core.checks import run_checks
from django.urls import NoReverseMatch, reverse

from tests.helpers.http import bearer

SESSION = ["login", "refresh", "logout", "logout-all", "me", "sessions"]
ACCOUNTS = ["register", "password-change", "password-reset", "password-reset-confirm"]
STRONG = "a-long-and-unusual-passphrase-42"


def _register(api: Any) -> Any:
    body = {"username": "newbie", "email": "newbie@example.com", "password": STRONG}
    return api.post("/api/auth/register/", body, format="json")


@pytest.mark.urls("tests.urlconfs.session_only")
def test_session_endpoints_alone_leave_sign_up_and_reset_out(
    api: Any, user: Any, login: Any
) -> None:
    tokens = login(user)
    assert api.get("/api/auth/me/", **bearer(tokens["access"])).status_code == 200
    assert api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}).status_code == 200
    assert _register(api).status_code == 404
    reset = api.post("/api/auth/password/reset/", {"email": user.email}, format="json")
    assert reset.status_code == 404
    assert [reverse(f"jwtauth:{name}") for name in SESSION[:5]] == [
        "/api/auth/login/",
        "/api/auth/refresh/",
        "/api/auth/logout/",
        "/api/auth/logout-all/",
        "/api/auth/me/",
    ]
    with pytest.raises(NoReverseMatch):
        reverse("jwtauth:register")


@pytest.mark.urls("tests.urlconfs.session_and_accounts")
@pytest.mark.django_db
def test_account_endpoints_are_opt_in_beside_the_session_ones(api: Any) -> None:
    assert _register(api).status_code == 201
    assert reverse("jwtauth_accounts:register") == "/api/auth/register/"
    assert reverse("jwtauth:login") == "/api/auth/login/"
    # Two includes under one prefix, with distinct namespaces: nothing for Django to warn about.
    assert [m.id for m in run_checks(tags=["urls"]) if m.id.startswith("urls.")] == []


def test_jwtauth_urls_still_mounts_everything() -> None:
    for name in [*SESSION, *ACCOUNTS]:
        assert reverse(f"jwtauth:{name}").startswith("/api/auth/")

"""allauth's headless browser flow (Django session cookie) hands over to jwtauth's cookie."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer, csrf_header

pytestmark = pytest.mark.django_db
BROWSER = "/_allauth/browser/v1"
TOKEN = "/api/auth/allauth/token/"


def browser_login(browser: APIClient, user: Any) -> None:
    assert browser.get(f"{BROWSER}/config").status_code == 200  # sets the CSRF cookie
    response = browser.post(
        f"{BROWSER}/auth/login",
        {"username": user.username, "password": PASSWORD},
        format="json",
        **csrf_header(browser),
    )
    assert response.status_code == 200, response.content


def test_a_signed_in_browser_gets_access_and_refresh_cookie(browser: APIClient, user: Any) -> None:
    browser_login(browser, user)
    response = browser.post(TOKEN, **csrf_header(browser))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access", "token_type", "expires_in"}
    cookie = response.cookies["refresh_token"]
    assert cookie["httponly"] and cookie["path"] == "/api/auth/"
    assert browser.get("/api/profile/", **bearer(body["access"])).json()["id"] == user.pk
    # jwtauth's refresh endpoint takes it from here (what jwtauth.js calls).
    assert browser.post("/api/auth/refresh/", **csrf_header(browser)).status_code == 200


def test_the_exchange_needs_csrf_and_a_signed_in_session(browser: APIClient, user: Any) -> None:
    anonymous = browser.post(TOKEN, **{"HTTP_X_CSRFTOKEN": "x"})
    assert anonymous.status_code == 403
    assert anonymous.json()["code"] == "csrf_failed"
    browser.get(f"{BROWSER}/config")
    refused = browser.post(TOKEN, **csrf_header(browser))
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    browser_login(browser, user)
    assert browser.post(TOKEN).json()["code"] == "csrf_failed"
    assert not TokenFamily.objects.exists()


def test_allauth_browser_logout_revokes_the_jwtauth_session(browser: APIClient, user: Any) -> None:
    browser_login(browser, user)
    access = browser.post(TOKEN, **csrf_header(browser)).json()["access"]
    logout = browser.delete(f"{BROWSER}/auth/session", **csrf_header(browser))
    assert logout.status_code == 401
    denied = browser.get("/api/profile/", **bearer(access))
    assert denied.json()["code"] == "token_revoked"


def test_jwtauth_logout_ends_the_allauth_browser_session(browser: APIClient, user: Any) -> None:
    browser_login(browser, user)
    browser.post(TOKEN, **csrf_header(browser))
    assert browser.post("/api/auth/logout/", **csrf_header(browser)).status_code == 204
    session = browser.get(f"{BROWSER}/auth/session")
    assert session.status_code == 401
    assert session.json()["meta"]["is_authenticated"] is False

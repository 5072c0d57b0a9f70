"""The demo pages in Chromium: a known browser logs in through a lockout; the account page
lists security events with what to do."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.helpers.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _lock(username: str) -> None:
    for n in range(6):
        APIClient(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            "/api/auth/login/", {"username": username, "password": "guess"}, format="json"
        )


def test_a_browser_that_logged_in_before_gets_through_the_lockout(
    new_context: Any, live_server: Any, user: Any
) -> None:
    known = new_context().new_page()
    _log_in(known, live_server, user.username)
    known.get_by_role("heading", name="Your account").wait_for()
    (device,) = [c for c in known.context.cookies() if c["name"] == "device_token"]
    assert device["httpOnly"] and device["path"] == "/api/auth/"
    known.get_by_role("button", name="Log out", exact=True).click()

    _lock(user.username)

    stranger = new_context().new_page()
    _log_in(stranger, live_server, user.username)
    stranger.get_by_role("alert").filter(has_text="Too many").wait_for()
    _log_in(known, live_server, user.username)
    known.wait_for_url(f"{live_server.url}/account/")
    known.get_by_role("heading", name="Your account").wait_for()


def test_the_account_page_lists_a_stolen_token_with_advice(
    page: Any, live_server: Any, user: Any, login: Any
) -> None:
    stolen = login(user)
    owner = APIClient()
    second = owner.post("/api/auth/refresh/", {"refresh": stolen["refresh"]}, format="json")
    owner.post("/api/auth/refresh/", {"refresh": second.json()["refresh"]}, format="json")
    # The grandparent: no grace window covers it.
    thief = APIClient(REMOTE_ADDR="203.0.113.66", HTTP_USER_AGENT="Thief/9")
    thief.post("/api/auth/refresh/", {"refresh": stolen["refresh"]}, format="json")

    _log_in(page, live_server, user.username)
    item = page.locator("#security-events li[data-kind=reuse]")
    item.wait_for()

    text = item.inner_text()
    assert "A stolen refresh token was used" in text
    assert "203.0.113.66" in text and "Thief/9" in text
    assert "change your password and log out everywhere" in text
    assert page.locator("#events-none").is_hidden()

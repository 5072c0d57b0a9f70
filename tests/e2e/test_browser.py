"""The demo pages in real Chromium: cookie refresh, silent expiry handling, revocation, CSRF."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

REFRESH_PATH = "/api/auth/refresh/"


def _log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/account/")
    page.get_by_text("Your account").wait_for()


def _refresh_cookie(context: Any) -> list[dict[str, Any]]:
    return [c for c in context.cookies() if c["name"] == "refresh_token"]


def test_register_then_reload_keeps_the_session(page: Any, live_server: Any, db: None) -> None:
    page.goto(f"{live_server.url}/register/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{live_server.url}/account/")
    page.get_by_text("Your account").wait_for()
    assert page.locator("#me-username").inner_text() == "newcomer"

    page.reload()
    page.get_by_text("Your account").wait_for()
    assert page.locator("#me-username").inner_text() == "newcomer"
    cookie = _refresh_cookie(page.context)[0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/api/auth/"


def test_register_shows_field_errors(page: Any, live_server: Any, make_user: Any) -> None:
    make_user("taken")
    page.goto(f"{live_server.url}/register/")
    page.get_by_label("Username").fill("taken")
    page.get_by_label("Email").fill("other@example.com")
    page.get_by_label("Password").fill("123")
    page.get_by_role("button", name="Register").click()
    page.locator("#username-error").wait_for()
    assert page.locator("#password-error").is_visible()
    assert page.url == f"{live_server.url}/register/"


def test_wrong_password_shows_the_api_message(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(user.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("alert").filter(has_text="Invalid username or password").wait_for()


def test_access_token_expiry_is_handled_silently_with_one_refresh(
    page: Any, live_server: Any, user: Any, time_machine: Any
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=True)
    page.clock.install(time=start)
    _log_in(page, live_server, user.username)
    refreshes: list[str] = []
    page.on("request", lambda r: refreshes.append(r.url) if REFRESH_PATH in r.url else None)

    # Both clocks jump past the 15-minute access lifetime without firing the proactive timer.
    later = start + timedelta(minutes=16)
    time_machine.move_to(later, tick=True)
    page.clock.set_system_time(later)
    statuses = page.evaluate(
        """() => Promise.all([1, 2, 3, 4, 5].map(
            () => auth.fetch("/api/profile/").then((r) => r.status)))"""
    )

    assert statuses == [200] * 5
    assert len(refreshes) == 1


def test_expired_token_rejected_by_server_is_refreshed_once(
    page: Any, live_server: Any, user: Any, time_machine: Any
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=True)
    _log_in(page, live_server, user.username)
    refreshes: list[str] = []
    page.on("request", lambda r: refreshes.append(r.url) if REFRESH_PATH in r.url else None)

    # Only the server's clock moves: the page believes its token is fresh, gets 401 token_expired,
    # refreshes once and retries.
    time_machine.move_to(start + timedelta(minutes=16), tick=True)
    status = page.evaluate('() => auth.fetch("/api/profile/").then((r) => r.status)')

    assert status == 200
    assert len(refreshes) == 1


def test_session_revoked_from_another_browser_signs_the_page_out(
    new_context: Any, live_server: Any, user: Any
) -> None:
    first = new_context().new_page()
    _log_in(first, live_server, user.username)
    second = new_context().new_page()
    _log_in(second, live_server, user.username)

    other_row = second.locator("#sessions tr", has_not_text="this device")
    other_row.get_by_role("button", name="Revoke").click()
    other_row.wait_for(state="detached")

    status = first.evaluate('() => auth.fetch("/api/profile/").then((r) => r.status)')
    assert status == 401
    first.locator("#signed-out").wait_for()
    assert first.locator("#signed-in").is_hidden()
    # The second browser is unaffected.
    assert second.evaluate('() => auth.fetch("/api/profile/").then((r) => r.status)') == 200


def test_logout_clears_the_cookie_and_signs_out_every_tab(
    new_context: Any, live_server: Any, user: Any
) -> None:
    context = new_context()
    page = context.new_page()
    _log_in(page, live_server, user.username)
    other_tab = context.new_page()
    other_tab.goto(f"{live_server.url}/account/")
    other_tab.get_by_text("Your account").wait_for()

    page.get_by_role("button", name="Log out", exact=True).click()
    page.locator("#signed-out").wait_for()
    other_tab.locator("#signed-out").wait_for()
    assert _refresh_cookie(context) == []

    page.reload()
    page.locator("#signed-out").wait_for()


def test_refresh_without_csrf_header_is_refused(page: Any, live_server: Any, user: Any) -> None:
    _log_in(page, live_server, user.username)
    result = page.evaluate(
        """() => fetch("/api/auth/refresh/", {method: "POST", credentials: "same-origin"})
            .then(async (r) => [r.status, (await r.json()).code])"""
    )
    assert result == [403, "csrf_failed"]


def test_lockout_message_is_shown_with_its_wait(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(user.username)
    page.get_by_label("Password").fill("wrong password")
    button = page.get_by_role("button", name="Log in")
    alert = page.get_by_role("alert")
    for _ in range(5):
        button.click()
        alert.filter(has_text="Invalid username or password").wait_for()
        page.evaluate('() => { document.querySelector("[role=alert]").textContent = ""; }')
    button.click()
    alert.filter(has_text="Too many failed logins").wait_for()
    assert "try again in" in alert.inner_text()

"""The demo pages in real Chromium: cookie refresh, silent expiry handling, revocation, CSRF,
tabs refreshing together, sign-out reasons, where tokens are sent.

Every wait is on an event (a selector, a request, a promise), never on a timer."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jwtauth import families, signals
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

REFRESH_PATH = "/api/auth/refresh/"


def _log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/account/")
    page.get_by_text("Your account").wait_for()
    # The page's own requests are done once the sessions table is filled: a test that moves
    # the clocks next cannot catch one of them in flight.
    page.locator("#sessions tr").first.wait_for()


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


# -- tabs of one browser: one refresh chain, nobody signed out ---------------------------

# Browsers without Web Locks (or pages outside a secure context) take the fallback path.
NO_WEB_LOCKS = (
    "Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, "
    "configurable: true });"
)
# Each tab arms a refresh that fires when the test broadcasts "go": both start in the same task.
ARM = """() => { window.fired = new Promise((resolve) => {
    const channel = new BroadcastChannel("test-go");
    channel.onmessage = () => resolve(auth.refresh().then(() => "ok", (e) => e.code || String(e)));
}); }"""
FIRE = '() => new BroadcastChannel("test-go").postMessage("go")'
PROFILE = '() => auth.fetch("/api/profile/").then((r) => r.status)'


def _open_account(context: Any, live_server: Any) -> Any:
    page = context.new_page()
    page.goto(f"{live_server.url}/account/")
    page.get_by_text("Your account").wait_for()
    page.locator("#sessions tr").first.wait_for()
    return page


def _assert_no_reuse(caplog: Any, reused: list[Any]) -> None:
    assert reused == []
    assert "Refresh token reuse" not in caplog.text
    assert not TokenFamily.objects.filter(revoked_at__isnull=False).exists()


def _assert_signed_in(*pages: Any) -> None:
    for page in pages:
        assert page.evaluate(PROFILE) == 200
        assert page.locator("#signed-in").is_visible()
        assert page.locator("#signout-notice").is_hidden()


@pytest.mark.parametrize("web_locks", [True, False], ids=["web-locks", "no-web-locks"])
def test_two_tabs_refreshing_at_the_same_moment_both_stay_signed_in(
    new_context: Any, live_server: Any, user: Any, caplog: Any, receive: Any, web_locks: bool
) -> None:
    reused = receive(signals.refresh_token_reused)
    context = new_context()
    if not web_locks:
        context.add_init_script(NO_WEB_LOCKS)
    first = context.new_page()
    _log_in(first, live_server, user.username)
    second = _open_account(context, live_server)
    assert second.evaluate("() => Boolean(navigator.locks)") is web_locks

    for page in (first, second):
        page.evaluate(ARM)
    first.evaluate(FIRE)

    assert [page.evaluate("() => window.fired") for page in (first, second)] == ["ok", "ok"]
    _assert_signed_in(first, second)
    _assert_no_reuse(caplog, reused)


def test_two_tabs_presenting_the_same_cookie_get_the_same_successor(
    new_context: Any, live_server: Any, user: Any, caplog: Any, receive: Any
) -> None:
    """The server side of the fallback: both refreshes leave with the same cookie."""
    reused = receive(signals.refresh_token_reused)
    context = new_context()
    context.add_init_script(NO_WEB_LOCKS)
    first = context.new_page()
    _log_in(first, live_server, user.username)
    second = _open_account(context, live_server)
    issued = RefreshToken.objects.count()
    held: list[Any] = []

    def hold_until_both(route: Any) -> None:
        # Neither request reaches the server before the other has left its tab.
        held.append(route)
        if len(held) == 2:
            for waiting in held:
                waiting.continue_()

    context.route(f"**{REFRESH_PATH}", hold_until_both)
    for page in (first, second):
        page.evaluate(ARM)
    first.evaluate(FIRE)

    assert [page.evaluate("() => window.fired") for page in (first, second)] == ["ok", "ok"]
    context.unroute(f"**{REFRESH_PATH}")
    cookies = {route.request.headers.get("cookie") for route in held}
    assert len(cookies) == 1  # the same refresh token, twice
    # One successor for both: the session is still a single chain.
    assert RefreshToken.objects.count() == issued + 1
    _assert_signed_in(first, second)
    _assert_no_reuse(caplog, reused)


def test_a_reload_while_a_refresh_is_in_flight_keeps_the_session(
    new_context: Any, live_server: Any, user: Any, caplog: Any, receive: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    context = new_context()
    page = context.new_page()
    _log_in(page, live_server, user.username)
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    context.route(f"**{REFRESH_PATH}", hold)

    with page.expect_request(f"**{REFRESH_PATH}"):
        page.evaluate("() => { auth.refresh().catch(() => {}); }")
    page.evaluate("() => 0")  # lets the route handler run
    # The server rotates the token, but its answer (and new cookie) never reaches the tab ...
    answer = held[0].fetch()
    assert answer.status == 200
    context.unroute(f"**{REFRESH_PATH}")
    # ... because the tab reloads first, and signs in again with the token it still has.
    page.reload()
    page.get_by_text("Your account").wait_for()
    page.locator("#sessions tr").first.wait_for()

    _assert_signed_in(page)
    _assert_no_reuse(caplog, reused)


@pytest.mark.parametrize("web_locks", [True, False], ids=["web-locks", "no-web-locks"])
def test_tabs_restored_together_all_sign_in(
    new_context: Any, live_server: Any, user: Any, caplog: Any, receive: Any, web_locks: bool
) -> None:
    reused = receive(signals.refresh_token_reused)
    context = new_context()
    if not web_locks:
        context.add_init_script(NO_WEB_LOCKS)
    _log_in(context.new_page(), live_server, user.username)
    context.pages[0].close()

    # The browser restarts: every tab loads at once, none holds an access token.
    tabs = [context.new_page() for _ in range(3)]
    for tab in tabs:
        tab.goto(f"{live_server.url}/account/", wait_until="commit")
    for tab in tabs:
        tab.get_by_text("Your account").wait_for()

    _assert_signed_in(*tabs)
    _assert_no_reuse(caplog, reused)


# -- why a tab was signed out ---------------------------------------------------------------


def _notice(page: Any, reason: str) -> str:
    notice = page.locator(f"#signout-notice[data-reason={reason}]")
    notice.wait_for()
    page.locator("#signed-out").wait_for()
    return notice.inner_text()


def test_logout_in_another_tab_is_explained(new_context: Any, live_server: Any, user: Any) -> None:
    context = new_context()
    page = context.new_page()
    _log_in(page, live_server, user.username)
    other = _open_account(context, live_server)

    page.get_by_role("button", name="Log out", exact=True).click()

    assert "logged out in another tab" in _notice(other, "elsewhere")
    assert page.locator("#signout-notice").is_hidden()  # the tab that logged out knows why


def test_session_revoked_by_an_administrator_is_explained(
    page: Any, live_server: Any, user: Any
) -> None:
    _log_in(page, live_server, user.username)
    families.revoke(family_ids=[TokenFamily.objects.get().pk], reason=RevokeReason.ADMIN)

    assert page.evaluate(PROFILE) == 401
    assert "session was revoked" in _notice(page, "revoked")


def test_session_expired_is_explained(
    page: Any, live_server: Any, user: Any, time_machine: Any
) -> None:
    time_machine.move_to(timezone.now(), tick=True)
    _log_in(page, live_server, user.username)
    time_machine.move_to(timezone.now() + timedelta(days=31), tick=True)

    page.evaluate("() => auth.refresh().catch(() => {})")

    assert "expired" in _notice(page, "expired")


def test_a_stolen_token_is_a_warning(page: Any, live_server: Any, user: Any) -> None:
    _log_in(page, live_server, user.username)
    stolen = _refresh_cookie(page.context)[0]["value"]
    # The owner refreshes twice: the stolen copy is now a grandparent.
    page.evaluate("() => auth.refresh().then(() => auth.refresh())")
    thief = APIClient().post(REFRESH_PATH, {"refresh": stolen}, format="json")
    assert thief.json()["code"] == "token_reused"

    assert page.evaluate(PROFILE) == 401
    text = _notice(page, "stolen")
    assert text.startswith("Warning") and "change your password" in text
    notice = page.locator("#signout-notice")
    assert notice.get_attribute("role") == "alert"
    assert "warning" in (notice.get_attribute("class") or "")


# -- where tokens go ------------------------------------------------------------------------


def test_fetch_sends_the_token_only_to_its_own_and_configured_origins(
    page: Any, live_server: Any, user: Any
) -> None:
    _log_in(page, live_server, user.username)
    seen: dict[str, dict[str, str]] = {}

    def answer(route: Any) -> None:
        request = route.request
        cors = {
            "Access-Control-Allow-Origin": live_server.url,
            "Access-Control-Allow-Headers": "authorization, x-csrftoken, content-type",
        }
        if request.method != "OPTIONS":
            seen[request.url.split("/")[2]] = request.headers
        route.fulfill(status=200, body="{}", headers=cors, content_type="application/json")

    page.context.route("https://*.example.test/**", answer)
    statuses = page.evaluate(
        """async () => {
            const configured = JWTAuth.create({ origins: ["https://api.example.test"] });
            return [
                await auth.fetch("https://elsewhere.example.test/collect").then((r) => r.status),
                await configured.fetch("https://api.example.test/data").then((r) => r.status),
            ];
        }"""
    )

    assert statuses == [200, 200]
    leaked = seen["elsewhere.example.test"]
    assert "authorization" not in leaked and "x-csrftoken" not in leaked
    assert seen["api.example.test"]["authorization"].startswith("Bearer ")


# -- pages ----------------------------------------------------------------------------------


def test_account_page_shows_where_each_session_was_last_used(
    page: Any, live_server: Any, user: Any
) -> None:
    _log_in(page, live_server, user.username)
    started_with = page.evaluate("() => navigator.userAgent")
    page.set_extra_http_headers({"User-Agent": "Chromium on the train"})
    page.reload()
    page.get_by_text("Your account").wait_for()

    row = page.locator("#sessions tr").first
    row.wait_for()
    assert "Chromium on the train" in row.locator(".last-used").inner_text()
    assert "from 127.0.0.1" in row.locator(".last-used").inner_text()
    assert started_with in row.locator(".started").inner_text()


def test_reset_page_without_its_link_parameters_says_so(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/reset/")
    message = page.locator("#link-incomplete")
    message.wait_for()
    assert "link from your password reset email" in message.inner_text()
    assert page.locator("#confirm-form").is_hidden()

    page.goto(f"{live_server.url}/reset/?uid=MQ&token=abc")
    page.locator("#confirm-form").wait_for()
    assert page.locator("#link-incomplete").is_hidden()

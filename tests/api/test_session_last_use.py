"""GET /api/auth/sessions/ shows where each session started and where it was last used."""

from typing import Any

from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer


def test_a_refresh_from_elsewhere_shows_next_to_where_the_session_started(
    api: Any, user: Any
) -> None:
    started = api.post(
        "/api/auth/login/",
        {"username": user.get_username(), "password": PASSWORD, "transport": "body"},
        format="json",
        HTTP_USER_AGENT="Phone app 1.0",
        REMOTE_ADDR="192.0.2.1",
    ).json()
    later = api.post(
        "/api/auth/refresh/",
        {"refresh": started["refresh"]},
        format="json",
        HTTP_USER_AGENT="Phone app 1.1",
        REMOTE_ADDR="203.0.113.9",
    ).json()

    [session] = api.get("/api/auth/sessions/", **bearer(later["access"])).json()

    assert (session["ip"], session["user_agent"]) == ("192.0.2.1", "Phone app 1.0")
    assert (session["last_ip"], session["last_user_agent"]) == ("203.0.113.9", "Phone app 1.1")
    assert session["current"] is True

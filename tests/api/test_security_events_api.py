"""GET /api/auth/security-events/: the caller's own recent events, newest first."""

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jwtauth.models import EventKind, SecurityEvent
from tests.helpers.http import bearer


@pytest.fixture(autouse=True)
def _replay_is_reuse(settings: Any) -> None:
    # These tests are about what follows a detected reuse: without a grace window an
    # immediate replay of the parent is one (with it, the parent gets the same successor).
    settings.JWTAUTH = {**getattr(settings, "JWTAUTH", {}), "REUSE_GRACE_SECONDS": 0}


URL = "/api/auth/security-events/"


def test_lists_the_callers_events_newest_first(
    api: Any, user: Any, make_user: Any, login: Any, clock: Any
) -> None:
    first = login(user)
    APIClient(REMOTE_ADDR="192.0.2.9").post(
        "/api/auth/refresh/", {"refresh": first["refresh"]}, format="json"
    )
    clock.shift(5)
    replay = APIClient(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Thief/1")
    replay.post("/api/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    clock.shift(5)
    user.set_password("a-new-long-passphrase-3")
    user.save()
    other = make_user("bob")
    SecurityEvent.objects.create(user=other, kind=EventKind.LOCKOUT, created_at=timezone.now())

    fresh = login(user, password="a-new-long-passphrase-3")
    response = api.get(URL, **bearer(fresh["access"]))

    assert response.status_code == 200
    events = response.json()
    assert [e["kind"] for e in events] == ["password_change", "reuse"]
    reuse = events[1]
    assert reuse["ip"] == "203.0.113.7" and reuse["user_agent"] == "Thief/1"
    assert reuse["session_ip"] == "192.0.2.9"
    assert reuse["description"] == "A stolen refresh token was used"
    assert "log out everywhere" in reuse["advice"]
    assert set(reuse) == {
        "id",
        "kind",
        "description",
        "advice",
        "created_at",
        "session",
        "ip",
        "user_agent",
        "session_ip",
        "session_user_agent",
        "session_used_at",
    }


def test_needs_a_bearer_token(api: Any, db: None) -> None:
    response = api.get(URL)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_an_empty_list_without_events(api: Any, user: Any, login: Any) -> None:
    assert api.get(URL, **bearer(login(user)["access"])).json() == []

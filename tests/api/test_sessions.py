"""GET /api/auth/sessions/."""

from datetime import timedelta
from typing import Any

import jwt
from django.utils import timezone
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer

URL = "/api/auth/sessions/"


def session_id(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def test_lists_the_users_live_sessions_marking_the_current_one(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    phone = api.post(
        "/api/auth/login/",
        {"username": user.get_username(), "password": PASSWORD, "transport": "body"},
        format="json",
        HTTP_USER_AGENT="Phone/1.0",
        REMOTE_ADDR="203.0.113.7",
    ).json()
    laptop = login(user)
    login(make_user())  # another user's session is not listed

    response = api.get(URL, **bearer(laptop["access"]))

    assert response.status_code == 200
    sessions = response.json()
    assert len(sessions) == 2
    assert set(sessions[0]) == {
        "id",
        "created_at",
        "last_used_at",
        "ip",
        "user_agent",
        "last_ip",
        "last_user_agent",
        "current",
    }
    by_current = {s["current"]: s for s in sessions}
    assert by_current[True]["id"] == session_id(laptop)
    assert by_current[False]["id"] == session_id(phone)
    assert by_current[False]["user_agent"] == "Phone/1.0"
    assert by_current[False]["ip"] == "203.0.113.7"


def test_omits_revoked_expired_and_idle_sessions(api: APIClient, user: Any, login: Any) -> None:
    current = login(user)
    revoked, expired, idle = login(user), login(user), login(user)
    api.post("/api/auth/logout/", {"refresh": revoked["refresh"]}, format="json")
    now = timezone.now()
    TokenFamily.objects.filter(pk=session_id(expired)).update(expires_at=now)
    TokenFamily.objects.filter(pk=session_id(idle)).update(last_used_at=now - timedelta(days=7))

    sessions = api.get(URL, **bearer(current["access"])).json()

    assert [(s["id"], s["current"]) for s in sessions] == [(session_id(current), True)]


def test_without_a_token_is_not_authenticated(api: APIClient, db: None) -> None:
    response = api.get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_with_a_bad_token_is_token_invalid(api: APIClient, db: None) -> None:
    response = api.get(URL, HTTP_AUTHORIZATION="Bearer nonsense")

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_with_a_revoked_token_is_token_revoked(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)
    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    response = api.get(URL, **bearer(tokens["access"]))

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"

"""Response bodies: one serializer each, shared by the views and the schema."""

import re
from typing import Any

from rest_framework.test import APIClient

from tests.helpers.http import bearer

UTC_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_datetimes_are_utc_iso_whatever_the_site_formats(
    api: APIClient, user: Any, login: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DATETIME_FORMAT": "%d/%m/%Y"}
    tokens = login(user)

    (session,) = api.get("/api/auth/sessions/", **bearer(tokens["access"])).json()

    assert UTC_ISO.match(session["created_at"]), session["created_at"]
    assert UTC_ISO.match(session["last_used_at"]), session["last_used_at"]


def test_the_token_body_follows_the_transport(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)

    again = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")

    assert list(again.json()) == ["access", "token_type", "expires_in", "refresh"]


def test_register_shows_the_user_before_the_tokens(api: APIClient, db: None) -> None:
    body = {"username": "newbie", "email": "newbie@example.com", "password": "a-long-pass-123"}

    response = api.post("/api/auth/register/", body, format="json")

    assert response.status_code == 201
    assert list(response.json()) == ["user", "access", "token_type", "expires_in"]
    assert list(response.json()["user"]) == ["id", "username", "email"]

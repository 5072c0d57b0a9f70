"""DELETE /api/auth/sessions/{id}/."""

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.http import bearer


def url(session_id: object) -> str:
    return f"/api/auth/sessions/{session_id}/"


def sid(tokens: dict[str, Any], api: APIClient) -> str:
    sessions = api.get("/api/auth/sessions/", **bearer(tokens["access"])).json()
    return next(s["id"] for s in sessions if s["current"])


def test_ends_another_session_of_the_user(api: APIClient, user: Any, login: Any) -> None:
    mine, lost_phone = login(user), login(user)
    phone_id = sid(lost_phone, api)

    response = api.delete(url(phone_id), **bearer(mine["access"]))

    assert response.status_code == 204
    family = TokenFamily.objects.get(pk=phone_id)
    assert family.revoke_reason == RevokeReason.LOGOUT
    assert family.revoked_at is not None
    refused = api.get("/api/auth/me/", **bearer(lost_phone["access"]))
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    assert api.get("/api/auth/me/", **bearer(mine["access"])).status_code == 200
    assert "refresh_token" not in response.cookies


def test_ends_the_current_session_and_clears_the_cookie(
    api: APIClient, user: Any, login: Any
) -> None:
    tokens = login(user)

    response = api.delete(url(sid(tokens, api)), **bearer(tokens["access"]))

    assert response.status_code == 204
    assert response.cookies["refresh_token"].value == ""
    assert api.get("/api/auth/me/", **bearer(tokens["access"])).json()["code"] == "token_revoked"


def test_another_users_session_is_not_found(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    mine, theirs = login(user), login(make_user())
    their_id = sid(theirs, api)

    response = api.delete(url(their_id), **bearer(mine["access"]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert TokenFamily.objects.get(pk=their_id).revoked_at is None
    assert api.get("/api/auth/me/", **bearer(theirs["access"])).status_code == 200


@pytest.mark.parametrize("session_id", [uuid.uuid4(), "not-a-uuid", "1", "%00"])
def test_unknown_or_malformed_id_is_not_found(
    api: APIClient, user: Any, login: Any, session_id: object
) -> None:
    response = api.delete(url(session_id), **bearer(login(user)["access"]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_ended_session_is_not_found_again(api: APIClient, user: Any, login: Any) -> None:
    mine, other = login(user), login(user)
    other_id = sid(other, api)
    api.delete(url(other_id), **bearer(mine["access"]))

    response = api.delete(url(other_id), **bearer(mine["access"]))

    assert response.status_code == 404


def test_without_a_token_is_not_authenticated(api: APIClient, db: None) -> None:
    response = api.delete(url(uuid.uuid4()))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_with_a_revoked_token_is_token_revoked(api: APIClient, user: Any, login: Any) -> None:
    tokens = login(user)
    session_id = sid(tokens, api)
    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    response = api.delete(url(session_id), **bearer(tokens["access"]))

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"

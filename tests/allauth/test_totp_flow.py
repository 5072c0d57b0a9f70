"""Password + TOTP through allauth headless ends in a jwtauth session: Bearer, rotation,
replay detection and logout all behave as on jwtauth's own endpoints."""

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.allauth import APP, allauth_login, second_factor, totp_code
from tests.helpers.http import bearer

pytestmark = pytest.mark.django_db


def refresh_through_allauth(api: APIClient, refresh: str) -> Any:
    return api.post(f"{APP}/tokens/refresh", {"refresh_token": refresh}, format="json")


def refresh_through_jwtauth(api: APIClient, refresh: str) -> Any:
    return api.post("/api/auth/refresh/", {"refresh": refresh}, format="json")


def test_password_alone_is_not_enough_when_totp_is_on(api: APIClient, totp_user: Any) -> None:
    user, _ = totp_user
    response = allauth_login(api, user)
    assert response.status_code == 401
    body = response.json()
    pending = [flow for flow in body["data"]["flows"] if flow.get("is_pending")]
    assert pending == [{"id": "mfa_authenticate", "is_pending": True, "types": ["totp"]}]
    assert "access_token" not in body["meta"]
    assert not TokenFamily.objects.exists()


def test_a_wrong_code_issues_nothing(api: APIClient, totp_user: Any) -> None:
    user, secret = totp_user
    token = allauth_login(api, user).json()["meta"]["session_token"]
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = second_factor(api, token, wrong)
    assert response.status_code == 400
    assert "meta" not in response.json() or "access_token" not in response.json()["meta"]
    assert not TokenFamily.objects.exists()


def test_totp_login_hands_out_a_jwtauth_pair(api: APIClient, totp_user: Any, totp_login) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    assert meta["is_authenticated"] is True
    assert meta["token_type"] == "Bearer"
    assert meta["expires_in"] == 900
    family = TokenFamily.objects.get()
    assert family.user_id == user.pk and family.revoked_at is None
    # A plain jwtauth access token: any DRF view with JWTAuthentication takes it.
    response = api.get("/api/profile/", **bearer(meta["access_token"]))
    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "roles": []}
    sessions = api.get("/api/auth/sessions/", **bearer(meta["access_token"])).json()
    assert [s["id"] for s in sessions] == [str(family.pk)]


def test_refresh_rotates_in_one_chain_and_a_replay_revokes(
    api: APIClient, totp_user: Any, totp_login
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    first_refresh = meta["refresh_token"]

    rotated = refresh_through_allauth(api, first_refresh)
    assert rotated.status_code == 200, rotated.content
    second = rotated.json()["data"]
    assert second["refresh_token"] != first_refresh
    assert api.get("/api/profile/", **bearer(second["access_token"])).status_code == 200

    # jwtauth's own endpoint continues the same chain.
    third = refresh_through_jwtauth(api, second["refresh_token"])
    assert third.status_code == 200, third.content
    assert TokenFamily.objects.count() == 1

    # The first refresh token again: theft. allauth can only say 400, but the session is gone.
    replay = refresh_through_allauth(api, first_refresh)
    assert replay.status_code == 400
    family = TokenFamily.objects.get()
    assert family.revoke_reason == "reuse"
    for access in (meta["access_token"], second["access_token"], third.json()["access"]):
        denied = api.get("/api/profile/", **bearer(access))
        assert denied.status_code == 401
        assert denied.json()["code"] == "token_revoked"
    latest = refresh_through_jwtauth(api, third.json()["refresh"])
    assert latest.status_code == 401
    assert latest.json()["code"] == "token_revoked"


def test_replay_through_jwtauth_endpoint_ends_allauth_session(
    api: APIClient, totp_user: Any, totp_login
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    second = refresh_through_jwtauth(api, meta["refresh_token"])
    assert second.status_code == 200
    assert refresh_through_jwtauth(api, second.json()["refresh"]).status_code == 200
    # The grandparent: no grace window covers it (the parent would get the same successor).
    replay = refresh_through_jwtauth(api, meta["refresh_token"])
    assert replay.json()["code"] == "token_reused"
    # allauth's session of it is gone: its session token now answers 410.
    response = api.get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=meta["session_token"])
    assert response.status_code == 410


def test_allauth_logout_revokes_the_access_token_at_once(
    api: APIClient, totp_user: Any, totp_login
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    access = meta["access_token"]
    assert api.get(f"{APP}/auth/session", **bearer(access)).status_code == 200

    response = api.delete(f"{APP}/auth/session", **bearer(access))
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False

    denied = api.get("/api/profile/", **bearer(access))
    assert denied.status_code == 401
    assert denied.json()["code"] == "token_revoked"
    assert TokenFamily.objects.get().revoke_reason == "logout"
    assert refresh_through_allauth(api, meta["refresh_token"]).status_code == 400
    refused = refresh_through_jwtauth(api, meta["refresh_token"])
    assert refused.json()["code"] == "token_revoked"


def test_logout_by_session_token_revokes_too(api: APIClient, totp_user: Any, totp_login) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    response = api.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=meta["session_token"])
    assert response.status_code == 401
    assert api.get("/api/profile/", **bearer(meta["access_token"])).status_code == 401


def test_bearer_authenticates_allauth_endpoints(api: APIClient, totp_user: Any, totp_login) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    session = api.get(f"{APP}/auth/session", **bearer(meta["access_token"]))
    assert session.status_code == 200
    assert session.json()["data"]["user"]["id"] == user.pk
    authenticators = api.get(f"{APP}/account/authenticators", **bearer(meta["access_token"]))
    assert authenticators.status_code == 200
    assert [a["type"] for a in authenticators.json()["data"]] == [Authenticator.Type.TOTP]


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Bearer a b", "Bearer "])
def test_a_bad_bearer_is_anonymous_to_allauth(api: APIClient, header: str) -> None:
    response = api.get(f"{APP}/auth/session", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False


def test_revoking_the_jwtauth_session_ends_allauth_view(
    api: APIClient, totp_user: Any, totp_login
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    family = TokenFamily.objects.get()
    revoked = api.delete(f"/api/auth/sessions/{family.pk}/", **bearer(meta["access_token"]))
    assert revoked.status_code == 204
    by_token = api.get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=meta["session_token"])
    assert by_token.status_code == 410
    by_bearer = api.get(f"{APP}/auth/session", **bearer(meta["access_token"]))
    assert by_bearer.status_code == 401
    assert by_bearer.json()["meta"]["is_authenticated"] is False


def test_a_garbage_refresh_token_is_a_400(api: APIClient) -> None:
    response = refresh_through_allauth(api, "x" * 50)
    assert response.status_code == 400


def test_bearer_of_an_allauth_login_costs_no_query(
    api: APIClient, totp_user: Any, totp_login, django_assert_num_queries, log_read: None
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    with django_assert_num_queries(0):
        response = api.get("/api/profile/", **bearer(meta["access_token"]))
    assert response.status_code == 200


def test_an_idle_jwtauth_session_ends_allauth_view(
    api: APIClient, totp_user: Any, totp_login, clock: Any
) -> None:
    user, secret = totp_user
    meta = totp_login(user, secret)
    by_token = {"HTTP_X_SESSION_TOKEN": meta["session_token"]}
    clock.shift(24 * 3600)
    assert api.get(f"{APP}/auth/session", **by_token).status_code == 200
    clock.shift(7 * 24 * 3600)  # past SESSION_IDLE_TIMEOUT, well before SESSION_LIFETIME
    assert api.get(f"{APP}/auth/session", **by_token).status_code == 410

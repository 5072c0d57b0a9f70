"""POST /api/auth/logout-all/."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.http import bearer

URL = "/api/auth/logout-all/"


def test_revokes_every_session_and_its_access_tokens(
    api: APIClient, user: Any, make_user: Any, login: Any
) -> None:
    first, second = login(user), login(user)
    other = login(make_user())

    response = api.post(URL, **bearer(first["access"]))

    assert response.status_code == 204
    assert not TokenFamily.objects.filter(user=user).active().exists()
    assert set(TokenFamily.objects.filter(user=user).values_list("revoke_reason", flat=True)) == {
        RevokeReason.LOGOUT_ALL
    }
    assert not RefreshToken.objects.filter(family__user=user, revoked_at__isnull=True).exists()
    for tokens in (first, second):
        refused = api.get("/api/auth/me/", **bearer(tokens["access"]))
        assert refused.status_code == 401
        assert refused.json()["code"] == "token_revoked"
    # Another user's session is untouched.
    assert api.get("/api/auth/me/", **bearer(other["access"])).status_code == 200


def test_refresh_tokens_of_revoked_sessions_are_refused(
    api: APIClient, user: Any, login: Any
) -> None:
    tokens = login(user)
    api.post(URL, **bearer(tokens["access"]))

    response = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_a_new_login_after_logout_all_works(api: APIClient, user: Any, login: Any) -> None:
    api.post(URL, **bearer(login(user)["access"]))

    fresh = login(user)

    assert api.get("/api/auth/me/", **bearer(fresh["access"])).status_code == 200


def test_clears_the_refresh_cookie(api: APIClient, user: Any, login: Any) -> None:
    response = api.post(URL, **bearer(login(user)["access"]))

    cookie = response.cookies["refresh_token"]
    assert cookie.value == ""
    assert cookie["path"] == "/api/auth/"


def test_without_a_token_is_not_authenticated(api: APIClient) -> None:
    response = api.post(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Bearer a b"])
def test_with_a_bad_token_is_token_invalid(api: APIClient, db: None, header: str) -> None:
    response = api.post(URL, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_with_a_revoked_token_is_token_revoked(api: APIClient, user: Any, login: Any) -> None:
    access = login(user)["access"]
    api.post(URL, **bearer(access))

    response = api.post(URL, **bearer(access))

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_get_is_not_allowed(api: APIClient, user: Any, login: Any) -> None:
    response = api.get(URL, **bearer(login(user)["access"]))

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"

"""GET /api/auth/me/: the current user, and each failure."""

from typing import Any
from uuid import UUID

from django.contrib.auth.models import Group

from jwtauth import revocation, tokens
from tests.helpers.http import bearer

URL = "/api/auth/me/"


def test_me(api: Any, user: Any, login: Any) -> None:
    user.groups.add(Group.objects.create(name="editors"))
    response = api.get(URL, **bearer(login(user)["access"]))
    assert response.status_code == 200
    assert response.json() == {
        "id": str(user.pk) if isinstance(user.pk, UUID) else user.pk,
        "username": user.get_username(),
        "email": "alice@example.com",
        "roles": ["editors"],
    }


def test_no_token_is_not_authenticated(api: Any, db: None) -> None:
    response = api.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_bad_token_is_token_invalid(api: Any, db: None) -> None:
    response = api.get(URL, **bearer("nope"))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_expired_token_is_token_expired(api: Any, user: Any, login: Any, clock: Any) -> None:
    access = login(user)["access"]
    clock.shift(15 * 60)
    assert api.get(URL, **bearer(access)).json()["code"] == "token_expired"


def test_revoked_session_is_token_revoked(api: Any, user: Any, login: Any) -> None:
    access = login(user)["access"]
    revocation.revoke_sessions([tokens.verify_access(access)["sid"]])
    response = api.get(URL, **bearer(access))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_deleted_user_is_token_revoked(api: Any, user: Any, login: Any) -> None:
    access = login(user)["access"]
    user.delete()
    assert api.get(URL, **bearer(access)).json()["code"] == "token_revoked"


def test_post_is_not_allowed(api: Any, user: Any, login: Any) -> None:
    response = api.post(URL, **bearer(login(user)["access"]))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"

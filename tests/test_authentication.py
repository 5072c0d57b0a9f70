"""JWTAuthentication: Bearer parsing, claims as request.auth, lazy user, revocation checks."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from rest_framework.request import Request

from jwtauth import revocation, tokens
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import TokenInvalid
from jwtauth.models import RevocationEntry
from tests.helpers.clock import T0
from tests.helpers.http import bearer
from tests.helpers.tokens import access_claims, sign

CHALLENGE = 'Bearer realm="api"'
INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"'


def _request(authorization: str | None = None) -> Request:
    extra = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    return Request(RequestFactory().get("/", **extra))


def test_no_header_is_no_authentication(api: Any, db: None) -> None:
    assert JWTAuthentication().authenticate(_request()) is None
    response = api.get("/api/profile/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == CHALLENGE


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token abc", "JWT abc", "Bearerabc"])
def test_other_scheme_is_ignored(header: str, api: Any, db: None) -> None:
    assert JWTAuthentication().authenticate(_request(header)) is None
    response = api.get("/api/profile/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == CHALLENGE


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer   ", "Bearer a b", "Bearer a.b c"])
def test_malformed_bearer_is_token_invalid(header: str, api: Any, db: None) -> None:
    with pytest.raises(TokenInvalid):
        JWTAuthentication().authenticate(_request(header))
    response = api.get("/api/profile/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == INVALID_TOKEN


def test_scheme_is_case_insensitive(api: Any, user: Any, login: Any) -> None:
    access = login(user)["access"]
    response = api.get("/api/profile/", HTTP_AUTHORIZATION=f"bearer {access}")
    assert response.status_code == 200


def test_request_auth_is_the_verified_claims(user: Any, login: Any) -> None:
    access = login(user)["access"]
    found = JWTAuthentication().authenticate(_request(f"Bearer {access}"))
    assert found is not None
    lazy_user, claims = found
    assert claims == tokens.verify_access(access)
    assert lazy_user.pk == lazy_user.id == user.pk
    assert lazy_user.is_authenticated and not lazy_user.is_anonymous


def test_profile_makes_zero_queries(
    api: Any, user: Any, login: Any, django_assert_num_queries: Any, log_read: None
) -> None:
    access = login(user)["access"]
    with django_assert_num_queries(0):
        response = api.get("/api/profile/", **bearer(access))
    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "roles": []}


def test_revocation_check_asks_no_cache(
    api: Any, user: Any, login: Any, monkeypatch: pytest.MonkeyPatch, log_read: None
) -> None:
    access = login(user)["access"]
    cache = caches["default"]
    calls: list[str] = []
    for name in ("get", "get_many", "has_key"):
        monkeypatch.setattr(cache, name, lambda *a, _n=name, **k: calls.append(_n))
    assert api.get("/api/profile/", **bearer(access)).status_code == 200
    assert calls == []


def test_me_loads_the_user(
    api: Any, make_user: Any, login: Any, django_assert_num_queries: Any, log_read: None
) -> None:
    bob = make_user("bob", email="bob@example.com", is_staff=True)
    access = login(bob)["access"]
    with django_assert_num_queries(1) as captured:
        response = api.get("/api/auth/me/", **bearer(access))
    assert response.status_code == 200
    # A primary-key get: no ORDER BY to build and compile on every request.
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]
    assert response.json() == {
        "id": bob.pk,
        "username": "bob",
        "email": "bob@example.com",
        "roles": ["admin"],
    }


def test_deleted_user_is_token_revoked_on_me(api: Any, user: Any, login: Any) -> None:
    access = login(user)["access"]
    user.delete()
    response = api.get("/api/auth/me/", **bearer(access))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert response["WWW-Authenticate"] == INVALID_TOKEN


def test_inactive_user_is_token_revoked_on_me(api: Any, user: Any, login: Any) -> None:
    access = login(user)["access"]
    user.is_active = False
    user.save()
    response = api.get("/api/auth/me/", **bearer(access))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_revoked_session_is_token_revoked(
    api: Any, user: Any, login: Any, django_assert_num_queries: Any
) -> None:
    access = login(user)["access"]
    other = login(user)["access"]
    revocation.revoke_sessions([tokens.verify_access(access)["sid"]])
    with django_assert_num_queries(1):  # a revocation here: the log is read before answering
        response = api.get("/api/profile/", **bearer(access))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert response["WWW-Authenticate"] == INVALID_TOKEN
    with django_assert_num_queries(0):
        assert api.get("/api/profile/", **bearer(other)).status_code == 200


@pytest.mark.parametrize(
    ("config", "life"),
    [
        ({}, 15 * 60 + 5),
        ({"LEEWAY": timedelta(seconds=30)}, 15 * 60 + 35),
        ({"ACCESS_TOKEN_LIFETIME": timedelta(minutes=5), "LEEWAY": 10}, 5 * 60 + 15),
    ],
)
def test_revocation_lasts_the_access_lifetime(
    settings: Any, db: None, clock: Any, config: dict[str, Any], life: int
) -> None:
    settings.JWTAUTH = config
    revocation.revoke_sessions(["s-1"])
    revocation.revoke_user_before(1, T0)
    lives = {row.expires_at - row.created_at for row in RevocationEntry.objects.all()}
    assert lives == {timedelta(seconds=life)}  # lifetime + leeway + 5 s for clock skew


def test_revocation_lives_in_the_database(api: Any, user: Any, clock: Any) -> None:
    revocation.revoke_sessions(["s-1"])
    now = int(T0.timestamp())
    token = sign(access_claims(user, sid="s-1", iat=now, exp=now + 600))
    assert api.get("/api/profile/", **bearer(token)).json()["code"] == "token_revoked"
    revocation.reset()  # a new process, with nothing in memory, reads it from the log
    assert api.get("/api/profile/", **bearer(token)).json()["code"] == "token_revoked"
    RevocationEntry.objects.all().delete()
    revocation.reset()
    assert api.get("/api/profile/", **bearer(token)).status_code == 200


def test_per_user_not_before(api: Any, make_user: Any, login: Any, clock: Any) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    old_alice, old_bob = login(alice)["access"], login(bob)["access"]
    clock.shift(1)
    revocation.revoke_user_before(alice.pk, T0 + timedelta(seconds=1))
    response = api.get("/api/profile/", **bearer(old_alice))
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert api.get("/api/profile/", **bearer(old_bob)).status_code == 200
    # Tokens issued from that second on are accepted.
    new_alice = login(alice)["access"]
    assert api.get("/api/profile/", **bearer(new_alice)).status_code == 200


def test_sub_that_is_not_a_pk_is_token_invalid(api: Any, db: None) -> None:
    response = api.get("/api/profile/", **bearer(sign(access_claims(type("U", (), {"pk": "x"})))))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"

"""GET /api/auth/revocations/: the live revocation log for verify-only services, and such a
service keeping its revocations current from it."""

from typing import Any

import pytest
from django.core.checks import Error, Warning
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from jwtauth import revocation
from jwtauth.checks import check_revocation_source
from tests.helpers.http import bearer
from tests.helpers.tokens import access_claims, sign

SECRET = "feed-secret-" + "x" * 32
URL = "/api/auth/revocations/"


def feed(api: APIClient, after: object = 0, secret: str | None = SECRET) -> Any:
    headers = {} if secret is None else {"HTTP_AUTHORIZATION": f"RevocationFeed {secret}"}
    return api.get(URL, {"after": after}, **headers)


@pytest.fixture
def served(settings: Any) -> None:
    settings.JWTAUTH = {"REVOCATION_FEED_SECRET": SECRET}


def test_not_served_without_a_secret(api: APIClient, db: None) -> None:
    response = feed(api)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET.upper()])
def test_refused_without_the_secret(api: APIClient, served: None, secret: str | None) -> None:
    response = feed(api, secret=secret)
    assert (response.status_code, response.json()["code"]) == (401, "feed_unauthorized")


def test_other_schemes_are_refused(api: APIClient, served: None) -> None:
    response = api.get(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.json()["code"] == "feed_unauthorized"


def test_entries_above_the_id_in_order(api: APIClient, served: None, user: Any) -> None:
    revocation.revoke_sessions(["s-1", "s-2"])
    when = timezone.now()
    revocation.revoke_user_before(user.pk, when)

    body = feed(api).json()

    assert [(e[1], e[2]) for e in body["entries"]] == [
        ("session", "s-1"),
        ("session", "s-2"),
        ("user", str(user.pk)),
    ]
    assert body["entries"][2][3] == when.timestamp()
    assert body["last_id"] == body["entries"][-1][0]
    assert body["more"] is False
    again = feed(api, after=body["entries"][0][0]).json()
    assert [e[2] for e in again["entries"]] == ["s-2", str(user.pk)]
    assert feed(api, after=body["last_id"]).json()["entries"] == []


@given(after=st.text(max_size=30) | st.integers(min_value=-(2**70), max_value=2**70).map(str))
def test_any_cursor_is_a_clear_answer(api: APIClient, served: None, db: None, after: str) -> None:
    response = feed(api, after=after)
    if after.isascii() and after.isdigit() and int(after) < 2**63:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.json()["code"]) == (400, "invalid_after")


@pytest.fixture
def verify_only(live_server: Any, settings: Any) -> None:
    """This process verifies tokens and reads revocations from the issuer (the live server)."""
    settings.JWTAUTH = {
        "REVOCATION_FEED_SECRET": SECRET,
        "REVOCATION_FEED_URL": f"{live_server.url}{URL}",
    }


def token(user: Any, sid: str) -> str:
    now = int(timezone.now().timestamp())
    return sign(access_claims(user, sid=sid, iat=now, exp=now + 900))


@pytest.mark.django_db(transaction=True)
def test_a_verify_only_service_keeps_its_revocations_current(
    api: APIClient,
    user: Any,
    verify_only: None,
    revocation_clock: Any,
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):  # the log comes over HTTP, never from a database here
        assert api.get("/api/profile/", **bearer(token(user, "s-1"))).status_code == 200
    revocation.revoke_sessions(["s-1"])  # at the issuer
    revocation.reset()  # a process of the verify-only service that has not seen it

    assert api.get("/api/profile/", **bearer(token(user, "s-2"))).status_code == 200
    revocation.revoke_sessions(["s-2"])
    revocation.reset()
    assert api.get("/api/profile/", **bearer(token(user, "s-1"))).json()["code"] == "token_revoked"
    revocation_clock.advance(0.25)
    assert api.get("/api/profile/", **bearer(token(user, "s-2"))).json()["code"] == "token_revoked"


def test_an_unreachable_feed_is_503_unless_fail_open(
    api: APIClient, user: Any, settings: Any, db: None
) -> None:
    down = {"REVOCATION_FEED_SECRET": SECRET, "REVOCATION_FEED_URL": "http://127.0.0.1:1/feed/"}
    settings.JWTAUTH = down
    response = api.get("/api/profile/", **bearer(token(user, "s-1")))
    assert (response.status_code, response.json()["code"]) == (503, "revocation_unavailable")

    settings.JWTAUTH = {**down, "REVOCATION_FAIL_OPEN": True}
    assert api.get("/api/profile/", **bearer(token(user, "s-1"))).status_code == 200


def test_checks_of_the_feed_settings(settings: Any) -> None:
    settings.JWTAUTH = {"REVOCATION_FEED_URL": "https://issuer.example/api/auth/revocations/"}
    [error] = check_revocation_source()
    assert isinstance(error, Error) and error.id == "jwtauth.E013"

    settings.JWTAUTH = {"VERIFY_ONLY": True, "JWKS_URL": "https://issuer.example/jwks.json"}
    [warning] = check_revocation_source()
    assert isinstance(warning, Warning) and warning.id == "jwtauth.W004"

    settings.JWTAUTH = {
        "VERIFY_ONLY": True,
        "REVOCATION_FEED_URL": "https://issuer.example/api/auth/revocations/",
        "REVOCATION_FEED_SECRET": SECRET,
    }
    assert check_revocation_source() == []

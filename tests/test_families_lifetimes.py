"""Session lifetimes: absolute limit, idle timeout, and the per-user cap."""

from datetime import timedelta
from typing import Any

import jwt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jwtauth import families
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.clock import T0
from tests.helpers.http import bearer


def claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def refresh(api: APIClient, tokens: dict[str, Any]) -> Any:
    return api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")


def test_a_session_ends_30_days_after_login_however_often_it_refreshes(
    api: APIClient, user: Any, login: Any, clock: Any
) -> None:
    tokens = login(user)
    family = TokenFamily.objects.get(pk=claims(tokens["access"])["sid"])
    assert family.expires_at == T0 + timedelta(days=30)
    assert claims(tokens["refresh"])["exp"] == (T0 + timedelta(days=7)).timestamp()

    for day in (6, 12, 18, 24, 29):
        clock.move_to(T0 + timedelta(days=day))
        response = refresh(api, tokens)
        assert response.status_code == 200
        tokens = response.json()
        # Rotation never extends the session: its last refresh tokens die with it.
        expected = T0 + min(timedelta(days=day + 7), timedelta(days=30))
        assert claims(tokens["refresh"])["exp"] == expected.timestamp()

    clock.move_to(T0 + timedelta(days=30, seconds=1))
    response = refresh(api, tokens)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_a_shortened_session_lifetime_is_enforced_by_the_session_row(
    api: APIClient, user: Any, login: Any, clock: Any
) -> None:
    tokens = login(user)
    sid = claims(tokens["access"])["sid"]
    TokenFamily.objects.filter(pk=sid).update(expires_at=T0 + timedelta(hours=1))

    clock.move_to(T0 + timedelta(hours=1))
    response = refresh(api, tokens)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    family = TokenFamily.objects.get(pk=sid)
    assert (family.revoke_reason, family.revoked_at) == (
        RevokeReason.EXPIRED,
        T0 + timedelta(hours=1),
    )
    assert not family.tokens.filter(revoked_at__isnull=True).exists()


def test_idle_timeout_ends_a_session_that_was_not_refreshed(
    api: APIClient, user: Any, login: Any, clock: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"SESSION_IDLE_TIMEOUT": timedelta(hours=1)}
    tokens = login(user)

    clock.move_to(T0 + timedelta(minutes=50))
    tokens = refresh(api, tokens).json()  # activity resets the idle clock
    clock.move_to(T0 + timedelta(minutes=100))
    tokens = refresh(api, tokens).json()
    clock.move_to(T0 + timedelta(minutes=160))
    response = refresh(api, tokens)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    family = TokenFamily.objects.get(pk=claims(tokens["access"])["sid"])
    assert family.revoke_reason == RevokeReason.EXPIRED


def test_default_idle_timeout_is_seven_days(
    api: APIClient, user: Any, login: Any, clock: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REFRESH_TOKEN_LIFETIME": timedelta(days=10)}
    tokens = login(user)

    clock.move_to(T0 + timedelta(days=7) - timedelta(seconds=1))
    assert refresh(api, tokens).status_code == 200
    tokens = login(user)
    clock.move_to(T0 + timedelta(days=14))
    assert refresh(api, tokens).json()["code"] == "token_expired"


def test_rotate_stays_within_six_queries(user: Any, login: Any) -> None:
    # Five on PostgreSQL (spend and touch in one statement); the sixth records the use (lineage).
    tokens = login(user)

    with CaptureQueriesContext(connection) as captured:
        families.rotate(refresh_token=tokens["refresh"])

    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q["sql"] for q in captured if not q["sql"].startswith(control)]
    assert len(statements) <= 6, statements


def test_cap_evicts_the_oldest_live_sessions(
    api: APIClient, user: Any, make_user: Any, login: Any, clock: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"MAX_SESSIONS_PER_USER": 2}
    first = login(user)
    clock.shift(timedelta(seconds=1))
    second = login(user)
    other_user = login(make_user())
    clock.shift(timedelta(seconds=1))

    third = login(user)

    evicted = TokenFamily.objects.get(pk=claims(first["access"])["sid"])
    assert evicted.revoke_reason == RevokeReason.LIMIT
    assert TokenFamily.objects.filter(user=user).active().count() == 2
    assert api.get("/api/auth/me/", **bearer(first["access"])).json()["code"] == "token_revoked"
    for tokens in (second, third, other_user):
        assert api.get("/api/auth/me/", **bearer(tokens["access"])).status_code == 200


def test_cap_ignores_sessions_that_have_expired(
    user: Any, login: Any, clock: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"MAX_SESSIONS_PER_USER": 1}
    stale = login(user)
    TokenFamily.objects.filter(pk=claims(stale["access"])["sid"]).update(expires_at=T0)

    login(user)

    assert TokenFamily.objects.get(pk=claims(stale["access"])["sid"]).revoke_reason == ""


def test_no_cap_by_default(user: Any, login: Any, settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}  # more logins than the per-IP limit
    for _ in range(12):
        login(user)

    assert TokenFamily.objects.filter(user=user).active().count() == 12

"""The session lifecycle signals and their arguments."""

from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from django.dispatch import Signal
from django.http import HttpRequest
from rest_framework.test import APIClient

from jwtauth import signals
from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.http import bearer


@pytest.fixture
def sent() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every lifecycle signal sent during the test, as (name, kwargs)."""
    log: list[tuple[str, dict[str, Any]]] = []
    names = ["session_started", "token_refreshed", "session_revoked", "refresh_token_reused"]
    receivers = {}
    for name in names:

        def receiver(sender: Any, name: str = name, **kwargs: Any) -> None:
            assert sender is TokenFamily
            kwargs.pop("signal")
            log.append((name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield log
    for name, receiver in receivers.items():
        signal: Signal = getattr(signals, name)
        signal.disconnect(receiver)


def sid(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def test_login_sends_session_started(user: Any, login: Any, sent: list) -> None:
    tokens = login(user)

    [(name, kwargs)] = sent
    assert name == "session_started"
    assert set(kwargs) == {"user", "family", "request"}
    assert kwargs["user"] == user
    assert str(kwargs["family"].pk) == sid(tokens)
    assert isinstance(kwargs["request"], HttpRequest)


def test_refresh_sends_token_refreshed(api: APIClient, user: Any, login: Any, sent: list) -> None:
    tokens = login(user)
    sent.clear()

    api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")

    [(name, kwargs)] = sent
    assert name == "token_refreshed"
    assert set(kwargs) == {"user", "family", "request"}
    assert (kwargs["user"], str(kwargs["family"].pk)) == (user, sid(tokens))
    assert isinstance(kwargs["request"], HttpRequest)


def test_logout_sends_session_revoked_with_reason(
    api: APIClient, user: Any, login: Any, sent: list
) -> None:
    tokens = login(user)
    sent.clear()

    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    [(name, kwargs)] = sent
    assert name == "session_revoked"
    assert set(kwargs) == {"user", "family", "reason"}
    assert kwargs["reason"] == RevokeReason.LOGOUT
    assert kwargs["family"].revoke_reason == RevokeReason.LOGOUT
    assert kwargs["family"].revoked_at is not None
    assert (kwargs["user"], str(kwargs["family"].pk)) == (user, sid(tokens))


def test_logout_all_sends_one_session_revoked_per_session(
    api: APIClient, user: Any, login: Any, sent: list
) -> None:
    sessions = [login(user), login(user), login(user)]
    sent.clear()

    api.post("/api/auth/logout-all/", **bearer(sessions[0]["access"]))

    assert sorted((name, str(kw["family"].pk), kw["reason"]) for name, kw in sent) == sorted(
        ("session_revoked", sid(tokens), RevokeReason.LOGOUT_ALL) for tokens in sessions
    )


def test_replay_sends_session_revoked_then_refresh_token_reused(
    api: APIClient, user: Any, login: Any, sent: list
) -> None:
    tokens = login(user)
    child = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json").json()
    api.post("/api/auth/refresh/", {"refresh": child["refresh"]}, format="json")
    sent.clear()

    replay = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")

    assert replay.json()["code"] == "token_reused"
    assert [name for name, _ in sent] == ["session_revoked", "refresh_token_reused"]
    assert sent[0][1]["reason"] == RevokeReason.REUSE
    assert set(sent[1][1]) == {"user", "family", "request"}
    assert str(sent[1][1]["family"].pk) == sid(tokens)


def test_eviction_by_the_cap_sends_session_revoked_limit(
    user: Any, login: Any, sent: list, settings: Any
) -> None:
    settings.JWTAUTH = {"MAX_SESSIONS_PER_USER": 1}
    first = login(user)
    sent.clear()

    second = login(user)

    assert [(name, str(kw["family"].pk)) for name, kw in sent] == [
        ("session_revoked", sid(first)),
        ("session_started", sid(second)),
    ]
    assert sent[0][1]["reason"] == RevokeReason.LIMIT


def test_nothing_is_sent_for_a_failed_revocation(
    api: APIClient, user: Any, login: Any, sent: list
) -> None:
    tokens = login(user)
    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    sent.clear()

    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    assert sent == []

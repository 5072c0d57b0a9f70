"""Durations: the settings object hands out a timedelta for a number of seconds, and every
module that reads a duration works with what it hands out."""

from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jwtauth import revocation, revocation_http, revocation_store, verifier
from jwtauth.keys import remote
from jwtauth.revocation_store import Batch
from jwtauth.settings import DEFAULTS, DURATIONS, jwtauth_settings

FEED = "https://issuer.example/api/auth/revocations/"


def test_durations_are_every_timedelta_default() -> None:
    assert DURATIONS == {name for name, value in DEFAULTS.items() if isinstance(value, timedelta)}
    assert "REUSE_GRACE_SECONDS" not in DURATIONS  # a count of seconds, documented as such


@pytest.mark.parametrize("name", sorted(DURATIONS))
@pytest.mark.parametrize("seconds", [90, 1.5, 0])
def test_a_number_of_seconds_arrives_as_a_timedelta(
    settings: Any, name: str, seconds: float
) -> None:
    settings.JWTAUTH = {name: seconds}
    value = getattr(jwtauth_settings, name)
    assert type(value) is timedelta
    assert value == timedelta(seconds=seconds)


def test_leeway_in_seconds(settings: Any) -> None:
    settings.JWTAUTH = {"LEEWAY": 10, "ACCESS_TOKEN_LIFETIME": 60}
    assert verifier.leeway() == 10.0
    assert revocation_store.lifetime() == timedelta(seconds=75)  # + the 5 s margin


def test_jwks_timeout_in_seconds(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.JWTAUTH = {"JWKS_TIMEOUT": 3}
    timeouts = []

    class Response:
        def read(self, size: int) -> bytes:
            return b'{"keys": []}'

    class Opener:
        @contextmanager
        def open(self, request: Any, timeout: float) -> Any:
            timeouts.append(timeout)
            yield Response()

    monkeypatch.setattr(remote, "_OPENER", Opener())
    assert remote.fetch("https://issuer.example/jwks.json") == []
    assert timeouts == [3.0]


def test_jwks_max_age_in_seconds(settings: Any, api: Any) -> None:
    settings.JWTAUTH = {"JWKS_MAX_AGE": 60}
    assert api.get("/.well-known/jwks.json")["Cache-Control"] == "public, max-age=60"


def test_revocation_feed_timeout_in_seconds(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.JWTAUTH = {
        "VERIFY_ONLY": True,
        "REVOCATION_FEED_URL": FEED,
        "REVOCATION_FEED_SECRET": "s" * 32,
        "REVOCATION_FEED_TIMEOUT": 3,
    }
    calls = []

    def fetch(url: str, secret: str, after: int, timeout: float) -> Batch:
        calls.append((url, timeout))
        return Batch(entries=[], last_id=0, horizon=None, more=False)

    monkeypatch.setattr(revocation_http, "fetch", fetch)
    revocation.catch_up()
    assert calls == [(FEED, 3.0)]


def test_revocation_staleness_in_seconds(
    settings: Any, monkeypatch: pytest.MonkeyPatch, revocation_clock: Any, log_read: None
) -> None:
    settings.JWTAUTH = {"REVOCATION_MAX_STALENESS": 0.5}
    reads = []
    monkeypatch.setattr(revocation, "catch_up", lambda: reads.append(revocation_clock()))
    claims: Any = {"sid": "s", "sub": "1", "iat": timezone.now().timestamp()}
    revocation_clock.advance(0.4)
    revocation.is_revoked(claims)
    assert reads == []
    revocation_clock.advance(0.2)
    revocation.is_revoked(claims)
    assert len(reads) == 1

"""One chain per session: a replay of the live token's parent inside the window gets the same
successor; a grandparent, or the parent after the window, is reuse."""

from datetime import timedelta
from typing import Any

import pytest

from jwtauth import families, signals, successors, tokens
from jwtauth.exceptions import TokenReused, TokenRevoked
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.clock import T0

pytestmark = pytest.mark.django_db


def test_default_window_is_thirty_seconds_and_documented(settings: Any) -> None:
    from jwtauth.settings import jwtauth_settings

    assert jwtauth_settings.REUSE_GRACE_SECONDS == 30


def test_replay_of_the_parent_inside_the_window_gets_the_same_successor(
    user: Any, clock: Any, receive: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    refreshed = receive(signals.token_refreshed)
    pair = families.start(user=user)
    first = families.rotate(refresh_token=pair.refresh)
    clock.shift(30)  # the window's last second, with the default settings

    second = families.rotate(refresh_token=pair.refresh)  # another tab, the same cookie

    assert second.refresh == first.refresh
    assert second.refresh_expires_at == first.refresh_expires_at
    # A fresh access token, issued now.
    assert second.access != first.access
    assert tokens.verify_access(second.access)["iat"] == int(
        (T0 + timedelta(seconds=30)).timestamp()
    )
    family = TokenFamily.objects.get()
    assert family.revoked_at is None
    assert reused == [] and len(refreshed) == 2
    # One chain: the login token and one successor, nothing else stored.
    assert RefreshToken.objects.count() == 2
    # The shared successor rotates on; then the parent is a grandparent: reuse.
    third = families.rotate(refresh_token=second.refresh)
    assert third.session_id == pair.session_id
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.REUSE
    assert len(reused) == 1


def test_successor_is_derived_from_the_parent_and_the_stored_row(user: Any, clock: Any) -> None:
    pair = families.start(user=user)
    child = families.rotate(refresh_token=pair.refresh)

    parent_claims = tokens.verify_refresh(pair.refresh)
    child_claims = tokens.verify_refresh(child.refresh)
    row = RefreshToken.objects.get(jti=child_claims["jti"])
    assert child_claims["jti"] == successors.jti_of(parent_claims["jti"])
    assert child_claims["iat"] == int(row.issued_at.timestamp())
    assert child_claims["exp"] == int(row.expires_at.timestamp())
    assert successors.resign(row) == child.refresh
    assert row.digest == tokens.digest(child.refresh)


def test_grandparent_inside_the_window_is_reuse(user: Any, clock: Any, receive: Any) -> None:
    reused = receive(signals.refresh_token_reused)
    pair = families.start(user=user)
    child = families.rotate(refresh_token=pair.refresh)
    grandchild = families.rotate(refresh_token=child.refresh)

    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)  # same instant: well inside the window

    family = TokenFamily.objects.get()
    assert family.revoke_reason == RevokeReason.REUSE
    assert len(reused) == 1
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=grandchild.refresh)


def test_parent_after_the_window_is_reuse(user: Any, clock: Any) -> None:
    pair = families.start(user=user)
    child = families.rotate(refresh_token=pair.refresh)
    clock.shift(31)

    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)

    assert TokenFamily.objects.get().revoke_reason == RevokeReason.REUSE
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=child.refresh)


def test_window_counts_from_the_first_use(user: Any, clock: Any, settings: Any) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 5}
    pair = families.start(user=user)
    families.rotate(refresh_token=pair.refresh)
    clock.shift(5)
    families.rotate(refresh_token=pair.refresh)
    clock.shift(1)  # a replay does not extend the window
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)


def test_zero_window_makes_every_replay_reuse(user: Any, clock: Any, settings: Any) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    pair = families.start(user=user)
    families.rotate(refresh_token=pair.refresh)
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)


def test_same_successor_after_the_refresh_key_rotated(user: Any, clock: Any, settings: Any) -> None:
    old = {"kid": "r-old", "key": "o" * 32}
    settings.JWTAUTH = {"REFRESH_KEYS": [old]}
    pair = families.start(user=user)
    first = families.rotate(refresh_token=pair.refresh)
    # A new signing key, the old one kept to verify, inside the window.
    settings.JWTAUTH = {"REFRESH_KEYS": [{"kid": "r-new", "key": "n" * 32}, old]}

    again = families.rotate(refresh_token=pair.refresh)

    assert again.refresh == first.refresh
    assert TokenFamily.objects.get().revoked_at is None


def test_replay_records_where_the_session_was_used(user: Any, clock: Any) -> None:
    pair = families.start(user=user, ip="192.0.2.1", user_agent="Tab A")
    families.rotate(refresh_token=pair.refresh, ip="192.0.2.1", user_agent="Tab A")
    clock.shift(2)
    families.rotate(refresh_token=pair.refresh, ip="198.51.100.7", user_agent="Tab B")

    family = TokenFamily.objects.get()
    assert (family.ip, family.user_agent) == ("192.0.2.1", "Tab A")
    assert (family.last_ip, family.last_user_agent) == ("198.51.100.7", "Tab B")
    assert family.last_used_at == T0 + timedelta(seconds=2)

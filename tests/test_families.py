"""Session service: start, rotate with replay detection and grace, revoke."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import RequestFactory

from jwtauth import families, revocation, signals, tokens
from jwtauth.exceptions import TokenExpired, TokenInvalid, TokenReused, TokenRevoked
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from tests.helpers.clock import T0


@pytest.fixture
def request_() -> Any:
    return RequestFactory().post("/api/auth/refresh/")


def _all_stored_values() -> list[str]:
    rows = [*TokenFamily.objects.values(), *RefreshToken.objects.values()]
    return [str(value) for row in rows for value in row.values()]


def test_start_creates_family_and_digest_row(user: Any, clock: Any, receive: Any) -> None:
    started = receive(signals.session_started)
    pair = families.start(user=user, ip="203.0.113.5", user_agent="UA/1.0")
    family = TokenFamily.objects.get()
    assert str(family.pk) == pair.session_id
    assert family.user == user
    assert (family.ip, family.user_agent) == ("203.0.113.5", "UA/1.0")
    assert family.created_at == family.last_used_at == T0
    assert family.revoked_at is None and family.revoke_reason == ""
    row = RefreshToken.objects.get()
    claims = tokens.verify_refresh(pair.refresh)
    assert row.family == family
    assert row.jti == claims["jti"]
    assert row.digest == tokens.digest(pair.refresh)
    assert (row.issued_at, row.expires_at) == (T0, T0 + timedelta(days=7))
    assert row.used_at is None and row.revoked_at is None
    assert pair.refresh_expires_at == row.expires_at
    assert pair.expires_in == 900
    assert tokens.verify_access(pair.access)["sid"] == pair.session_id
    assert [(c["user"], c["family"]) for c in started] == [(user, family)]


def test_tokens_themselves_are_never_stored(user: Any) -> None:
    pair = families.start(user=user)
    second = families.rotate(refresh_token=pair.refresh)
    stored = _all_stored_values()
    for token in (pair.refresh, pair.access, second.refresh, second.access):
        signature = token.rsplit(".", 1)[1]
        assert not any(signature in value for value in stored)


def test_user_agent_is_truncated(user: Any) -> None:
    families.start(user=user, user_agent="x" * 1000)
    assert len(TokenFamily.objects.get().user_agent) == 256


def test_rotation_spends_the_token_and_issues_a_child(
    user: Any, clock: Any, receive: Any, request_: Any
) -> None:
    refreshed = receive(signals.token_refreshed)
    pair = families.start(user=user)
    clock.shift(60)
    child = families.rotate(refresh_token=pair.refresh, request=request_)
    parent_row = RefreshToken.objects.get(digest=tokens.digest(pair.refresh))
    child_row = RefreshToken.objects.get(digest=tokens.digest(child.refresh))
    assert parent_row.used_at == T0 + timedelta(seconds=60)
    assert child_row.used_at is None
    assert child_row.family_id == parent_row.family_id
    assert child.session_id == pair.session_id
    assert child.refresh != pair.refresh and child.access != pair.access
    assert tokens.verify_access(child.access)["sid"] == pair.session_id
    family = TokenFamily.objects.get()
    assert family.last_used_at == T0 + timedelta(seconds=60)
    assert family.revoked_at is None
    assert len(refreshed) == 1 and refreshed[0]["request"] is request_
    # The child rotates in turn.
    grandchild = families.rotate(refresh_token=child.refresh)
    assert grandchild.session_id == pair.session_id
    assert RefreshToken.objects.filter(family=family).count() == 3


def test_replay_outside_grace_revokes_family(
    user: Any, receive: Any, request_: Any, clock: Any
) -> None:
    reused = receive(signals.refresh_token_reused)
    revoked_signal = receive(signals.session_revoked)
    pair = families.start(user=user)
    child = families.rotate(refresh_token=pair.refresh)
    clock.shift(31)  # past the default 30-second window
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh, request=request_)
    family = TokenFamily.objects.get()
    assert family.revoked_at == T0 + timedelta(seconds=31)
    assert family.revoke_reason == RevokeReason.REUSE == "reuse"
    assert not RefreshToken.objects.filter(revoked_at__isnull=True).exists()
    assert len(reused) == 1
    assert reused[0]["sender"] is TokenFamily
    assert reused[0]["user"] == user
    assert reused[0]["family"].pk == family.pk
    assert reused[0]["request"] is request_
    assert [c["reason"] for c in revoked_signal] == ["reuse"]
    # The legitimate child and the session's access tokens die with the family.
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=child.refresh)
    assert revocation.is_revoked(tokens.verify_access(child.access))
    assert revocation.is_revoked(tokens.verify_access(pair.access))


def test_replay_of_the_same_token_again_is_refused(user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    pair = families.start(user=user)
    families.rotate(refresh_token=pair.refresh)
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=pair.refresh)


def test_zero_grace_refuses_an_immediate_replay(user: Any, clock: Any, settings: Any) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    pair = families.start(user=user)
    families.rotate(refresh_token=pair.refresh)
    with pytest.raises(TokenReused):
        families.rotate(refresh_token=pair.refresh)  # same instant


def test_revoked_family_is_token_revoked(user: Any) -> None:
    pair = families.start(user=user)
    assert families.revoke(family_ids=[pair.session_id], reason=RevokeReason.LOGOUT) == 1
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=pair.refresh)
    # Refused before spending: not spent, not treated as reuse.
    assert RefreshToken.objects.get().used_at is None
    assert TokenFamily.objects.get().revoke_reason == RevokeReason.LOGOUT


def test_inactive_user_is_token_revoked(user: Any) -> None:
    pair = families.start(user=user)
    user.is_active = False
    user.save()
    with pytest.raises(TokenRevoked):
        families.rotate(refresh_token=pair.refresh)
    assert RefreshToken.objects.get().used_at is None


def test_digest_mismatch_is_token_invalid(user: Any) -> None:
    pair = families.start(user=user)
    RefreshToken.objects.update(digest="0" * 64)
    with pytest.raises(TokenInvalid):
        families.rotate(refresh_token=pair.refresh)
    assert RefreshToken.objects.get().used_at is None


def test_unknown_jti_is_token_invalid(user: Any) -> None:
    pair = families.start(user=user)
    RefreshToken.objects.all().delete()
    with pytest.raises(TokenInvalid):
        families.rotate(refresh_token=pair.refresh)


def test_token_of_another_family_is_token_invalid(user: Any) -> None:
    pair = families.start(user=user)
    other = families.start(user=user)
    # Point the row at another session: its sid no longer matches.
    RefreshToken.objects.filter(digest=tokens.digest(pair.refresh)).update(
        family_id=other.session_id
    )
    with pytest.raises(TokenInvalid):
        families.rotate(refresh_token=pair.refresh)


def test_expired_refresh_token_is_token_expired(user: Any, clock: Any) -> None:
    pair = families.start(user=user)
    clock.shift(timedelta(days=7))
    with pytest.raises(TokenExpired):
        families.rotate(refresh_token=pair.refresh)


def test_revoke_is_idempotent_and_revokes_access_tokens(user: Any, receive: Any) -> None:
    revoked = receive(signals.session_revoked)
    pair = families.start(user=user)
    other = families.start(user=user)
    assert families.revoke(family_ids=[pair.session_id], reason=RevokeReason.ADMIN) == 1
    assert families.revoke(family_ids=[pair.session_id], reason=RevokeReason.ADMIN) == 0
    assert revocation.is_revoked(tokens.verify_access(pair.access))
    assert not revocation.is_revoked(tokens.verify_access(other.access))
    assert [str(family.pk) for family in TokenFamily.objects.active()] == [other.session_id]
    assert [(c["user"], c["reason"]) for c in revoked] == [(user, "admin")]


def test_revoke_by_token_works_for_spent_and_expired_tokens(user: Any, clock: Any) -> None:
    pair = families.start(user=user)
    families.rotate(refresh_token=pair.refresh)
    assert families.revoke_by_token(refresh_token=pair.refresh, reason=RevokeReason.LOGOUT) == 1
    expired = families.start(user=user)
    clock.shift(timedelta(days=8))
    assert families.revoke_by_token(refresh_token=expired.refresh, reason="logout") == 1
    assert not TokenFamily.objects.active().exists()


def test_revoke_by_token_refuses_forged_tokens(user: Any) -> None:
    families.start(user=user)
    with pytest.raises(TokenInvalid):
        families.revoke_by_token(refresh_token="a.b.c", reason=RevokeReason.LOGOUT)
    assert TokenFamily.objects.active().count() == 1

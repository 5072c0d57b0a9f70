"""Session service: start, rotate, revoke; writes token tables (as do rotation and cleanup)."""

import hmac
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jwtauth import credentials, revocation, roles, rotation, signals, tokens
from jwtauth.exceptions import SessionEnded, TokenExpired, TokenInvalid, TokenReused
from jwtauth.models import RefreshToken, RevokeReason, SessionUse, TokenFamily
from jwtauth.rotation import TokenPair
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)


def start(
    *,
    user: AbstractBaseUser,
    ip: str | None = None,
    user_agent: str = "",
    request: HttpRequest | None = None,
) -> TokenPair:
    """Start a session for an authenticated user and issue its first token pair.

    With ``MAX_SESSIONS_PER_USER`` set, the oldest live sessions beyond the cap are
    revoked (reason ``limit``).
    """
    cap = jwtauth_settings.MAX_SESSIONS_PER_USER
    evicted: list[TokenFamily] = []
    user_agent = rotation.clean_agent(user_agent)
    with transaction.atomic():
        credentials.lock_unchanged(user)
        if cap is not None:
            evicted = _make_room(user=user, cap=cap)
        # Read after the lock, so a user's sessions are dated in the order they got in.
        now = timezone.now()
        family = TokenFamily.objects.create(
            user=user,
            created_at=now,
            last_used_at=now,
            expires_at=now + jwtauth_settings.SESSION_LIFETIME,
            ip=ip,
            user_agent=user_agent,
            last_ip=ip,
            last_user_agent=user_agent,
            credential=credentials.of(user),
        )
        pair = rotation.issue_pair(family=family, user=user, now=now)
        rotation.Use(at=now, ip=ip, user_agent=user_agent).record(family.pk, SessionUse.Kind.LOGIN)
    _announce(evicted, RevokeReason.LIMIT)
    signals.session_started.send(TokenFamily, user=user, family=family, request=request)
    return pair


def _make_room(*, user: AbstractBaseUser, cap: int) -> list[TokenFamily]:
    """Revoke the user's oldest live sessions so that a new one stays within ``cap``."""
    now = timezone.now()
    live = TokenFamily.objects.live(now).filter(user_id=user.pk).order_by("-created_at")
    excess = list(live.values_list("pk", flat=True)[max(cap - 1, 0) :])
    if not excess:
        return []
    return _mark_revoked(TokenFamily.objects.filter(pk__in=excess), RevokeReason.LIMIT, now)


def _find(token: str, claims: tokens.RefreshClaims, *, with_roles: bool = False) -> RefreshToken:
    rows = RefreshToken.objects.select_related("family__user")
    if with_roles:  # the access token's roles, read with the row
        rows = roles.with_group_names(rows, "family__user")
    row = rows.filter(jti=claims["jti"]).first()
    if (
        row is None
        or str(row.family_id) != claims["sid"]
        or not hmac.compare_digest(row.digest, tokens.digest(token))
    ):
        raise TokenInvalid()
    return row


def rotate(
    *,
    refresh_token: str,
    ip: str | None = None,
    user_agent: str = "",
    request: HttpRequest | None = None,
) -> TokenPair:
    """Spend a refresh token and issue its successor in the same session.

    A token already spent is a replay. The live token's parent replayed inside
    ``REUSE_GRACE_SECONDS`` gets the very successor it got the first time (two tabs
    refreshing at once, a retried request); any other replay revokes the session.
    A session whose user's password changed since it started is revoked.
    """
    claims = tokens.verify_refresh(refresh_token)
    row = _find(refresh_token, claims, with_roles=True)
    family, user = row.family, row.family.user
    if family.revoked_at is not None or row.revoked_at is not None:
        raise SessionEnded(family.revoke_reason or RevokeReason.ADMIN)
    if not user.is_active:
        raise SessionEnded(RevokeReason.DEACTIVATED)
    now = timezone.now()
    if family.has_expired(now):
        revoke(family_ids=[family.pk], reason=RevokeReason.EXPIRED)
        raise TokenExpired()
    if not credentials.matches(user, family.credential):
        revoke(family_ids=[family.pk], reason=RevokeReason.PASSWORD_CHANGE)
        raise SessionEnded(RevokeReason.PASSWORD_CHANGE)
    use = rotation.Use(at=now, ip=ip, user_agent=rotation.clean_agent(user_agent))
    pair = rotation.advance(row, family, user, use)
    if pair is None:
        with transaction.atomic():
            pair = rotation.replay(row, family, use)
    if pair is not None:
        signals.token_refreshed.send(TokenFamily, user=user, family=family, request=request)
        return pair
    logger.warning("Refresh token reuse in session %s of user %s", family.pk, user.pk)
    revoke(family_ids=[family.pk], reason=RevokeReason.REUSE)
    signals.refresh_token_reused.send(TokenFamily, user=user, family=family, request=request)
    raise TokenReused()


def revoke_by_token(*, refresh_token: str, reason: str) -> int:
    """Revoke the session of an authentic refresh token, even an expired or spent one."""
    claims = tokens.verify_refresh(refresh_token, verify_exp=False)
    return revoke(family_ids=[_find(refresh_token, claims).family_id], reason=reason)


def revoke(*, family_ids: Iterable[object], reason: str) -> int:
    """Revoke sessions and, at once, every access token they issued. Returns how many."""
    return _revoke(TokenFamily.objects.filter(pk__in=list(family_ids)), reason)


def delete(*, family_ids: Iterable[object]) -> int:
    """Revoke sessions (reason ``admin``), then delete them with their tokens."""
    ids = list(family_ids)
    revoke(family_ids=ids, reason=RevokeReason.ADMIN)
    return TokenFamily.objects.filter(pk__in=ids).delete()[1].get(TokenFamily._meta.label, 0)


def revoke_user(*, user: AbstractBaseUser, reason: str) -> int:
    """Revoke every session of ``user``; returns how many.

    Every access token the user holds dies at once, even one of a session started
    concurrently.
    """
    now = timezone.now()
    with transaction.atomic():
        families = _mark_revoked(TokenFamily.objects.filter(user_id=user.pk), reason, now)
        revocation.revoke_user_before(user.pk, now)
    _announce(families, reason)
    return len(families)


def keep_session(*, user: AbstractBaseUser, session_id: str) -> int:
    """Carry one session of ``user`` over to the password just set on it; returns 1 or 0.

    Call it after ``set_password()`` and before ``save()``, in the save's transaction: the
    new password then ends every other session, and this one goes on.
    """
    kept = TokenFamily.objects.filter(pk=_as_uuid(session_id), user_id=user.pk)
    return kept.update(credential=credentials.of(user))


def password_changed(*, user: AbstractBaseUser) -> int:
    """End the sessions ``user`` started under another password; returns how many.

    Called once a new password is saved, by whatever path. The sessions bound to the new
    password go on (one :func:`keep_session` carried over before the save), and only the
    revoked sessions' access tokens die. With
    none kept, every access token the user holds dies at once, even one of a session
    started concurrently.
    """
    reason, now = RevokeReason.PASSWORD_CHANGE, timezone.now()
    sessions = TokenFamily.objects.filter(user_id=user.pk)
    current = credentials.accepted(getattr(user, "password", "") or "")
    with transaction.atomic():
        families = _mark_revoked(sessions.exclude(credential__in=current), reason, now)
        if not sessions.filter(credential__in=current).exists():
            revocation.revoke_user_before(user.pk, now)
    _announce(families, reason)
    return len(families)


def end_session(*, user_id: object, session_id: str, reason: str) -> int:
    """Revoke one session if it is live and belongs to ``user_id``; returns 1 or 0."""
    session_uuid = _as_uuid(session_id)
    if session_uuid is None:
        return 0
    now = timezone.now()
    owned = TokenFamily.objects.live(now).filter(pk=session_uuid, user_id=user_id)
    return _revoke(owned, reason, now)


def rebind(*, user: AbstractBaseUser, previous_hash: str) -> int:
    """Carry the sessions bound to ``previous_hash`` over to the user's current hash."""
    bound = TokenFamily.objects.active().filter(
        user_id=user.pk, credential__in=credentials.accepted(previous_hash)
    )
    return bound.update(credential=credentials.of(user))


def live_sessions(*, user_id: object) -> list[TokenFamily]:
    """The user's sessions that can still refresh, most recently used first.

    Sessions started under another password are left out: their next refresh ends them.
    """
    now = timezone.now()
    users = get_user_model()._default_manager.filter(pk=user_id)
    password = users.values_list("password", flat=True).first() or ""
    sessions = TokenFamily.objects.live(now).filter(
        user_id=user_id, credential__in=credentials.accepted(password)
    )
    return list(sessions.order_by("-last_used_at"))


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _revoke(sessions: QuerySet, reason: str, now: datetime | None = None) -> int:
    with transaction.atomic():
        families = _mark_revoked(sessions, reason, now or timezone.now())
    _announce(families, reason)
    return len(families)


def _mark_revoked(sessions: QuerySet, reason: str, now: datetime) -> list[TokenFamily]:
    """Revoke the active ``sessions`` and their tokens; call inside a transaction."""
    families = list(sessions.active().select_for_update(of=("self",)).select_related("user"))
    revoked = [family.pk for family in families]
    TokenFamily.objects.filter(pk__in=revoked).update(revoked_at=now, revoke_reason=reason)
    RefreshToken.objects.filter(family_id__in=revoked, revoked_at__isnull=True).update(
        revoked_at=now
    )
    for family in families:
        family.revoked_at, family.revoke_reason = now, reason
    # In this transaction: the revocation is committed with its log entry or not at all.
    revocation.revoke_sessions(revoked, now=now)
    return families


def _announce(families: list[TokenFamily], reason: str) -> None:
    """After commit of a revocation: send the signals."""
    for family in families:
        signals.session_revoked.send(TokenFamily, user=family.user, family=family, reason=reason)

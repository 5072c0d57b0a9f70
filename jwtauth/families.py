"""Session service: start, rotate and revoke token families. The only writer of token tables."""

import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jwtauth import revocation, signals, tokens
from jwtauth.exceptions import TokenInvalid, TokenReused, TokenRevoked
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily
from jwtauth.roles import roles_for
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int
    refresh_expires_at: datetime
    session_id: str
    user: AbstractBaseUser


def _issue_pair(*, family: TokenFamily, user: AbstractBaseUser, now: datetime) -> TokenPair:
    """Sign a new access token and a new refresh token of ``family``; store the refresh digest."""
    session_id = str(family.pk)
    refresh = tokens.issue_refresh(
        session_id=session_id, now=now, expires_at=now + jwtauth_settings.REFRESH_TOKEN_LIFETIME
    )
    RefreshToken.objects.create(
        family=family,
        jti=refresh.jti,
        digest=tokens.digest(refresh.token),
        issued_at=now,
        expires_at=refresh.expires_at,
    )
    access = tokens.issue_access(
        user_id=user.pk, session_id=session_id, roles=roles_for(user), now=now
    )
    return TokenPair(
        access=access.token,
        refresh=refresh.token,
        expires_in=int(jwtauth_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        refresh_expires_at=refresh.expires_at,
        session_id=session_id,
        user=user,
    )


def start(
    *,
    user: AbstractBaseUser,
    ip: str | None = None,
    user_agent: str = "",
    request: HttpRequest | None = None,
) -> TokenPair:
    """Start a session for an authenticated user and issue its first token pair."""
    now = timezone.now()
    with transaction.atomic():
        family = TokenFamily.objects.create(
            user=user, created_at=now, last_used_at=now, ip=ip, user_agent=user_agent[:256]
        )
        pair = _issue_pair(family=family, user=user, now=now)
    signals.session_started.send(TokenFamily, user=user, family=family, request=request)
    return pair


def _find(token: str, claims: tokens.RefreshClaims) -> RefreshToken:
    row = RefreshToken.objects.select_related("family__user").filter(jti=claims["jti"]).first()
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

    A token already spent is a replay: inside ``REUSE_GRACE_SECONDS`` it gets a
    successor too (two tabs refreshing at once); outside it revokes the session.
    """
    claims = tokens.verify_refresh(refresh_token)
    row = _find(refresh_token, claims)
    family, user = row.family, row.family.user
    if family.revoked_at is not None or row.revoked_at is not None or not user.is_active:
        raise TokenRevoked()
    now = timezone.now()
    grace = float(jwtauth_settings.REUSE_GRACE_SECONDS)
    replay_ok = False
    with transaction.atomic():
        # Conditional UPDATE: of N concurrent spenders exactly one sees a row change.
        spent = RefreshToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not spent:
            row.refresh_from_db(fields=["used_at"])
            replay_ok = grace > 0 and row.used_within(grace, now)
        if spent or replay_ok:
            TokenFamily.objects.filter(pk=family.pk).update(last_used_at=now)
            pair = _issue_pair(family=family, user=user, now=now)
    if spent or replay_ok:
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
    now = timezone.now()
    ids = list(family_ids)
    with transaction.atomic():
        families = list(
            TokenFamily.objects.select_for_update()
            .select_related("user")
            .filter(pk__in=ids, revoked_at__isnull=True)
        )
        revoked = [family.pk for family in families]
        TokenFamily.objects.filter(pk__in=revoked).update(revoked_at=now, revoke_reason=reason)
        RefreshToken.objects.filter(family_id__in=revoked, revoked_at__isnull=True).update(
            revoked_at=now
        )
    revocation.revoke_sessions(revoked)
    for family in families:
        family.revoked_at, family.revoke_reason = now, reason
        signals.session_revoked.send(TokenFamily, user=family.user, family=family, reason=reason)
    return len(revoked)


def revoke_user(*, user: AbstractBaseUser, reason: str, keep_session_id: str | None = None) -> int:
    """Revoke every active session of ``user`` except ``keep_session_id``.

    Without a session to keep, every access token issued to the user so far is refused too.
    """
    now = timezone.now()
    families = TokenFamily.objects.active().filter(user=user)
    if keep_session_id is not None:
        families = families.exclude(pk=keep_session_id)
    revoked = revoke(family_ids=families.values_list("pk", flat=True), reason=reason)
    if keep_session_id is None:
        revocation.revoke_user_before(user.pk, now)
    return revoked

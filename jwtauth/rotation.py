"""Rotation of refresh tokens within a session: issue, spend once, answer a replay.

Split out of ``families`` (which calls it and owns the transactions): token pairs,
the single-winner spend, and the replay of the live token's parent inside the window.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection

from jwtauth import successors, tokens
from jwtauth.models import RefreshToken, TokenFamily
from jwtauth.roles import roles_for
from jwtauth.settings import jwtauth_settings


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int
    refresh_expires_at: datetime
    session_id: str
    user: AbstractBaseUser


def pair(
    *, family: TokenFamily, user: AbstractBaseUser, now: datetime, refresh: tokens.IssuedToken
) -> TokenPair:
    """``refresh`` with a fresh access token of ``family``."""
    session_id = str(family.pk)
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


def issue_pair(
    *, family: TokenFamily, user: AbstractBaseUser, now: datetime, jti: str | None = None
) -> TokenPair:
    """Sign a new access token and a new refresh token of ``family``; store the refresh digest."""
    # No refresh token outlives its session's absolute lifetime.
    expires_at = min(now + jwtauth_settings.REFRESH_TOKEN_LIFETIME, family.expires_at)
    refresh = tokens.issue_refresh(
        session_id=str(family.pk), now=now, expires_at=expires_at, jti=jti
    )
    RefreshToken.objects.create(
        family=family,
        jti=refresh.jti,
        digest=tokens.digest(refresh.token),
        issued_at=now,
        expires_at=refresh.expires_at,
    )
    return pair(family=family, user=user, now=now, refresh=refresh)


def clean_agent(user_agent: str) -> str:
    # PostgreSQL text cannot hold NUL; a header may.
    return user_agent.replace("\x00", "")[:256]


@dataclass(frozen=True)
class Use:
    """When and from where a session was refreshed."""

    at: datetime
    ip: str | None
    user_agent: str

    def touch(self, family_id: object) -> None:
        TokenFamily.objects.filter(pk=family_id).update(
            last_used_at=self.at, last_ip=self.ip, last_user_agent=self.user_agent
        )


def spend(row: RefreshToken, use: Use) -> bool:
    """Mark ``row`` used and its session used now, unless it was spent already.

    A conditional UPDATE: of N concurrent spenders exactly one sees a row change. On
    PostgreSQL both rows change in one statement (a data-modifying CTE), which keeps a
    refresh at four queries.
    """
    if connection.vendor != "postgresql":
        spent = RefreshToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=use.at)
        if spent:
            use.touch(row.family_id)
        return bool(spent)
    token_table = connection.ops.quote_name(RefreshToken._meta.db_table)
    family_table = connection.ops.quote_name(TokenFamily._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH spent AS (UPDATE {token_table} SET used_at = %s"  # noqa: S608 - table names
            f" WHERE id = %s AND used_at IS NULL RETURNING family_id)"
            f" UPDATE {family_table} SET last_used_at = %s, last_ip = %s, last_user_agent = %s"
            f" FROM spent WHERE {family_table}.id = spent.family_id RETURNING 1",
            [use.at, row.pk, use.at, use.ip, use.user_agent],
        )
        return cursor.fetchone() is not None


def replay(row: RefreshToken, family: TokenFamily, use: Use) -> TokenPair | None:
    """The same successor again for a replay of the live token's parent inside the window.

    None (reuse) when the window is 0 or over, or ``row`` is not the immediate parent of
    an unspent token: a grandparent, or a parent whose successor already rotated.
    """
    grace = float(jwtauth_settings.REUSE_GRACE_SECONDS)
    row.refresh_from_db(fields=["used_at"])
    if grace <= 0 or not row.used_within(grace, use.at):
        return None
    child = successors.find(row)
    if child is None or child.used_at is not None or child.revoked_at is not None:
        return None
    token = successors.resign(child)
    if token is None:
        return None
    use.touch(family.pk)
    refresh = tokens.IssuedToken(token, child.jti, child.expires_at)
    return pair(family=family, user=family.user, now=use.at, refresh=refresh)

"""Rotation of refresh tokens within a session: issue, spend once, answer a replay.

Split out of ``families`` (which calls it): token pairs, the single-winner spend that
issues the successor and records the use, and the replay of the live token's parent
inside the window.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction

from jwtauth import successors, tokens
from jwtauth.models import RefreshToken, SessionUse, TokenFamily
from jwtauth.roles import group_names_of, roles_for
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
    *,
    family: TokenFamily,
    user: AbstractBaseUser,
    now: datetime,
    refresh: tokens.IssuedToken,
    group_names: list[str] | None = None,
) -> TokenPair:
    """``refresh`` with a fresh access token of ``family``."""
    session_id = str(family.pk)
    roles = roles_for(user, group_names)
    access = tokens.issue_access(user_id=user.pk, session_id=session_id, roles=roles, now=now)
    return TokenPair(
        access=access.token,
        refresh=refresh.token,
        expires_in=int(jwtauth_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        refresh_expires_at=refresh.expires_at,
        session_id=session_id,
        user=user,
    )


def _successor(
    *, family: TokenFamily, now: datetime, jti: str | None
) -> tuple[tokens.IssuedToken, RefreshToken]:
    # No refresh token outlives its session's absolute lifetime.
    expires_at = min(now + jwtauth_settings.REFRESH_TOKEN_LIFETIME, family.expires_at)
    refresh = tokens.issue_refresh(
        session_id=str(family.pk), now=now, expires_at=expires_at, jti=jti
    )
    row = RefreshToken(
        family=family,
        jti=refresh.jti,
        digest=tokens.digest(refresh.token),
        issued_at=now,
        expires_at=refresh.expires_at,
    )
    return refresh, row


def issue_pair(*, family: TokenFamily, user: AbstractBaseUser, now: datetime) -> TokenPair:
    """Sign a new access token and a new refresh token of ``family``; store the refresh digest."""
    refresh, row = _successor(family=family, now=now, jti=None)
    row.save(force_insert=True)
    return pair(family=family, user=user, now=now, refresh=refresh)


def clean_agent(user_agent: str) -> str:
    # PostgreSQL text cannot hold NUL; a header may.
    return user_agent.replace("\x00", "")[:256]


@dataclass(frozen=True)
class Use:
    """When and from where a session was used: its login or a refresh (its lineage)."""

    at: datetime
    ip: str | None
    user_agent: str

    def record(self, family_id: object, kind: str) -> None:
        """Add this use to the session's lineage (a ``SessionUse`` row)."""
        SessionUse.objects.create(
            family_id=family_id, kind=kind, at=self.at, ip=self.ip, user_agent=self.user_agent
        )

    def touch(self, family_id: object) -> None:
        """Note a refresh: the session's last use, and a row of its lineage."""
        TokenFamily.objects.filter(pk=family_id).update(
            last_used_at=self.at, last_ip=self.ip, last_user_agent=self.user_agent
        )
        self.record(family_id, SessionUse.Kind.REFRESH)


def advance(
    row: RefreshToken, family: TokenFamily, user: AbstractBaseUser, use: Use
) -> TokenPair | None:
    """Spend ``row`` and issue its successor; None if ``row`` was spent already.

    One conditional UPDATE decides: of N concurrent spenders exactly one sees a row change,
    and only that one stores the successor, notes the session's last use and adds the
    refresh to its lineage, all in the same transaction. On PostgreSQL that is a single
    statement (data-modifying CTEs), one round trip and no BEGIN/COMMIT of its own.
    """
    refresh, successor = _successor(family=family, now=use.at, jti=successors.jti_of(row.jti))
    if connection.vendor == "postgresql":
        spent = _advance_in_one_statement(row, successor, use)
    else:
        with transaction.atomic():
            unspent = RefreshToken.objects.filter(pk=row.pk, used_at__isnull=True)
            spent = bool(unspent.update(used_at=use.at))
            if spent:
                successor.save(force_insert=True)
                use.touch(family.pk)
    if not spent:
        return None
    names = group_names_of(row)
    return pair(family=family, user=user, now=use.at, refresh=refresh, group_names=names)


def _advance_in_one_statement(row: RefreshToken, successor: RefreshToken, use: Use) -> bool:
    quote = connection.ops.quote_name
    token_table = quote(RefreshToken._meta.db_table)
    family_table = quote(TokenFamily._meta.db_table)
    use_table = quote(SessionUse._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH spent AS (UPDATE {token_table} SET used_at = %s"  # noqa: S608 - table names
            f" WHERE id = %s AND used_at IS NULL RETURNING family_id),"
            f" successor AS (INSERT INTO {token_table}"
            f" (family_id, jti, digest, issued_at, expires_at, used_at, revoked_at)"
            f" SELECT family_id, %s, %s, %s, %s, NULL, NULL FROM spent),"
            f" lineage AS (INSERT INTO {use_table} (family_id, kind, at, ip, user_agent)"
            f" SELECT family_id, %s, %s, %s, %s FROM spent)"
            f" UPDATE {family_table} SET last_used_at = %s, last_ip = %s, last_user_agent = %s"
            f" FROM spent WHERE {family_table}.id = spent.family_id RETURNING 1",
            [
                use.at, row.pk,
                successor.jti, successor.digest, successor.issued_at, successor.expires_at,
                SessionUse.Kind.REFRESH.value, use.at, use.ip, use.user_agent,
                use.at, use.ip, use.user_agent,
            ],
        )  # fmt: skip
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

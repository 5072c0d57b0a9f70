"""Deny-list in the Django cache: revoked session ids and per-user "not before" times."""

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.cache import BaseCache, caches

from jwtauth.exceptions import RevocationUnavailable
from jwtauth.settings import jwtauth_settings
from jwtauth.tokens import AccessClaims

try:
    from redis.exceptions import RedisError
except ImportError:  # redis is an optional dependency
    RedisError = OSError  # type: ignore[assignment,misc]

logger = logging.getLogger(__name__)

_PREFIX = "jwtauth:rv:"
# What cache backends raise when their server cannot be reached (socket errors are OSError).
CACHE_ERRORS: tuple[type[Exception], ...] = (OSError, RedisError)


def _cache() -> BaseCache:
    return caches[jwtauth_settings.REVOCATION_CACHE]


def _ttl() -> int:
    # After this an access token of the revoked session has expired anyway.
    leeway = jwtauth_settings.LEEWAY
    leeway = leeway if isinstance(leeway, timedelta) else timedelta(seconds=leeway)
    return int((jwtauth_settings.ACCESS_TOKEN_LIFETIME + leeway).total_seconds()) + 1


# Ids that are safe in any cache key as they are (UUIDs, integer pks).
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _id(value: object) -> str:
    """``value`` for a cache key: as is when plain, else a digest (never plain: it has a '#').

    A user pk with a space, or a long one, would make memcached refuse the key (a 500)."""
    text = str(value)
    if _PLAIN_ID.fullmatch(text):
        return text
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _sid_key(session_id: object) -> str:
    return f"{_PREFIX}s:{_id(session_id)}"


def _user_key(user_id: object) -> str:
    return f"{_PREFIX}u:{_id(user_id)}"


def revoke_sessions(session_ids: Iterable[object]) -> None:
    """Refuse every access token of these sessions from the next request on."""
    keys = {_sid_key(sid): 1 for sid in session_ids}
    if not keys:
        return
    try:
        _cache().set_many(keys, timeout=_ttl())
    except CACHE_ERRORS:
        # The sessions are revoked in the database; while the cache is down, Bearer
        # authentication fails closed unless the site chose REVOCATION_FAIL_OPEN.
        logger.exception("Revocation cache unreachable: %d session(s) not denied", len(keys))


def revoke_user_before(user_id: object, when: datetime) -> None:
    """Refuse the user's access tokens issued in an earlier second than ``when``."""
    try:
        _cache().set(_user_key(user_id), int(when.timestamp()), timeout=_ttl())
    except CACHE_ERRORS:
        logger.exception("Revocation cache unreachable: user %s not denied", user_id)


def is_revoked(claims: AccessClaims) -> bool:
    """True when the token's session or its user was revoked; one cache round trip.

    Raises RevocationUnavailable when the cache cannot be reached, unless
    ``REVOCATION_FAIL_OPEN`` is set.
    """
    sid_key, user_key = _sid_key(claims["sid"]), _user_key(claims["sub"])
    try:
        found = _cache().get_many([sid_key, user_key])
    except CACHE_ERRORS as exc:
        if not jwtauth_settings.REVOCATION_FAIL_OPEN:
            raise RevocationUnavailable() from exc
        logger.warning("Revocation cache unreachable; accepting the token (fail open)")
        return False
    if sid_key in found:
        return True
    not_before = found.get(user_key)
    return not_before is not None and claims["iat"] < not_before

"""Deterministic successors: a refresh token's successor is derived from it, never drawn at random.

The successor's ``jti`` is an HMAC of the parent's under the refresh key, and its ``iat`` and
``exp`` are stored with its digest. Signing those claims again gives the very string issued the
first time, so a replay of the parent inside the grace window is answered with the same
successor while the server still stores digests only: one live chain per session.
"""

import base64
import hmac

from jwtauth import tokens
from jwtauth.keys import Key, refresh_keys
from jwtauth.models import RefreshToken

_LABEL = b"jwtauth.successor:"


def _derive(parent_jti: str, key: Key) -> str:
    mac = hmac.digest(key.signing_key, _LABEL + parent_jti.encode(), "sha256")
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _signing_keys() -> list[Key]:
    # The signer first, then older keys: a key rotated inside the window still reproduces.
    keyset = refresh_keys()
    signer = keyset.signer
    return [signer] + [key for key in keyset.keys if key is not signer and key.signing_key]


def jti_of(parent_jti: str) -> str:
    """The ``jti`` of the successor of the refresh token ``parent_jti``."""
    return _derive(parent_jti, refresh_keys().signer)


def find(parent: RefreshToken) -> RefreshToken | None:
    """The stored successor of ``parent`` in its session, or None."""
    jtis = [_derive(parent.jti, key) for key in _signing_keys()]
    rows = {
        row.jti: row
        for row in RefreshToken.objects.filter(family_id=parent.family_id, jti__in=jtis)
    }
    return next((rows[jti] for jti in jtis if jti in rows), None)


def resign(row: RefreshToken) -> str | None:
    """The exact refresh token issued for ``row``, signed again; None if no key reproduces it."""
    for key in _signing_keys():
        token = tokens.issue_refresh(
            session_id=str(row.family_id),
            now=row.issued_at,
            expires_at=row.expires_at,
            jti=row.jti,
            key=key,
        ).token
        if hmac.compare_digest(tokens.digest(token), row.digest):
            return token
    return None

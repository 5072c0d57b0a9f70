"""Issue and verify access and refresh JWTs."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypedDict

import jwt

from jwtauth.keys import Key, KeySet, access_keys, refresh_keys
from jwtauth.settings import jwtauth_settings
from jwtauth.verifier import ClaimRules, Verifier

ACCESS = "access"
REFRESH = "refresh"
_ACCESS_REQUIRED = ("iss", "aud", "sub", "iat", "exp", "jti", "sid", "roles", "typ")
_REFRESH_REQUIRED = ("iss", "iat", "exp", "jti", "sid", "typ")


class AccessClaims(TypedDict):
    iss: str
    aud: str
    sub: str
    iat: int
    exp: int
    jti: str
    sid: str
    roles: tuple[str, ...]
    typ: Literal["access"]


class RefreshClaims(TypedDict):
    iss: str
    iat: int
    exp: int
    jti: str
    sid: str
    typ: Literal["refresh"]


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime


def digest(token: str) -> str:
    """SHA-256 hex digest of a token: what the server stores instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_jti() -> str:
    return secrets.token_urlsafe(16)


def _sign(claims: dict[str, Any], keyset: KeySet) -> str:
    key = keyset.signer
    return jwt.encode(claims, key.signing_key, algorithm=key.algorithm, headers={"kid": key.kid})


def issue_access(
    *, user_id: object, session_id: str, roles: list[str], now: datetime
) -> IssuedToken:
    jti = new_jti()
    expires_at = now + jwtauth_settings.ACCESS_TOKEN_LIFETIME
    claims = {
        "iss": jwtauth_settings.ISSUER,
        "aud": jwtauth_settings.AUDIENCE,
        "sub": str(user_id),
        "iat": now,
        "exp": expires_at,
        "jti": jti,
        "sid": session_id,
        "roles": list(roles),
        "typ": ACCESS,
    }
    return IssuedToken(_sign(claims, access_keys()), jti, expires_at)


def issue_refresh(
    *,
    session_id: str,
    now: datetime,
    expires_at: datetime,
    jti: str | None = None,
    key: Key | None = None,
) -> IssuedToken:
    """A refresh token; the same ``jti``, times and ``key`` always give the same string."""
    jti = jti or new_jti()
    claims = {
        "iss": jwtauth_settings.ISSUER,
        "iat": now,
        "exp": expires_at,
        "jti": jti,
        "sid": session_id,
        "typ": REFRESH,
    }
    keyset = refresh_keys() if key is None else KeySet((key,))
    return IssuedToken(_sign(claims, keyset), jti, expires_at)


def _access_verifier() -> Verifier:
    rules = ClaimRules(
        typ=ACCESS,
        required=_ACCESS_REQUIRED,
        strings=("sub", "jti", "sid"),
        audience=jwtauth_settings.AUDIENCE,
    )
    return Verifier(
        access_keys(), rules, cache_size=int(jwtauth_settings.VERIFIED_TOKEN_CACHE_SIZE)
    )


def _refresh_verifier() -> Verifier:
    rules = ClaimRules(
        typ=REFRESH, required=_REFRESH_REQUIRED, strings=("jti", "sid"), audience=None
    )
    return Verifier(refresh_keys(), rules)


def access_verifier() -> Verifier:
    """The one verifier of access tokens, built from the access key set with its bounded cache
    of verified tokens; rebuilt (cache emptied) whenever the settings change."""
    return jwtauth_settings.derived("access_verifier", _access_verifier)


def refresh_verifier() -> Verifier:
    return jwtauth_settings.derived("refresh_verifier", _refresh_verifier)


def verify_access(token: object) -> AccessClaims:
    """Read-only claims of a valid access token; raises TokenExpired or TokenInvalid.

    A token this process verified before is found by its exact string, and only its
    expiry is checked again (revocation is the caller's check, on every request).
    """
    return access_verifier().verify(token)  # type: ignore[return-value]


def verify_refresh(token: object, *, verify_exp: bool = True) -> RefreshClaims:
    """Read-only claims of a valid refresh token; raises TokenExpired or TokenInvalid."""
    return refresh_verifier().verify(token, verify_exp=verify_exp)  # type: ignore[return-value]

"""Issue and verify access and refresh JWTs."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict

import jwt

from jwtauth.exceptions import TokenExpired, TokenInvalid
from jwtauth.keys import ALGORITHMS, KeySet, access_keys, refresh_keys
from jwtauth.settings import jwtauth_settings

ACCESS = "access"
REFRESH = "refresh"
# Headers that would let a token choose its own verification key.
_FORBIDDEN_HEADERS = frozenset({"jku", "x5u", "jwk", "x5c", "crit"})
_ACCESS_REQUIRED = ["iss", "aud", "sub", "iat", "exp", "jti", "sid", "roles", "typ"]
_REFRESH_REQUIRED = ["iss", "iat", "exp", "jti", "sid", "typ"]


class AccessClaims(TypedDict):
    iss: str
    aud: str
    sub: str
    iat: int
    exp: int
    jti: str
    sid: str
    roles: list[str]
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


def issue_refresh(*, session_id: str, now: datetime, expires_at: datetime) -> IssuedToken:
    jti = new_jti()
    claims = {
        "iss": jwtauth_settings.ISSUER,
        "iat": now,
        "exp": expires_at,
        "jti": jti,
        "sid": session_id,
        "typ": REFRESH,
    }
    return IssuedToken(_sign(claims, refresh_keys()), jti, expires_at)


def _leeway() -> float:
    leeway = jwtauth_settings.LEEWAY
    return leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)


def _decode(
    token: object,
    keyset: KeySet,
    *,
    typ: str,
    required: list[str],
    audience: str | None,
    verify_exp: bool = True,
) -> dict[str, Any]:
    # A JWT is ASCII; other text (a lone surrogate from JSON's "\ud800" cannot even be
    # encoded) is refused before PyJWT sees it.
    if (
        not isinstance(token, str)
        or not token
        or not token.isascii()
        or len(token) > jwtauth_settings.MAX_TOKEN_BYTES
    ):
        raise TokenInvalid()
    try:
        header = jwt.get_unverified_header(token)
        # Refused before any key lookup, which may fetch a remote JWKS.
        if _FORBIDDEN_HEADERS & header.keys() or header.get("alg") not in ALGORITHMS:
            raise TokenInvalid()
        key = keyset.get(header.get("kid"))
        # The key pins its algorithm: a token cannot pick HS256 to verify with a public key.
        if key is None or header["alg"] != key.algorithm:
            raise TokenInvalid()
        claims = jwt.decode(
            token,
            key.verifying_key,
            algorithms=[key.algorithm],
            audience=audience,
            issuer=jwtauth_settings.ISSUER,
            leeway=_leeway(),
            options={"require": required, "verify_exp": verify_exp},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired() from exc
    except jwt.PyJWTError as exc:
        raise TokenInvalid() from exc
    if (
        claims["typ"] != typ
        or not all(isinstance(claims[name], str) and claims[name] for name in ("jti", "sid"))
        # PyJWT takes any int()-able time ("123"); the deny-list compares iat as a number.
        or not all(_is_number(claims[name]) for name in ("iat", "exp"))
    ):
        raise TokenInvalid()
    return claims


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def verify_access(token: object) -> AccessClaims:
    """Claims of a valid access token; raises TokenExpired or TokenInvalid."""
    claims = _decode(
        token,
        access_keys(),
        typ=ACCESS,
        required=_ACCESS_REQUIRED,
        audience=jwtauth_settings.AUDIENCE,
    )
    roles = claims["roles"]
    if not isinstance(claims["sub"], str) or not (
        isinstance(roles, list) and all(isinstance(role, str) for role in roles)
    ):
        raise TokenInvalid()
    return claims  # type: ignore[return-value]


def verify_refresh(token: object, *, verify_exp: bool = True) -> RefreshClaims:
    """Claims of a valid refresh token; raises TokenExpired or TokenInvalid."""
    claims = _decode(
        token,
        refresh_keys(),
        typ=REFRESH,
        required=_REFRESH_REQUIRED,
        audience=None,
        verify_exp=verify_exp,
    )
    return claims  # type: ignore[return-value]

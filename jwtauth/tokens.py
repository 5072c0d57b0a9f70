"""Issue and verify access and refresh JWTs."""

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict

import jwt

from jwtauth.exceptions import TokenExpired, TokenInvalid
from jwtauth.keys import ALGORITHMS, Key, KeySet, access_keys, refresh_keys
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


def _leeway() -> float:
    leeway = jwtauth_settings.LEEWAY
    return leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_HMAC_DIGESTS = {"HS256": "sha256"}
# Parsed headers of accepted tokens: a site signs with a handful of (alg, kid) pairs.
_HEADER_CACHE_SIZE = 64


def _b64decode(segment: str) -> bytes:
    """Strict base64url without padding: any other character is an error."""
    if not _BASE64URL.fullmatch(segment):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_object(segment: str) -> dict[str, Any]:
    value = json.loads(_b64decode(segment))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_claims(
    claims: dict[str, Any], *, required: list[str], audience: str | None, verify_exp: bool
) -> None:
    """The registered-claim checks PyJWT makes, for tokens verified here."""
    if any(name not in claims for name in required):
        raise TokenInvalid()
    now, leeway = time.time(), _leeway()
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", 0)
    if not (_is_number(exp) and _is_number(iat) and _is_number(nbf)):
        raise TokenInvalid()
    if iat > now + leeway or nbf > now + leeway or claims.get("iss") != jwtauth_settings.ISSUER:
        raise TokenInvalid()
    aud = claims.get("aud")
    if audience is None:
        if "aud" in claims:
            raise TokenInvalid()
    elif not (aud == audience or (isinstance(aud, list) and audience in aud)):
        raise TokenInvalid()
    if verify_exp and exp <= now - leeway:
        raise TokenExpired()


def _key_for(header_segment: str, keyset: KeySet) -> Key:
    """The key that verifies a token with this header, or TokenInvalid."""
    known = keyset.header_keys.get(header_segment)
    if known is not None:
        return known
    try:
        header = _json_object(header_segment)
    except (ValueError, RecursionError) as exc:
        raise TokenInvalid() from exc
    # Refused before any key lookup, which may fetch a remote JWKS.
    if _FORBIDDEN_HEADERS & header.keys() or header.get("alg") not in ALGORITHMS:
        raise TokenInvalid()
    key = keyset.get(header.get("kid"))
    # The key pins its algorithm: a token cannot pick HS256 to verify with a public key.
    if key is None or header["alg"] != key.algorithm:
        raise TokenInvalid()
    if keyset.caches_headers and len(keyset.header_keys) < _HEADER_CACHE_SIZE:
        keyset.header_keys[header_segment] = key
    return key


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
        header_segment, payload_segment, signature_segment = token.split(".")
    except ValueError as exc:
        raise TokenInvalid() from exc
    key = _key_for(header_segment, keyset)
    digestmod = _HMAC_DIGESTS.get(key.algorithm)
    if digestmod is not None:
        # HMAC is verified here: PyJWT's decode costs several times more for the same checks.
        signing_input = f"{header_segment}.{payload_segment}".encode()
        expected = hmac.digest(key.verifying_key, signing_input, digestmod)
        try:
            signature = _b64decode(signature_segment)
            claims = _json_object(payload_segment)
        except (ValueError, RecursionError) as exc:
            raise TokenInvalid() from exc
        if not hmac.compare_digest(expected, signature):
            raise TokenInvalid()
        _check_claims(claims, required=required, audience=audience, verify_exp=verify_exp)
    else:
        try:
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


_verified_lock = threading.Lock()


def _verified() -> dict[str, dict[str, Any]]:
    """Access tokens verified by this process, keyed by the exact token string."""
    return jwtauth_settings.derived("verified_access_tokens", dict)


def _remember(token: str, claims: dict[str, Any]) -> None:
    bound = int(jwtauth_settings.VERIFIED_TOKEN_CACHE_SIZE)
    if bound <= 0:
        return
    cache = _verified()
    with _verified_lock:
        if len(cache) >= bound:
            # Drop the oldest eighth at once, so eviction is rare and the bound always holds.
            for stale in list(cache)[: max(bound // 8, 1)]:
                cache.pop(stale, None)
        cache[token] = claims


def verify_access(token: object) -> AccessClaims:
    """Claims of a valid access token; raises TokenExpired or TokenInvalid.

    A token this process verified before is found by its exact string, and only its
    expiry is checked again (revocation is the caller's check, on every request).
    """
    known = _verified().get(token) if isinstance(token, str) else None
    if known is not None:
        if known["exp"] <= time.time() - _leeway():
            _verified().pop(token, None)  # type: ignore[arg-type]
            raise TokenExpired()
        return known.copy()  # type: ignore[return-value]
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
    _remember(token, claims)  # type: ignore[arg-type]
    return claims.copy()  # type: ignore[return-value]


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

"""One verification path for compact JWTs: strict parsing, signature by algorithm, one claim check.

Every algorithm goes through the same steps: the header is read and checked (types included),
the key is chosen by ``kid`` and must pin the header's ``alg``, the signature is checked, and
only then are the claims read and checked. Nothing is remembered about a token (its header or
its claims) before its signature has verified.
"""

import base64
import hmac
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jwtauth.exceptions import TokenExpired, TokenInvalid
from jwtauth.keys import ALGORITHMS, Key, KeySet
from jwtauth.keys.material import PYJWT_ALGORITHMS
from jwtauth.settings import jwtauth_settings

# Headers that would let a token choose its own verification key, or demand processing
# (``crit``) this verifier does not do.
_FORBIDDEN_HEADERS = frozenset({"jku", "x5u", "jwk", "x5c", "crit"})
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
# Parsed headers of verified tokens: a site signs with a handful of (alg, kid) pairs.
HEADER_CACHE_SIZE = 64


class Claims(dict):  # type: ignore[type-arg]
    """Verified claims: a read-only dict (JSON-serialisable, still ``isinstance(dict)``).

    Nested lists are tuples and nested objects are Claims, so no caller can change what a
    later request with the same token sees.
    """

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("Verified token claims are read-only; copy them with dict(claims).")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self) -> tuple[Callable[..., "Claims"], tuple[dict[str, Any]]]:
        return Claims, (dict(self),)


def freeze(value: Any) -> Any:
    """``value`` with every list made a tuple and every dict made read-only Claims."""
    if isinstance(value, dict):
        return Claims({name: freeze(item) for name, item in value.items()})
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def decode_segment(segment: str) -> bytes:
    """Strict, canonical base64url without padding.

    Any other character, padding, an impossible length, or unused low bits set in the last
    character is an error: each token has exactly one spelling.
    """
    if not _BASE64URL.fullmatch(segment) or len(segment) % 4 == 1:
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != segment.encode():
        raise ValueError("not canonical base64url")
    return raw


def json_object(segment: str) -> dict[str, Any]:
    """The JSON object in a base64url segment; ValueError or RecursionError otherwise."""
    value = json.loads(decode_segment(segment), parse_constant=_refuse_constant)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def is_number(value: object) -> bool:
    """A JSON number usable as a time: not a bool, not infinite."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def leeway() -> float:
    return jwtauth_settings.LEEWAY.total_seconds()


def _signature_ok(key: Key, signing_input: bytes, signature: bytes) -> bool:
    if key.algorithm == "HS256":
        expected = hmac.digest(key.verifying_key, signing_input, "sha256")
        return hmac.compare_digest(expected, signature)
    return bool(PYJWT_ALGORITHMS[key.algorithm].verify(signing_input, key.verifying_key, signature))


@dataclass(frozen=True)
class ClaimRules:
    """What one token type must carry: its ``typ``, required claims and audience."""

    typ: str
    required: tuple[str, ...]
    # Claims that must be non-empty strings.
    strings: tuple[str, ...]
    audience: str | None


def check_claims(claims: dict[str, Any], rules: ClaimRules, *, verify_exp: bool = True) -> None:
    """The one claim check, for every algorithm; TokenInvalid or TokenExpired."""
    if any(name not in claims for name in rules.required) or claims.get("typ") != rules.typ:
        raise TokenInvalid()
    if not all(isinstance(claims[name], str) and claims[name] for name in rules.strings):
        raise TokenInvalid()
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", 0)
    if not (is_number(exp) and is_number(iat) and is_number(nbf)):
        raise TokenInvalid()
    if claims.get("iss") != jwtauth_settings.ISSUER:
        raise TokenInvalid()
    aud = claims.get("aud")
    if rules.audience is None:
        if "aud" in claims:
            raise TokenInvalid()
    elif not (aud == rules.audience or (isinstance(aud, list) and rules.audience in aud)):
        raise TokenInvalid()
    roles = claims.get("roles", [])
    if not (isinstance(roles, list) and all(isinstance(role, str) for role in roles)):
        raise TokenInvalid()
    now, slack = time.time(), leeway()
    if iat > now + slack or nbf > now + slack:
        raise TokenInvalid()
    if verify_exp and exp <= now - slack:
        raise TokenExpired()


class Verifier:
    """Verifies tokens signed by one immutable KeySet under one set of claim rules.

    With ``cache_size`` > 0, tokens that verified are remembered by their exact string (at
    most ``cache_size``): a repeat costs a dict lookup, its expiry is checked again, and it is
    forgotten when its key no longer verifies (a key dropped from a fetched JWKS).
    """

    def __init__(self, keyset: KeySet, rules: ClaimRules, *, cache_size: int = 0) -> None:
        self.keyset = keyset
        self.rules = rules
        self.cache_size = max(int(cache_size), 0)
        self.verified: dict[str, tuple[Claims, Key]] = {}
        self.headers: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def verify(self, token: object, *, verify_exp: bool = True) -> Claims:
        """The read-only claims of a valid token; raises TokenExpired or TokenInvalid."""
        known = self.verified.get(token) if isinstance(token, str) else None
        if known is not None:
            claims, key = known
            if self.keyset.still_verifies(key):
                if verify_exp and claims["exp"] <= time.time() - leeway():
                    self.verified.pop(token, None)  # type: ignore[arg-type]
                    raise TokenExpired()
                return claims
            self.verified.pop(token, None)  # type: ignore[arg-type]
        claims, key = self._verify(token, verify_exp=verify_exp)
        if self.cache_size:
            self._remember(token, claims, key)  # type: ignore[arg-type]
        return claims

    def _header(self, segment: str) -> tuple[str, str]:
        known = self.headers.get(segment)
        if known is not None:
            return known
        try:
            header = json_object(segment)
        except (ValueError, RecursionError) as exc:
            raise TokenInvalid() from exc
        alg, kid = header.get("alg"), header.get("kid")
        if (
            _FORBIDDEN_HEADERS & header.keys()
            or not (isinstance(alg, str) and alg in ALGORITHMS)
            or not (isinstance(kid, str) and kid)
            or not isinstance(header.get("typ", ""), str)
        ):
            raise TokenInvalid()
        return alg, kid

    def _verify(self, token: object, *, verify_exp: bool) -> tuple[Claims, Key]:
        # A JWT is ASCII; other text (a lone surrogate from JSON's "\ud800" cannot even be
        # encoded) is refused unparsed, as is anything longer than MAX_TOKEN_BYTES.
        if (
            not isinstance(token, str)
            or not token.isascii()
            or len(token) > int(jwtauth_settings.MAX_TOKEN_BYTES)
            or token.count(".") != 2
        ):
            raise TokenInvalid()
        header_segment, payload_segment, signature_segment = token.split(".")
        alg, kid = self._header(header_segment)
        # Looked up only for a well-formed header: it may fetch a remote JWKS.
        key = self.keyset.get(kid)
        # The key pins its algorithm: a token cannot pick HS256 to verify with a public key.
        if key is None or key.algorithm != alg:
            raise TokenInvalid()
        signing_input = f"{header_segment}.{payload_segment}".encode()
        try:
            signature = decode_segment(signature_segment)
        except ValueError as exc:
            raise TokenInvalid() from exc
        if not _signature_ok(key, signing_input, signature):
            raise TokenInvalid()
        try:
            claims = json_object(payload_segment)
        except (ValueError, RecursionError) as exc:
            raise TokenInvalid() from exc
        check_claims(claims, self.rules, verify_exp=verify_exp)
        if len(self.headers) < HEADER_CACHE_SIZE:
            self.headers[header_segment] = (alg, kid)
        return freeze(claims), key

    def _remember(self, token: str, claims: Claims, key: Key) -> None:
        with self._lock:
            if len(self.verified) >= self.cache_size:
                # Drop the oldest eighth at once, so eviction is rare and the bound always holds.
                for stale in list(self.verified)[: max(self.cache_size // 8, 1)]:
                    self.verified.pop(stale, None)
            self.verified[token] = (claims, key)

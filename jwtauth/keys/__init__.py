"""Signing and verifying keys: key sets (sets), PEM/JWK material (material), remote JWKS."""

from jwtauth.keys.sets import (
    ALGORITHMS,
    HMAC_ALGORITHMS,
    Key,
    KeySet,
    access_keys,
    derive_secret,
    load_access,
    load_refresh,
    refresh_keys,
    verify_only,
)

__all__ = [
    "ALGORITHMS",
    "HMAC_ALGORITHMS",
    "Key",
    "KeySet",
    "access_keys",
    "derive_secret",
    "load_access",
    "load_refresh",
    "refresh_keys",
    "verify_only",
]

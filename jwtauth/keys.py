"""Key sets with ``kid``: the first key signs, every key verifies."""

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jwtauth.settings import jwtauth_settings

HMAC_ALGORITHMS = frozenset({"HS256"})
REFRESH_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Key:
    kid: str
    algorithm: str
    signing_key: Any
    verifying_key: Any


@dataclass(frozen=True)
class KeySet:
    keys: tuple[Key, ...]

    @property
    def signer(self) -> Key:
        return self.keys[0]

    def get(self, kid: object) -> Key | None:
        for key in self.keys:
            if key.kid == kid:
                return key
        return None


def derive_secret(secret: str | bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from a Django secret key."""
    if isinstance(secret, str):
        secret = secret.encode()
    return hmac.new(secret, f"jwtauth.{purpose}".encode(), hashlib.sha256).digest()


def _kid_of(secret: bytes) -> str:
    # Public, stable and short; reveals nothing usable about the secret.
    return hashlib.sha256(b"kid:" + secret).hexdigest()[:16]


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _hmac_keys(configured: Iterable[dict[str, Any]] | None, purpose: str, alg: str) -> KeySet:
    if configured is None:
        secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        derived = [derive_secret(secret, purpose) for secret in secrets]
        return KeySet(tuple(Key(_kid_of(key), alg, key, key) for key in derived))
    keys = []
    for entry in configured:
        secret = _as_bytes(entry["key"])
        keys.append(Key(str(entry.get("kid") or _kid_of(secret)), alg, secret, secret))
    if not keys:
        raise ImproperlyConfigured(f"JWTAUTH {purpose.upper()}_KEYS is empty.")
    return KeySet(tuple(keys))


def _build_access() -> KeySet:
    algorithm = jwtauth_settings.ALGORITHM
    if algorithm not in HMAC_ALGORITHMS:
        raise ImproperlyConfigured(f"Unsupported JWTAUTH ALGORITHM {algorithm!r}.")
    return _hmac_keys(jwtauth_settings.ACCESS_KEYS, "access", algorithm)


def _build_refresh() -> KeySet:
    return _hmac_keys(jwtauth_settings.REFRESH_KEYS, "refresh", REFRESH_ALGORITHM)


def access_keys() -> KeySet:
    return jwtauth_settings.derived("access_keys", _build_access)


def refresh_keys() -> KeySet:
    return jwtauth_settings.derived("refresh_keys", _build_refresh)

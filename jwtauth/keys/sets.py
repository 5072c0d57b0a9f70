"""Key sets with ``kid``: the first key with a private part signs, every key verifies."""

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jwtauth.keys.material import (
    ASYMMETRIC_ALGORITHMS,
    KeyConfigError,
    KeyMaterialError,
    algorithm_of,
    load_private,
    load_public,
    public_jwk,
    same_public_key,
)
from jwtauth.keys.remote import JWKSClient
from jwtauth.settings import jwtauth_settings

HMAC_ALGORITHMS = frozenset({"HS256"})
ALGORITHMS = HMAC_ALGORITHMS | frozenset(ASYMMETRIC_ALGORITHMS)
REFRESH_ALGORITHM = "HS256"
_ENTRY_FIELDS = frozenset({"kid", "algorithm", "key", "private_key", "public_key"})


@dataclass(frozen=True)
class Key:
    kid: str
    algorithm: str
    # None on a verification-only key.
    signing_key: Any
    verifying_key: Any
    # The public JWK of an asymmetric key, as published at /.well-known/jwks.json.
    jwk: dict[str, Any] | None = None


@dataclass(frozen=True)
class KeySet:
    """An immutable value: the configured keys. Rebuilt (never changed) when settings change."""

    keys: tuple[Key, ...]

    @property
    def can_sign(self) -> bool:
        return any(key.signing_key is not None for key in self.keys)

    @property
    def signer(self) -> Key:
        for key in self.keys:
            if key.signing_key is not None:
                return key
        raise ImproperlyConfigured("JWTAUTH has no signing key: this site can only verify tokens.")

    def get(self, kid: object) -> Key | None:
        for key in self.keys:
            if key.kid == kid:
                return key
        return None

    def still_verifies(self, key: Key) -> bool:
        """True while ``key`` (found by ``get`` earlier) is still one of this set's keys."""
        return True

    @property
    def jwks(self) -> list[dict[str, Any]]:
        """Public JWKs of the asymmetric keys; HMAC secrets are never published."""
        return [key.jwk for key in self.keys if key.jwk is not None]


@dataclass(frozen=True)
class RemoteKeySet(KeySet):
    """Configured keys first, then the keys published at ``JWKS_URL``."""

    client: JWKSClient[Key] = field(kw_only=True)

    def get(self, kid: object) -> Key | None:
        found = super().get(kid)
        if found is None and isinstance(kid, str) and kid:
            return self.client.get(kid)
        return found

    def still_verifies(self, key: Key) -> bool:
        # A refetch (at the latest JWKS_LIFETIME after the last) may have dropped or replaced
        # the key: tokens verified with it are then verified anew.
        found = self.get(key.kid)
        return found is key or (found is not None and found.jwk == key.jwk)


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


def _derived_keys(purpose: str, alg: str) -> list[Key]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    derived = [derive_secret(secret, purpose) for secret in secrets]
    return [Key(_kid_of(key), alg, key, key) for key in derived]


def _hmac_entry(entry: object, label: str, alg: str) -> Key:
    secret = entry.get("key") if isinstance(entry, dict) else None
    kid = entry.get("kid") if isinstance(entry, dict) else None
    # An empty secret would sign (and verify) with no key at all.
    if not isinstance(secret, str | bytes) or not secret:
        raise KeyConfigError(f"{label} needs a non-empty 'key' secret.")
    if kid is not None and not (isinstance(kid, str) and kid):
        raise KeyConfigError(f"{label}: 'kid' must be a non-empty string.")
    secret = _as_bytes(secret)
    return Key(kid or _kid_of(secret), alg, secret, secret)


def load_refresh() -> tuple[list[Key], list[KeyConfigError]]:
    """The REFRESH_KEYS entries that load, and the problems of those that do not."""
    configured = jwtauth_settings.REFRESH_KEYS
    if configured is None:
        return _derived_keys("refresh", REFRESH_ALGORITHM), []
    if not isinstance(configured, list | tuple):
        return [], [KeyConfigError("REFRESH_KEYS must be a list of dicts.")]
    keys, errors = [], []
    for index, entry in enumerate(configured):
        try:
            keys.append(_hmac_entry(entry, f"REFRESH_KEYS[{index}]", REFRESH_ALGORITHM))
        except KeyConfigError as exc:
            errors.append(exc)
    if not configured:
        errors.append(KeyConfigError("REFRESH_KEYS is empty."))
    return keys, errors


def _asymmetric_key(entry: dict[str, Any], algorithm: str, kid: str | None, label: str) -> Key:
    private, public = entry.get("private_key"), entry.get("public_key")
    if "key" in entry or (private is None and public is None):
        raise KeyConfigError(
            f"{label}: an {algorithm} key needs 'private_key' and/or 'public_key', not 'key'."
        )
    signing = None if private is None else load_private(algorithm, private, f"{label}.private_key")
    if public is None:
        verifying = signing.public_key()
    else:
        verifying = load_public(algorithm, public, f"{label}.public_key")
        if signing is not None and not same_public_key(signing.public_key(), verifying):
            raise KeyMaterialError(f"{label}: public_key is not the private key's.")
    jwk = public_jwk(algorithm, verifying, kid)
    return Key(jwk["kid"], algorithm, signing, verifying, jwk)


def _entry_key(entry: object, index: int, default_algorithm: str) -> Key:
    label = f"ACCESS_KEYS[{index}]"
    if not isinstance(entry, dict):
        raise KeyConfigError(f"{label} is not a dict.")
    unknown = sorted(set(entry) - _ENTRY_FIELDS)
    if unknown:
        raise KeyConfigError(f"{label} has unknown fields: {', '.join(unknown)}.")
    algorithm = entry.get("algorithm", default_algorithm)
    if algorithm not in ALGORITHMS:
        raise KeyConfigError(f"{label}: unsupported algorithm {algorithm!r}.")
    kid = entry.get("kid")
    if kid is not None and not (isinstance(kid, str) and kid):
        raise KeyConfigError(f"{label}: 'kid' must be a non-empty string.")
    if algorithm not in HMAC_ALGORITHMS:
        return _asymmetric_key(entry, algorithm, kid, label)
    secret = entry.get("key")
    if (
        not isinstance(secret, str | bytes)
        or not secret
        or {"private_key", "public_key"} & set(entry)
    ):
        raise KeyConfigError(f"{label}: an HS256 key needs a 'key' secret (and no PEM keys).")
    secret = _as_bytes(secret)
    return Key(kid or _kid_of(secret), algorithm, secret, secret)


def verify_only() -> bool:
    """True on a resource server: it verifies access tokens and needs no signing key."""
    return bool(jwtauth_settings.VERIFY_ONLY or jwtauth_settings.JWKS_URL)


def load_access() -> tuple[list[Key], list[KeyConfigError]]:
    """The ACCESS_KEYS entries that load, and the problems of those that do not."""
    algorithm = jwtauth_settings.ALGORITHM
    configured = jwtauth_settings.ACCESS_KEYS
    remote = bool(jwtauth_settings.JWKS_URL)
    if algorithm not in ALGORITHMS:
        supported = ", ".join(sorted(ALGORITHMS))
        return [], [KeyConfigError(f"Unsupported ALGORITHM {algorithm!r}; use {supported}.")]
    if configured is None:
        if remote:
            return [], []
        if algorithm in HMAC_ALGORITHMS:
            return _derived_keys("access", algorithm), []
        return [], [KeyConfigError(f"ALGORITHM {algorithm} needs ACCESS_KEYS (or a JWKS_URL).")]
    if not isinstance(configured, list | tuple):
        return [], [KeyConfigError("ACCESS_KEYS must be a list of dicts.")]
    keys, errors = [], []
    for index, entry in enumerate(configured):
        try:
            keys.append(_entry_key(entry, index, algorithm))
        except KeyConfigError as exc:
            errors.append(exc)
    duplicates = sorted(kid for kid, count in Counter(key.kid for key in keys).items() if count > 1)
    if duplicates:
        errors.append(KeyConfigError(f"ACCESS_KEYS repeats kid {', '.join(duplicates)}."))
    if not configured and not remote:
        errors.append(KeyConfigError("ACCESS_KEYS is empty."))
    return keys, errors


def _remote_key(jwk: dict[str, Any]) -> tuple[str, Key] | None:
    kid, algorithm = jwk.get("kid"), algorithm_of(jwk)
    if not (isinstance(kid, str) and kid) or algorithm is None or jwk.get("use", "sig") != "sig":
        return None
    try:
        public = load_public(algorithm, jwk, f"JWKS key {kid}")
    except KeyConfigError:
        return None
    return kid, Key(kid, algorithm, None, public, public_jwk(algorithm, public, kid))


def _build_access() -> KeySet:
    keys, errors = load_access()
    if errors:
        raise errors[0]
    if jwtauth_settings.JWKS_URL:
        return RemoteKeySet(tuple(keys), client=JWKSClient(jwtauth_settings.JWKS_URL, _remote_key))
    return KeySet(tuple(keys))


def _build_refresh() -> KeySet:
    keys, errors = load_refresh()
    if errors:
        raise errors[0]
    return KeySet(tuple(keys))


def access_keys() -> KeySet:
    return jwtauth_settings.derived("access_keys", _build_access)


def refresh_keys() -> KeySet:
    return jwtauth_settings.derived("refresh_keys", _build_refresh)

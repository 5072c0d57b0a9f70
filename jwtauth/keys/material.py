"""Asymmetric key material: load PEM/JWK keys for one algorithm, export public JWKs."""

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.core.exceptions import ImproperlyConfigured
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

ASYMMETRIC_ALGORITHMS = ("RS256", "ES256", "EdDSA")
MIN_RSA_BITS = 2048
# Members a JWK needs for the RFC 7638 thumbprint, by key type.
_THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}
_PRIVATE_TYPES: dict[str, tuple[type, ...]] = {
    "RS256": (rsa.RSAPrivateKey,),
    "ES256": (ec.EllipticCurvePrivateKey,),
    "EdDSA": (ed25519.Ed25519PrivateKey,),
}
_PUBLIC_TYPES: dict[str, tuple[type, ...]] = {
    "RS256": (rsa.RSAPublicKey,),
    "ES256": (ec.EllipticCurvePublicKey,),
    "EdDSA": (ed25519.Ed25519PublicKey,),
}
PYJWT_ALGORITHMS = {
    "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
    "ES256": ECAlgorithm(ECAlgorithm.SHA256),
    "EdDSA": OKPAlgorithm(),
}


class KeyConfigError(ImproperlyConfigured):
    """A configured key entry is unusable: malformed, unreadable, or missing."""


class KeyMaterialError(KeyConfigError):
    """Key material that does not fit its algorithm: type, curve, size, or the other half."""


def resolve(value: Any, label: str) -> Any:
    """Key material from ``"file:/path"``, ``"env:VAR"``, or the value itself (PEM, JWK, key)."""
    if not isinstance(value, str):
        return value
    if value.startswith("file:"):
        try:
            return Path(value[5:]).read_bytes()
        except OSError as exc:
            raise KeyConfigError(f"{label}: cannot read {value[5:]!r} ({exc.strerror}).") from exc
    if value.startswith("env:"):
        found = os.environ.get(value[4:])
        if not found:
            raise KeyConfigError(f"{label}: environment variable {value[4:]} is not set.")
        return found
    return value


def _prepare(algorithm: str, material: Any, label: str) -> Any:
    try:
        if isinstance(material, dict):
            return PYJWT_ALGORITHMS[algorithm].from_jwk(material)
        return PYJWT_ALGORITHMS[algorithm].prepare_key(material)
    except (
        InvalidKeyError,
        UnsupportedAlgorithm,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
    ) as exc:
        raise KeyMaterialError(f"{label} is not a valid {algorithm} key.") from exc


def _check_fits(algorithm: str, key: Any, label: str) -> None:
    if algorithm == "ES256" and not isinstance(key.curve, ec.SECP256R1):
        raise KeyMaterialError(f"{label}: ES256 needs a P-256 key, not {key.curve.name}.")
    if algorithm == "RS256" and key.key_size < MIN_RSA_BITS:
        raise KeyMaterialError(
            f"{label}: an RSA key of {key.key_size} bits is shorter than {MIN_RSA_BITS}."
        )


def load_private(algorithm: str, value: Any, label: str) -> Any:
    """The private key object of ``value`` for ``algorithm``, or KeyConfigError."""
    key = _prepare(algorithm, resolve(value, label), label)
    if not isinstance(key, _PRIVATE_TYPES[algorithm]):
        raise KeyMaterialError(f"{label} is not an {algorithm} private key.")
    _check_fits(algorithm, key, label)
    return key


def load_public(algorithm: str, value: Any, label: str) -> Any:
    """The public key object of ``value`` for ``algorithm``, or KeyConfigError.

    A private key or a JWK with private members is accepted; only its public half is kept.
    """
    key = _prepare(algorithm, resolve(value, label), label)
    if isinstance(key, _PRIVATE_TYPES[algorithm]):
        key = key.public_key()
    if not isinstance(key, _PUBLIC_TYPES[algorithm]):
        raise KeyMaterialError(f"{label} is not an {algorithm} public key.")
    _check_fits(algorithm, key, label)
    return key


def same_public_key(first: Any, second: Any) -> bool:
    return public_pem(first) == public_pem(second)


def public_pem(public_key: Any) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_pem(private_key: Any) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_jwk(algorithm: str, public_key: Any, kid: str | None = None) -> dict[str, Any]:
    """The public JWK of a key with ``kid`` (its thumbprint if None), ``alg`` and ``use``."""
    members = PYJWT_ALGORITHMS[algorithm].to_jwk(public_key, as_dict=True)
    # Built from the public key object, so no private member can appear; drop anything else too.
    public = {name: members[name] for name in _THUMBPRINT_MEMBERS[members["kty"]]}
    return {"kid": kid or thumbprint(public), "alg": algorithm, "use": "sig", **public}


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding."""
    required = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def algorithm_of(jwk: dict[str, Any]) -> str | None:
    """The supported asymmetric algorithm a published JWK is for, or None to ignore it."""
    kty, crv = jwk.get("kty"), jwk.get("crv")
    # A published JWK may hold any JSON: compare, never hash, what it says.
    inferred = None
    if kty == "RSA":
        inferred = "RS256"
    elif kty == "EC" and crv == "P-256":
        inferred = "ES256"
    elif kty == "OKP" and crv == "Ed25519":
        inferred = "EdDSA"
    algorithm = jwk.get("alg", inferred)
    return algorithm if algorithm == inferred and algorithm in ASYMMETRIC_ALGORITHMS else None


def generate(algorithm: str) -> Any:
    """A new private key for ``algorithm``."""
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_BITS)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise KeyConfigError(f"Unsupported algorithm {algorithm!r}.")

"""Forged tokens for the security tests: well-formed claims, signed by a key or by hand."""

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import jwt

from jwtauth.keys import access_keys
from tests.helpers.keys import private_key


def b64url(data: bytes | str | dict[str, Any]) -> str:
    if isinstance(data, dict):
        data = json.dumps(data, separators=(",", ":"))
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Subject:
    """Stands in for a user where only ``pk`` counts (``access_claims``' ``sub``)."""

    def __init__(self, pk: object = 1) -> None:
        self.pk = pk


def access_claims(user: Any = None, **overrides: Any) -> dict[str, Any]:
    """Claims of a well-formed access token of ``user`` (default: user id 1), issued now;
    override any of them."""
    now = int(time.time())
    claims = {
        "iss": "jwtauth",
        "aud": "jwtauth",
        "sub": "1" if user is None else str(user.pk),
        "iat": now,
        "exp": now + 900,
        "jti": "forged-jti",
        "sid": str(uuid.uuid4()),
        "roles": [],
        "typ": "access",
    }
    claims.update(overrides)
    return claims


def sign(
    claims: dict[str, Any] | None = None,
    *,
    algorithm: str = "HS256",
    number: int = 0,
    keyset: Any = None,
    key: Any = None,
    kid: str | None = None,
    headers: dict[str, Any] | None = None,
) -> str:
    """A JWT of ``claims`` (default: ``access_claims()``).

    HS256 is signed with the current access signer (or ``keyset``'s) under its kid; another
    ``algorithm`` with test key ``number``. ``key`` and ``kid`` replace either.
    """
    if algorithm == "HS256":
        signer = (keyset or access_keys()).signer
        default_key, default_kid = signer.signing_key, signer.kid
    else:
        default_key, default_kid = private_key(algorithm, number), None
    return jwt.encode(
        access_claims() if claims is None else claims,
        default_key if key is None else key,
        algorithm,
        {"kid": default_kid if kid is None else kid, **(headers or {})},
    )


def mac_signed(
    header: dict[str, Any],
    claims: dict[str, Any] | str,
    key: bytes,
    digestmod: Any = hashlib.sha256,
) -> str:
    """A token MACed with ``key`` by hand, whatever its header says (PyJWT refuses some headers,
    claims and PEM secrets); ``claims`` may be JSON text already."""
    signing_input = f"{b64url(header)}.{b64url(claims)}"
    return f"{signing_input}.{b64url(hmac.new(key, signing_input.encode(), digestmod).digest())}"


def hs256_with_secret(secret: bytes, header: dict[str, Any]) -> str:
    """An HS256 token of ``access_claims()`` MACed with ``secret`` (a public key's PEM, say)."""
    return mac_signed({"typ": "JWT", **header}, access_claims(), secret)


def sign_raw(algorithm: str, header: dict[str, Any], number: int = 0) -> str:
    """Signed like ``sign`` with test key ``number``, but with any header, even one PyJWT would
    refuse to write."""
    signing_input = f"{b64url({'alg': algorithm, **header})}.{b64url(access_claims())}"
    algorithm_object = jwt.get_algorithm_by_name(algorithm)
    signature = algorithm_object.sign(signing_input.encode(), private_key(algorithm, number))
    return f"{signing_input}.{b64url(signature)}"


def unsigned(header: dict[str, Any], claims: dict[str, Any] | None = None) -> str:
    """A token built by hand with an empty signature (``alg: none`` style)."""
    return f"{b64url(header)}.{b64url(access_claims() if claims is None else claims)}."

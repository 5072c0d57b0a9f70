"""Self-audit checks on tokens: forged, confused, tampered, expired, misdirected, swapped, replayed
refresh tokens."""

import base64
import hmac
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from jwtauth.audit_base import Failed, Site, check, code
from jwtauth.keys import access_keys, refresh_keys
from jwtauth.settings import jwtauth_settings


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(site: Site, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": jwtauth_settings.ISSUER,
        "aud": jwtauth_settings.AUDIENCE,
        "sub": str(site.user.pk),
        "iat": now,
        "exp": now + 600,
        "jti": "jwtauth-audit",
        "sid": _sid(site),
        "roles": ["admin"],
        "typ": "access",
    }
    claims.update(overrides)
    return claims


def _sid(site: Site) -> str:
    token = site.login().json()["access"]
    return str(jwt.decode(token, options={"verify_signature": False})["sid"])


def _me(site: Site, token: str) -> Any:
    return site.client(csrf=False).get(
        site.url("me"), secure=site.https, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _refused(site: Site, token: str, what: str, fix: str, expect: str = "") -> str:
    response = _me(site, token)
    if response.status_code != 401 or (expect and code(response) != expect):
        raise Failed(f"{what}: {response.status_code} {code(response)}", fix)
    return f"{what}: 401 {code(response)}"


def _signed(claims: dict[str, Any]) -> str:
    key = access_keys().signer
    return jwt.encode(claims, key.signing_key, key.algorithm, headers={"kid": key.kid})


FIX_VERIFIER = "upgrade jwtauth; do not replace its authentication class or verifier"


@check("alg none")
def alg_none(site: Site) -> str:
    kid = access_keys().signer.kid
    seen = []
    for alg in ("none", "None", "NONE"):
        token = f"{_b64({'alg': alg, 'typ': 'JWT', 'kid': kid})}.{_b64(_claims(site))}."
        seen.append(_refused(site, token, f"alg {alg}", FIX_VERIFIER))
    return "; ".join(seen)


@check("algorithm confusion")
def algorithm_confusion(site: Site) -> str:
    """HS256 signed with each published public key (as PEM and as JWK JSON) must be refused."""
    secrets: list[bytes] = []
    for key in access_keys().keys:
        public = key.verifying_key
        if hasattr(public, "public_bytes"):
            for encoding, form in (
                (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
                (serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH),
            ):
                secrets.append(public.public_bytes(encoding, form))
        if key.jwk is not None:
            secrets.append(json.dumps(key.jwk).encode())
    if not secrets:
        return f"{jwtauth_settings.ALGORITHM}: no public key to confuse"
    for secret in secrets:
        header = {"alg": "HS256", "typ": "JWT", "kid": access_keys().signer.kid}
        signing_input = f"{_b64(header)}.{_b64(_claims(site))}"
        # By hand: PyJWT itself refuses a PEM as an HMAC secret; an attacker does not.
        mac = hmac.digest(secret, signing_input.encode(), "sha256")
        token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
        _refused(site, token, "HS256 over a public key", FIX_VERIFIER)
    return f"{len(secrets)} public key encodings refused as HS256 secrets"


@check("tampered token")
def tampered(site: Site) -> str:
    token = site.login().json()["access"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = [*claims.get("roles", []), "admin"]
    forged = f"{header}.{_b64(claims)}.{signature}"
    flipped = (
        f"{header}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    )
    seen = _refused(site, forged, "claims changed", FIX_VERIFIER)
    return seen + "; " + _refused(site, flipped, "signature changed", FIX_VERIFIER)


@check("expired token")
def expired(site: Site) -> str:
    now = int(time.time())
    token = _signed(_claims(site, iat=now - 7200, exp=now - 3600))
    leeway = jwtauth_settings.LEEWAY
    fix = f"LEEWAY is {leeway}: keep it to seconds (clock skew), never hours"
    return _refused(site, token, "expired an hour ago", fix, expect="token_expired")


@check("wrong iss/aud")
def misdirected(site: Site) -> str:
    seen = []
    for claim in ("iss", "aud"):
        token = _signed(_claims(site, **{claim: "https://attacker.invalid"}))
        seen.append(_refused(site, token, f"foreign {claim}", FIX_VERIFIER))
    return "; ".join(seen)


@check("access/refresh swap")
def swapped(site: Site) -> str:
    body = site.login().json()
    seen = _refused(site, body["refresh"], "refresh token as Bearer", FIX_VERIFIER)
    response = site.post(site.client(csrf=False), "refresh", {"refresh": body["access"]})
    if response.status_code != 401:
        raise Failed(f"access token as refresh token: {response.status_code}", FIX_VERIFIER)
    if access_keys().signer.signing_key == refresh_keys().signer.signing_key:
        raise Failed(
            "access and refresh tokens are signed with the same key",
            "give ACCESS_KEYS and REFRESH_KEYS different keys (or leave both None)",
        )
    return f"{seen}; access token as refresh token: 401 {code(response)}"


# Longer than tabs and mobile retries need: a thief's replay would be honoured that long.
MAX_GRACE_SECONDS = 120


def _refresh(site: Site, token: str) -> Any:
    return site.post(site.client(csrf=False), "refresh", {"refresh": token})


def _reused(site: Site, replayed: Any, live: str) -> str:
    """The replay must be refused as reuse, and must end the session (``live`` refused too)."""
    if replayed.status_code != 401 or code(replayed) != "token_reused":
        raise Failed(
            f"replay of a rotated refresh token: {replayed.status_code}",
            "upgrade jwtauth: a replayed refresh token must revoke its session",
        )
    if _refresh(site, live).status_code != 401:
        raise Failed("the session survived the replay", FIX_VERIFIER)
    return "replay: 401 token_reused, and the session was revoked"


@check("refresh replay")
def replay(site: Site) -> str:
    grace = float(jwtauth_settings.REUSE_GRACE_SECONDS)
    if grace > MAX_GRACE_SECONDS:
        raise Failed(
            f"a replayed parent token is honoured for {grace:g} s",
            f"REUSE_GRACE_SECONDS: keep it at {MAX_GRACE_SECONDS} or less",
        )
    first = site.login().json()["refresh"]
    second = _refresh(site, first)
    if second.status_code != 200:
        raise Failed(f"first refresh answered {second.status_code}", "fix refresh before auditing")
    successor = second.json()["refresh"]
    if grace == 0:
        return _reused(site, _refresh(site, first), successor)
    # Inside the grace window the parent may only get the very same successor: one chain.
    again = _refresh(site, first)
    if again.status_code == 200 and again.json().get("refresh") != successor:
        raise Failed(
            "a replay of the parent started a second refresh chain",
            "upgrade jwtauth: a replay inside REUSE_GRACE_SECONDS must get the same successor",
        )
    third = _refresh(site, successor)
    if third.status_code != 200:
        raise Failed(f"refresh answered {third.status_code}", "fix refresh before auditing")
    # No window covers the grandparent.
    return _reused(site, _refresh(site, first), third.json()["refresh"])

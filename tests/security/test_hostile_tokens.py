"""Tokens an attacker writes by hand: odd header types, non-canonical base64url, removed keys.

Each answers 401 ``token_invalid`` (never a 500) and leaves nothing behind in the caches.
"""

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

from jwtauth import tokens
from jwtauth.exceptions import TokenInvalid
from jwtauth.keys import access_keys, refresh_keys
from tests.helpers.http import bearer
from tests.helpers.keys import jwks_server, public_jwk
from tests.helpers.tokens import access_claims, mac_signed, sign

ODD = [["HS256"], {"HS256": 1}, 256, None, True, 1.5, ""]


def _headers(kid: str) -> list[dict[str, Any]]:
    variants: list[dict[str, Any]] = []
    for value in ODD:
        variants.append({"alg": value, "kid": kid})
        variants.append({"alg": "HS256", "kid": value})
        variants.append({"alg": "HS256", "kid": kid, "crit": value})
        if value != "":
            variants.append({"alg": "HS256", "kid": kid, "typ": value})
    variants.append({"alg": "HS256", "kid": kid, "crit": ["exp"]})
    return variants


@pytest.mark.django_db
def test_odd_typed_access_headers_are_token_invalid(api: Any, user: Any) -> None:
    signer = access_keys().signer
    for header in _headers(signer.kid):
        token = mac_signed(header, access_claims(user), signer.signing_key)
        for method, path in [
            ("get", "/api/auth/me/"),
            ("post", "/api/auth/logout-all/"),
            ("post", "/api/auth/logout/"),
            ("get", "/api/auth/sessions/"),
        ]:
            response = getattr(api, method)(path, **bearer(token))
            assert response.status_code == 401, (header, path, response.content)
            assert response.json()["code"] == "token_invalid"
    assert tokens.access_verifier().headers == {}
    assert tokens.access_verifier().verified == {}


@pytest.mark.django_db
def test_odd_typed_refresh_headers_are_token_invalid(api: Any, user: Any, login: Any) -> None:
    real = login(user)["refresh"]
    claims = json.loads(base64.urlsafe_b64decode(real.split(".")[1] + "=="))
    signer = refresh_keys().signer
    for header in _headers(signer.kid):
        token = mac_signed(header, claims, signer.signing_key)
        for path in ["/api/auth/refresh/", "/api/auth/logout/"]:
            response = api.post(path, {"refresh": token}, format="json")
            assert response.status_code == 401, (header, path, response.content)
            assert response.json()["code"] == "token_invalid"


def _non_canonical(segment: str) -> str:
    """The same bytes, spelt with the unused low bits of the last character set."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    unused = {2: 0b1111, 3: 0b11}[len(segment) % 4]
    last = alphabet.index(segment[-1])
    assert last & unused == 0
    twin = segment[:-1] + alphabet[last | 1]
    pad = "=" * (-len(segment) % 4)
    assert base64.urlsafe_b64decode(twin + pad) == base64.urlsafe_b64decode(segment + pad)
    return twin


def test_only_the_canonical_spelling_of_a_signature_verifies(user: Any, clock: Any) -> None:
    # An HS256 signature is 32 bytes: 43 characters, the last with four unused bits.
    token = sign(access_claims(user))
    header, payload, signature = token.split(".")
    tokens.verify_access(token)
    with pytest.raises(TokenInvalid):
        tokens.verify_access(f"{header}.{payload}.{_non_canonical(signature)}")


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e999"])
def test_non_finite_times_are_invalid(user: Any, clock: Any, value: str) -> None:
    signer = access_keys().signer
    payload = json.dumps(access_claims(user)).replace('"exp": ', f'"exp": {value}, "x": ')
    token = mac_signed({"alg": "HS256", "kid": signer.kid}, payload, signer.signing_key)
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)


def test_a_key_removed_from_the_jwks_stops_verifying_cached_tokens(
    settings: Any, time_machine: Any
) -> None:
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    with jwks_server() as issuer:
        issuer.publish(public_jwk("ES256", "k1"))
        settings.JWTAUTH = {"JWKS_URL": issuer.url, "ACCESS_TOKEN_LIFETIME": timedelta(hours=1)}
        token = sign(algorithm="ES256", kid="k1")
        assert tokens.verify_access(token)["sub"] == "1"
        assert token in tokens.access_verifier().verified

        issuer.publish(public_jwk("ES256", "k2", number=1))
        time_machine.shift(timedelta(minutes=4))
        assert tokens.verify_access(token)["sub"] == "1"  # within JWKS_LIFETIME
        time_machine.shift(timedelta(minutes=6))
        with pytest.raises(TokenInvalid):
            tokens.verify_access(token)
        assert token not in tokens.access_verifier().verified


def test_odd_typed_published_keys_are_ignored(settings: Any) -> None:
    with jwks_server() as issuer:
        issuer.document = {
            "keys": [{"kty": ["RSA"], "kid": "k1"}, {"kty": {"EC": 1}, "crv": ["P-256"]}]
        }
        settings.JWTAUTH = {"JWKS_URL": issuer.url}
        with pytest.raises(TokenInvalid):
            tokens.verify_access(sign(algorithm="ES256", kid="k1"))


@pytest.mark.django_db
def test_a_jwks_nested_too_deeply_is_unavailable_not_a_500(settings: Any, api: Any) -> None:
    with jwks_server() as issuer:
        issuer.document = b'{"keys": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        settings.JWTAUTH = {"JWKS_URL": issuer.url}
        response = api.get("/api/profile/", **bearer(sign(algorithm="ES256", kid="k1")))
    assert (response.status_code, response.json()["code"]) == (503, "keys_unavailable")


@pytest.mark.django_db
def test_a_view_cannot_change_the_roles_later_requests_see(api: Any, user: Any) -> None:
    token = sign(access_claims(user, roles=["staff"]))
    first = api.get("/api/auth/me/", **bearer(token))
    assert first.json()["roles"] == ["staff"]
    claims = tokens.verify_access(token)
    with pytest.raises((TypeError, AttributeError)):
        claims["roles"].append("admin")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        claims["roles"] = ["admin"]  # type: ignore[misc]
    assert api.get("/api/auth/me/", **bearer(token)).json()["roles"] == ["staff"]

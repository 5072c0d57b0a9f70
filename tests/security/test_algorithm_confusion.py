"""Algorithm confusion and key-injection attacks on asymmetric access tokens."""

from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from jwtauth import tokens
from jwtauth.exceptions import TokenInvalid
from tests.helpers.http import bearer
from tests.helpers.keys import (
    ALGORITHMS,
    JWKSServer,
    jwks_server,
    public_jwk,
    public_pem,
    signing_entry,
    use_keys,
)
from tests.helpers.tokens import hs256_with_secret, sign, sign_raw, unsigned


@pytest.fixture(params=ALGORITHMS)
def algorithm(request: pytest.FixtureRequest, settings: Any) -> str:
    use_keys(settings, request.param, signing_entry(request.param, "k1"))
    return request.param


@pytest.fixture
def remote(settings: Any) -> Iterator[JWKSServer]:
    with jwks_server() as server:
        server.publish(public_jwk("RS256", "k1"))
        settings.JWTAUTH = {"JWKS_URL": server.url}
        yield server


def _refused(token: str) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)


@pytest.mark.parametrize("kid", ["k1", None])
def test_hs256_token_signed_with_the_public_key_pem(algorithm: str, kid: str | None) -> None:
    header = {"alg": "HS256"} if kid is None else {"alg": "HS256", "kid": kid}
    _refused(hs256_with_secret(public_pem(algorithm).encode(), header))


def test_hs256_token_signed_with_the_public_key_from_the_jwks(remote: JWKSServer) -> None:
    pem = public_pem("RS256").encode()
    _refused(hs256_with_secret(pem, {"alg": "HS256", "kid": "k1"}))
    # Nor does an HMAC ("oct") key published in the JWKS make HS256 acceptable.
    remote.publish(
        public_jwk("RS256", "k1"),
        {"kty": "oct", "kid": "k2", "alg": "HS256", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQ"},
    )
    _refused(hs256_with_secret(b"secret-secret-secret", {"alg": "HS256", "kid": "k2"}))


@pytest.mark.parametrize("alg", ["none", "None", "", "HS512", "PS256", "RS512", "ES384"])
def test_header_naming_another_algorithm(algorithm: str, alg: str) -> None:
    _refused(unsigned({"alg": alg, "kid": "k1"}))


def test_token_of_another_supported_algorithm_on_this_kid(algorithm: str) -> None:
    # A validly signed token of another algorithm, claiming the configured key's kid.
    for other in ALGORITHMS:
        if other != algorithm:
            _refused(sign(algorithm=other, kid="k1"))


def test_es256_signature_bytes_under_an_rs256_header(settings: Any) -> None:
    use_keys(settings, "RS256", signing_entry("RS256", "k1"))
    head, body, signature = sign(algorithm="ES256", kid="k1").split(".")
    relabelled = jwt.utils.base64url_encode(b'{"alg":"RS256","kid":"k1","typ":"JWT"}').decode()
    _refused(f"{relabelled}.{body}.{signature}")


@pytest.mark.parametrize(
    "header",
    [
        {"jku": "https://attacker.example/jwks.json"},
        {"x5u": "https://attacker.example/cert.pem"},
        {"x5c": ["MIIB"]},
        {"crit": ["exp"]},
    ],
    ids=["jku", "x5u", "x5c", "crit"],
)
def test_key_location_headers_are_refused_even_on_a_valid_signature(
    algorithm: str, header: dict[str, Any]
) -> None:
    assert tokens.verify_access(sign(algorithm=algorithm, kid="k1"))["sub"] == "1"
    _refused(sign(algorithm=algorithm, kid="k1", headers=header))


def test_embedded_jwk_of_the_attackers_key_is_refused(algorithm: str) -> None:
    attacker = public_jwk(algorithm, "k1", number=1)
    _refused(sign(algorithm=algorithm, kid="k1", number=1, headers={"jwk": attacker}))
    # Even embedding the genuine public key does not help a token the attacker signed.
    _refused(
        sign(algorithm=algorithm, kid="k1", number=1, headers={"jwk": public_jwk(algorithm, "k1")})
    )


def test_embedded_jwk_is_refused_in_verify_only_mode(remote: JWKSServer) -> None:
    _refused(
        sign(
            algorithm="RS256",
            kid="attacker",
            number=1,
            headers={"jwk": public_jwk("RS256", "attacker", 1)},
        )
    )
    _refused(
        sign(algorithm="RS256", kid="k1", headers={"jku": "https://attacker.example/jwks.json"})
    )
    # Refused before the key lookup: the forged headers caused no fetch.
    assert remote.hits == 0


@pytest.mark.parametrize("kid", [["k1"], {"k": 1}, 1, "", None])
def test_malformed_kid_is_refused_without_fetching(remote: JWKSServer, kid: Any) -> None:
    _refused(sign_raw("RS256", {"kid": kid}))
    assert remote.hits == 0


def test_private_key_material_is_never_trusted_from_a_token(algorithm: str, api: Any) -> None:
    forged = hs256_with_secret(public_pem(algorithm).encode(), {"alg": "HS256", "kid": "k1"})
    response = api.get("/api/profile/", **bearer(forged))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert 'error="invalid_token"' in response["WWW-Authenticate"]

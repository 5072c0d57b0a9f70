"""RS256, ES256 and EdDSA access keys: sources, sign/verify/tamper, rotation, key set caching."""

import base64
from typing import Any

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from jwtauth import tokens
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import TokenInvalid
from jwtauth.keys import access_keys, sets
from tests.helpers.http import bearer
from tests.helpers.keys import (
    ALGORITHMS,
    private_key,
    private_pem,
    public_entry,
    public_jwk,
    public_pem,
    signing_entry,
    use_keys,
)
from tests.helpers.tokens import b64url, sign

pytestmark = pytest.mark.parametrize("algorithm", ALGORITHMS)


def _issue() -> str:
    return tokens.issue_access(user_id=7, session_id="s1", roles=["a"], now=timezone.now()).token


def _flip(segment: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    raw[len(raw) // 2] ^= 1
    return b64url(bytes(raw))


def test_signs_with_kid_and_algorithm_and_verifies(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    token = _issue()
    assert jwt.get_unverified_header(token) == {"alg": algorithm, "kid": "k1", "typ": "JWT"}
    claims = tokens.verify_access(token)
    assert (claims["sub"], claims["sid"], claims["roles"]) == ("7", "s1", ("a",))
    # Anyone holding only the public key verifies it too.
    public = jwt.decode(token, public_pem(algorithm), algorithms=[algorithm], audience="jwtauth")
    assert public["sub"] == "7"


@pytest.mark.parametrize("part", [0, 1, 2])
def test_tampered_token_is_refused(settings: Any, algorithm: str, part: int) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    segments = _issue().split(".")
    if part == 1:
        segments[1] = jwt.utils.base64url_encode(
            jwt.utils.base64url_decode(segments[1]).replace(b'"7"', b'"8"')
        ).decode()
    else:
        segments[part] = _flip(segments[part])
    with pytest.raises(TokenInvalid):
        tokens.verify_access(".".join(segments))


def test_token_of_another_key_with_the_same_kid_is_refused(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm=algorithm, kid="k1", number=1))


def test_unknown_kid_is_refused(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm=algorithm, kid="other"))


@pytest.mark.parametrize("source", ["pem", "bytes", "file", "env", "object"])
def test_key_sources(
    settings: Any, algorithm: str, source: str, tmp_path: Any, monkeypatch: Any
) -> None:
    pem = private_pem(algorithm)
    value: Any = {
        "pem": pem,
        "bytes": pem.encode(),
        "file": f"file:{tmp_path / 'key.pem'}",
        "env": "env:TEST_JWTAUTH_KEY",
        "object": private_key(algorithm),
    }[source]
    (tmp_path / "key.pem").write_text(pem)
    monkeypatch.setenv("TEST_JWTAUTH_KEY", pem)
    use_keys(settings, algorithm, {"kid": "k1", "private_key": value})
    assert tokens.verify_access(sign(algorithm=algorithm, kid="k1"))["sub"] == "1"
    assert access_keys().signer.kid == "k1"


def test_public_key_as_jwk_verifies(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, {"kid": "k1", "public_key": public_jwk(algorithm, "k1")})
    assert tokens.verify_access(sign(algorithm=algorithm, kid="k1"))["sub"] == "1"


def test_verify_only_key_set_cannot_sign(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, public_entry(algorithm, "k1"), VERIFY_ONLY=True)
    assert tokens.verify_access(sign(algorithm=algorithm, kid="k1"))["sub"] == "1"
    assert not access_keys().can_sign
    with pytest.raises(ImproperlyConfigured):
        _issue()


def test_kid_defaults_to_the_thumbprint(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, {"private_key": private_pem(algorithm)})
    kid = jwt.get_unverified_header(_issue())["kid"]
    assert kid == access_keys().jwks[0]["kid"]
    assert len(kid) == 43  # base64url of a SHA-256 digest


def test_rotation_old_tokens_verify_until_the_old_key_is_removed(
    settings: Any, algorithm: str
) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "old", 0))
    old_token = _issue()
    # Step 1: the new key signs; the old one stays to verify.
    use_keys(
        settings,
        algorithm,
        signing_entry(algorithm, "new", 1),
        public_entry(algorithm, "old", 0),
    )
    new_token = _issue()
    assert jwt.get_unverified_header(new_token)["kid"] == "new"
    assert tokens.verify_access(old_token)["sub"] == "7"
    assert tokens.verify_access(new_token)["sub"] == "7"
    # Step 2: after the longest access lifetime, the old key goes.
    use_keys(settings, algorithm, signing_entry(algorithm, "new", 1))
    assert tokens.verify_access(new_token)["sub"] == "7"
    with pytest.raises(TokenInvalid):
        tokens.verify_access(old_token)


def test_first_entry_with_a_private_key_signs(settings: Any, algorithm: str) -> None:
    # A new key can be published (public only) before it takes over signing.
    use_keys(
        settings,
        algorithm,
        public_entry(algorithm, "next", 1),
        signing_entry(algorithm, "current", 0),
    )
    assert jwt.get_unverified_header(_issue())["kid"] == "current"
    assert [jwk["kid"] for jwk in access_keys().jwks] == ["next", "current"]


def test_migration_from_hs256_keeps_old_tokens_valid(settings: Any, algorithm: str) -> None:
    secret = "s" * 48
    settings.JWTAUTH = {"ACCESS_KEYS": [{"kid": "hs", "key": secret}]}
    hs_token = _issue()
    use_keys(
        settings,
        algorithm,
        signing_entry(algorithm, "asym"),
        {"kid": "hs", "algorithm": "HS256", "key": secret},
    )
    assert jwt.get_unverified_header(_issue())["alg"] == algorithm
    assert tokens.verify_access(hs_token)["sub"] == "7"
    assert access_keys().jwks == [public_jwk(algorithm, "asym")]


def test_keys_are_parsed_once_not_per_request(
    settings: Any, algorithm: str, monkeypatch: Any, log_read: None, django_assert_num_queries: Any
) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    token = _issue()
    built = access_keys()

    def refuse(*args: Any) -> None:
        raise AssertionError("key material parsed on the request path")

    monkeypatch.setattr(sets, "load_private", refuse)
    monkeypatch.setattr(sets, "load_public", refuse)
    request = APIRequestFactory().get("/", **bearer(token))
    with django_assert_num_queries(0):
        for _ in range(3):
            user, claims = JWTAuthentication().authenticate(request)
    assert (user.pk, claims["sub"]) == (7, "7")
    assert access_keys() is built


def test_key_set_is_rebuilt_when_settings_change(settings: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    first = access_keys()
    use_keys(settings, algorithm, signing_entry(algorithm, "k2"))
    assert access_keys() is not first
    assert access_keys().signer.kid == "k2"


def test_bearer_request_with_asymmetric_token(
    settings: Any, algorithm: str, api: Any, log_read: None, django_assert_num_queries: Any
) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    with django_assert_num_queries(0):
        response = api.get("/api/profile/", **bearer(_issue()))
    assert response.status_code == 200
    assert response.json() == {"id": 7, "roles": ["a"]}
    forged = api.get("/api/profile/", **bearer(sign(algorithm=algorithm, kid="k1", number=1)))
    assert forged.status_code == 401
    assert forged.json()["code"] == "token_invalid"

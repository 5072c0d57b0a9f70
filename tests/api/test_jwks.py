"""GET /.well-known/jwks.json: the public access-token keys."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.urls import reverse

from tests.helpers.http import bearer
from tests.helpers.keys import ALGORITHMS, public_entry, public_jwk, signing_entry, use_keys

URL = "/.well-known/jwks.json"
# Private members of RSA, EC and OKP JWKs (RFC 7518 section 6).
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def test_mounted_at_the_site_root() -> None:
    assert reverse("jwks") == URL


def test_empty_under_hs256(api: Any) -> None:
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == {"keys": []}
    assert response["Cache-Control"] == "public, max-age=300"


def test_explicit_hs256_secrets_are_never_published(settings: Any, api: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": [{"kid": "hs", "key": "s" * 48}]}
    assert api.get(URL).json() == {"keys": []}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_publishes_public_keys_only(settings: Any, api: Any, algorithm: str) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    response = api.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    (key,) = response.json()["keys"]
    assert key == public_jwk(algorithm, "k1")
    assert (key["kid"], key["alg"], key["use"]) == ("k1", algorithm, "sig")
    assert not PRIVATE_MEMBERS & key.keys()
    assert jwt.PyJWK(key).algorithm_name == algorithm


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_published_key_verifies_issued_tokens(
    settings: Any, api: Any, user: Any, login: Any, algorithm: str
) -> None:
    use_keys(settings, algorithm, signing_entry(algorithm, "k1"))
    access = login(user)["access"]
    (key,) = api.get(URL).json()["keys"]
    claims = jwt.decode(access, jwt.PyJWK(key), algorithms=[algorithm], audience="jwtauth")
    assert claims["sub"] == str(user.pk)


def test_rotation_publishes_every_verifying_key(settings: Any, api: Any) -> None:
    use_keys(
        settings,
        "ES256",
        signing_entry("ES256", "new", 1),
        public_entry("ES256", "old", 0),
        {"kid": "ed", "algorithm": "EdDSA", "public_key": public_jwk("EdDSA", "ed")},
    )
    keys = api.get(URL).json()["keys"]
    assert [(key["kid"], key["alg"]) for key in keys] == [
        ("new", "ES256"),
        ("old", "ES256"),
        ("ed", "EdDSA"),
    ]
    assert all(not PRIVATE_MEMBERS & key.keys() for key in keys)


def test_max_age_is_a_setting(settings: Any, api: Any) -> None:
    settings.JWTAUTH = {"JWKS_MAX_AGE": timedelta(hours=1)}
    assert api.get(URL)["Cache-Control"] == "public, max-age=3600"


def test_needs_no_authentication_whatever_the_site_default(settings: Any, api: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    }
    assert api.get(URL).status_code == 200
    # A bad Bearer token is not even looked at.
    assert api.get(URL, **bearer("garbage")).status_code == 200


def test_json_even_for_a_browser(api: Any) -> None:
    response = api.get(URL, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response.json() == {"keys": []}


def test_other_methods_are_refused(api: Any) -> None:
    response = api.post(URL, {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"

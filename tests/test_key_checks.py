"""System checks of the access key settings: jwtauth.E007 to E010, E014 and W003."""

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jwtauth import checks
from jwtauth.keys import material
from tests.helpers.keys import private_pem, public_entry, public_jwk, public_pem, signing_entry


def _ids(settings: Any, config: dict[str, Any]) -> list[str]:
    settings.JWTAUTH = config
    found = [
        *checks.check_settings(),
        *checks.check_key_config(),
        *checks.check_signing_key(),
        *checks.check_jwks(),
        *checks.check_keys(),
    ]
    return [message.id for message in found]


def _pem(key: Any) -> str:
    return material.private_pem(key).decode()


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [signing_entry("RS256", "k1")]},
        {"ALGORITHM": "ES256", "ACCESS_KEYS": [signing_entry("ES256", "k1")]},
        {
            "ALGORITHM": "EdDSA",
            "ACCESS_KEYS": [
                {**signing_entry("EdDSA", "k1"), "public_key": public_pem("EdDSA")},
                public_entry("EdDSA", "k0", 1),
            ],
        },
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [public_entry("RS256", "k1")], "VERIFY_ONLY": True},
        {"JWKS_URL": "https://issuer.example/.well-known/jwks.json"},
        {"JWKS_URL": "http://127.0.0.1:8000/.well-known/jwks.json", "JWKS_LIFETIME": 60},
    ],
    ids=["default", "rs256", "es256", "eddsa-rotation", "verify-only", "jwks", "jwks-loopback"],
)
def test_valid_configurations_pass(settings: Any, config: dict[str, Any]) -> None:
    assert _ids(settings, config) == []


@pytest.mark.parametrize(
    "config",
    [
        {"ALGORITHM": "RS384"},
        {"ALGORITHM": "RS256"},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": []},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": {"kid": "k1"}},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": ["pem"]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{**signing_entry("RS256", "k1"), "pem": "x"}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{"kid": "k1"}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{"kid": "k1", "key": private_pem("RS256")}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{**signing_entry("RS256", "k1"), "kid": 5}]},
        {"ACCESS_KEYS": [{"kid": "k1", "key": "s" * 48, "public_key": public_pem("RS256")}]},
        {"ACCESS_KEYS": [{**signing_entry("RS256", "k1"), "algorithm": "PS256"}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{"kid": "k", "private_key": "env:NO_SUCH_VAR"}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{"kid": "k", "private_key": "file:/no/such"}]},
        {
            "ALGORITHM": "ES256",
            "ACCESS_KEYS": [signing_entry("ES256", "k1"), public_entry("ES256", "k1", 1)],
        },
    ],
    ids=[
        "unsupported-algorithm",
        "asymmetric-without-keys",
        "empty",
        "not-a-list",
        "entry-not-dict",
        "unknown-field",
        "no-material",
        "secret-field-for-rs256",
        "kid-not-string",
        "pem-on-hs256",
        "unsupported-entry-algorithm",
        "missing-env",
        "missing-file",
        "duplicate-kid",
    ],
)
def test_malformed_key_settings_are_e007(settings: Any, config: dict[str, Any]) -> None:
    assert _ids(settings, config) == ["jwtauth.E007"]


@pytest.mark.parametrize(
    ("algorithm", "entry"),
    [
        ("RS256", {"kid": "k", "private_key": "-----BEGIN PRIVATE KEY-----\nnope"}),
        ("ES256", signing_entry("RS256", "k")),
        ("EdDSA", signing_entry("ES256", "k")),
        ("ES256", {"kid": "k", "private_key": _pem(ec.generate_private_key(ec.SECP384R1()))}),
        (
            "RS256",
            {"kid": "k", "private_key": _pem(rsa.generate_private_key(65537, 1024))},  # noqa: S505
        ),
        ("RS256", {"kid": "k", "private_key": public_pem("RS256")}),
        ("RS256", {**signing_entry("RS256", "k"), "public_key": public_pem("RS256", 1)}),
        ("ES256", {"kid": "k", "public_key": public_jwk("EdDSA", "k")}),
    ],
    ids=[
        "garbage-pem",
        "rsa-key-for-es256",
        "ec-key-for-eddsa",
        "p384-for-es256",
        "short-rsa",
        "public-as-private",
        "mismatched-pair",
        "okp-jwk-for-es256",
    ],
)
def test_key_material_not_fitting_the_algorithm_is_e008(
    settings: Any, algorithm: str, entry: dict[str, Any]
) -> None:
    config = {"ALGORITHM": algorithm, "ACCESS_KEYS": [entry], "VERIFY_ONLY": True}
    assert _ids(settings, config) == ["jwtauth.E008"]


def test_all_problems_are_reported_at_once(settings: Any) -> None:
    settings.JWTAUTH = {
        "ALGORITHM": "RS256",
        "ACCESS_KEYS": [{"kid": "a"}, signing_entry("ES256", "b"), signing_entry("RS256", "c")],
    }
    messages = checks.check_key_config()
    assert [message.id for message in messages] == ["jwtauth.E007", "jwtauth.E008"]
    assert "ACCESS_KEYS[0]" in messages[0].msg
    assert "ACCESS_KEYS[1]" in messages[1].msg
    assert all(message.hint for message in messages)


def test_no_signing_key_is_e009_unless_verify_only(settings: Any) -> None:
    config = {"ALGORITHM": "ES256", "ACCESS_KEYS": [public_entry("ES256", "k1")]}
    assert _ids(settings, config) == ["jwtauth.E009"]
    assert _ids(settings, {**config, "VERIFY_ONLY": True}) == []
    assert _ids(settings, {**config, "JWKS_URL": "https://issuer.example/jwks.json"}) == []


@pytest.mark.parametrize(
    "config",
    [
        {"JWKS_URL": "ftp://issuer.example/jwks.json"},
        {"JWKS_URL": "file:///etc/jwks.json"},
        {"JWKS_URL": "/.well-known/jwks.json"},
        {"JWKS_URL": 42},
    ],
    ids=["ftp", "file", "relative", "not-string"],
)
def test_bad_jwks_url_is_e010(settings: Any, config: dict[str, Any]) -> None:
    assert _ids(settings, config) == ["jwtauth.E010"]


@pytest.mark.parametrize(
    "config",
    [
        {"JWKS_REFRESH_INTERVAL": timedelta(0)},
        {"JWKS_LIFETIME": -5},
        {"JWKS_TIMEOUT": "5"},
        {"JWKS_MAX_AGE": True},
    ],
    ids=["zero", "negative", "string", "bool"],
)
def test_bad_jwks_durations_are_e014(settings: Any, config: dict[str, Any]) -> None:
    assert _ids(settings, config) == ["jwtauth.E014"]


def test_a_bad_jwks_url_and_duration_are_two_problems(settings: Any) -> None:
    config = {"JWKS_URL": "ftp://issuer.example/jwks.json", "JWKS_LIFETIME": 0}
    assert _ids(settings, config) == ["jwtauth.E014", "jwtauth.E010"]


def test_plain_http_jwks_url_to_another_host_is_w003(settings: Any) -> None:
    assert _ids(settings, {"JWKS_URL": "http://issuer.example/jwks.json"}) == ["jwtauth.W003"]

"""Verification-only mode: access tokens checked against a remote JWKS, fetched and cached."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from jwtauth import tokens
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import KeysUnavailable, TokenInvalid
from jwtauth.keys import access_keys
from jwtauth.keys.remote import MAX_JWKS_BYTES, JWKSClient
from tests.helpers.http import bearer
from tests.helpers.keys import JWKSServer, jwks_server, public_jwk
from tests.helpers.threads import run_together
from tests.helpers.tokens import sign


@pytest.fixture
def issuer() -> Iterator[JWKSServer]:
    with jwks_server() as server:
        server.publish(public_jwk("RS256", "k1"))
        yield server


@pytest.fixture
def resource_server(settings: Any, issuer: JWKSServer) -> JWKSServer:
    """This site as a resource server: only JWKS_URL is configured."""
    settings.JWTAUTH = {"JWKS_URL": issuer.url}
    return issuer


def test_verifies_tokens_of_the_issuer_fetching_the_jwks_once(resource_server: JWKSServer) -> None:
    for _ in range(3):
        assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    assert resource_server.hits == 1


def test_concurrent_first_requests_fetch_once(resource_server: JWKSServer) -> None:
    token = sign(algorithm="RS256", kid="k1")
    results = run_together([lambda: tokens.verify_access(token)["sub"]] * 16)
    assert results == ["1"] * 16
    assert resource_server.hits == 1


def test_nothing_is_fetched_before_the_first_token(resource_server: JWKSServer) -> None:
    access_keys()
    assert resource_server.hits == 0


def test_no_database_and_no_signing_key(
    resource_server: JWKSServer, api: Any, django_assert_num_queries: Any, db: None
) -> None:
    with django_assert_num_queries(0):
        response = api.get("/api/profile/", **bearer(sign(algorithm="RS256", kid="k1")))
    assert response.status_code == 200
    assert response.json() == {"id": 1, "roles": []}
    with pytest.raises(ImproperlyConfigured):
        access_keys().signer  # noqa: B018


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_every_asymmetric_algorithm(resource_server: JWKSServer, algorithm: str) -> None:
    resource_server.publish(public_jwk(algorithm, "k2"))
    assert tokens.verify_access(sign(algorithm=algorithm, kid="k2"))["sub"] == "1"


def test_forged_token_is_refused(resource_server: JWKSServer, api: Any) -> None:
    response = api.get("/api/profile/", **bearer(sign(algorithm="RS256", kid="k1", number=1)))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_new_kid_published_later_is_fetched(resource_server: JWKSServer, time_machine: Any) -> None:
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    resource_server.publish(public_jwk("RS256", "k1"), public_jwk("ES256", "k2"))
    time_machine.shift(timedelta(seconds=30))
    # Rotation on the issuer: the unknown kid triggers one refetch.
    assert tokens.verify_access(sign(algorithm="ES256", kid="k2"))["sub"] == "1"
    assert resource_server.hits == 2


def test_unknown_kid_refetches_at_most_once_per_interval(
    resource_server: JWKSServer, time_machine: Any
) -> None:
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    for number in range(5):
        with pytest.raises(TokenInvalid):
            tokens.verify_access(sign(algorithm="RS256", kid=f"forged{number}"))
    # The first token fetched; the forged kids within 30 s got no refetch.
    assert resource_server.hits == 1
    time_machine.shift(timedelta(seconds=31))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="forged"))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="forged-again"))
    assert resource_server.hits == 2


def test_refresh_interval_is_a_setting(
    settings: Any, resource_server: JWKSServer, time_machine: Any
) -> None:
    settings.JWTAUTH = {**settings.JWTAUTH, "JWKS_REFRESH_INTERVAL": 300}
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    time_machine.shift(timedelta(seconds=299))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="forged"))
    assert resource_server.hits == 1
    time_machine.shift(timedelta(seconds=1))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="forged"))
    assert resource_server.hits == 2


def test_expired_jwks_is_refetched_and_removed_keys_stop_verifying(
    resource_server: JWKSServer, time_machine: Any
) -> None:
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    token = sign(algorithm="RS256", kid="k1")
    tokens.verify_access(token)
    resource_server.publish(public_jwk("ES256", "k2"))
    time_machine.shift(timedelta(minutes=9))
    assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    assert resource_server.hits == 1
    time_machine.shift(timedelta(minutes=1))
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    assert resource_server.hits == 2


def test_issuer_down_before_any_fetch_is_503(resource_server: JWKSServer, api: Any) -> None:
    resource_server.status = 500
    with pytest.raises(KeysUnavailable):
        tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    response = api.get("/api/profile/", **bearer(sign(algorithm="RS256", kid="k1")))
    assert response.status_code == 503
    assert response.json()["code"] == "keys_unavailable"


def test_issuer_down_later_keeps_the_known_keys(
    resource_server: JWKSServer, time_machine: Any
) -> None:
    time_machine.move_to("2030-01-01 00:00:00Z", tick=False)
    tokens.verify_access(sign(algorithm="RS256", kid="k1"))
    resource_server.status = 503
    time_machine.shift(timedelta(hours=1))
    assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    # One failed attempt per interval, not one per request.
    assert resource_server.hits == 2


def test_redirects_are_not_followed(resource_server: JWKSServer) -> None:
    with jwks_server() as elsewhere:
        elsewhere.publish(public_jwk("RS256", "k1"))
        resource_server.status = 302
        resource_server.headers = {"Location": elsewhere.url}
        with pytest.raises(KeysUnavailable):
            tokens.verify_access(sign(algorithm="RS256", kid="k1"))
        assert elsewhere.hits == 0


@pytest.mark.parametrize(
    "document",
    [b"not json", b"[]", b'{"keys": {}}', b'{"keys": [' + b" " * MAX_JWKS_BYTES + b"]}"],
    ids=["not-json", "not-object", "keys-not-list", "too-large"],
)
def test_unusable_documents_count_as_unavailable(
    resource_server: JWKSServer, document: bytes
) -> None:
    resource_server.document = document
    with pytest.raises(KeysUnavailable):
        tokens.verify_access(sign(algorithm="RS256", kid="k1"))


@pytest.mark.parametrize(
    "bad",
    [
        {"kty": "oct", "kid": "k9", "k": "c2VjcmV0", "alg": "HS256"},
        {"kid": "k9", "alg": "PS256"},
        {"kid": "k9", "alg": "ES256"},
        {"kid": "k9", "use": "enc"},
        {"kid": ""},
        {"kid": "k9", "n": "not-base64!"},
    ],
    ids=["oct", "other-alg", "alg-of-other-key-type", "encryption-key", "no-kid", "garbage"],
)
def test_unusable_keys_in_the_jwks_are_ignored(
    resource_server: JWKSServer, bad: dict[str, Any]
) -> None:
    key = {**public_jwk("RS256", "k9"), **bad}
    resource_server.publish(public_jwk("RS256", "k1"), key)
    assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(algorithm="RS256", kid="k9"))


def test_configured_public_keys_are_checked_before_the_jwks(
    settings: Any, issuer: JWKSServer
) -> None:
    settings.JWTAUTH = {
        "ALGORITHM": "ES256",
        "ACCESS_KEYS": [{"kid": "local", "public_key": public_jwk("ES256", "local")}],
        "JWKS_URL": issuer.url,
    }
    assert tokens.verify_access(sign(algorithm="ES256", kid="local"))["sub"] == "1"
    assert issuer.hits == 0
    assert tokens.verify_access(sign(algorithm="RS256", kid="k1"))["sub"] == "1"
    assert issuer.hits == 1


def test_without_a_feed_a_verify_only_service_reads_no_log(
    resource_server: JWKSServer, django_assert_num_queries: Any, db: None
) -> None:
    # Its database (if any) is not the issuer's; the issuer's revocations need the feed.
    with django_assert_num_queries(0):
        JWTAuthentication().verify(sign(algorithm="RS256", kid="k1"))


def test_non_http_urls_are_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        JWKSClient("file:///etc/passwd", lambda jwk: None)

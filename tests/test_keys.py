"""Key sets: derived or explicit keys, the first signs, every key verifies."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from jwtauth import tokens
from jwtauth.exceptions import TokenInvalid
from jwtauth.keys import access_keys, derive_secret, refresh_keys

OLD = {"kid": "old", "key": "o" * 40}
NEW = {"kid": "new", "key": "n" * 40}
REFRESH = [{"kid": "r1", "key": "r" * 40}]
SECRET_A = "secret-a-" + "a" * 50
SECRET_B = "secret-b-" + "b" * 50


def _access() -> str:
    return tokens.issue_access(user_id=7, session_id="sid", roles=[], now=timezone.now()).token


def _refresh() -> str:
    now = timezone.now()
    return tokens.issue_refresh(session_id="sid", now=now, expires_at=now + timedelta(days=1)).token


def test_derived_access_and_refresh_keys_differ(settings: Any) -> None:
    access, refresh = access_keys().signer, refresh_keys().signer
    assert access.signing_key != refresh.signing_key
    assert access.kid != refresh.kid
    assert len(access.signing_key) == 32
    assert access.signing_key == derive_secret(settings.SECRET_KEY, "access")
    assert refresh.signing_key == derive_secret(settings.SECRET_KEY, "refresh")
    assert access.algorithm == refresh.algorithm == "HS256"


def test_derived_keys_never_equal_the_secret_key(settings: Any) -> None:
    secrets = {key.signing_key for key in access_keys().keys + refresh_keys().keys}
    assert settings.SECRET_KEY.encode() not in secrets


def test_explicit_keys_sign_with_their_kid(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": [NEW], "REFRESH_KEYS": REFRESH}
    token = _access()
    assert jwt.get_unverified_header(token)["kid"] == "new"
    assert jwt.decode(token, NEW["key"], algorithms=["HS256"], audience="jwtauth")["sub"] == "7"
    assert tokens.verify_access(token)["sub"] == "7"


def test_explicit_key_without_kid_gets_a_stable_one(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": [{"key": "k" * 40}]}
    kid = access_keys().signer.kid
    assert kid and "k" * 8 not in kid
    settings.JWTAUTH = {"ACCESS_KEYS": [{"key": "k" * 40}], "ISSUER": "x"}
    assert access_keys().signer.kid == kid


def test_first_key_signs_every_key_verifies(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": [OLD]}
    old_token = _access()
    settings.JWTAUTH = {"ACCESS_KEYS": [NEW, OLD]}
    assert tokens.verify_access(old_token)["sub"] == "7"
    assert jwt.get_unverified_header(_access())["kid"] == "new"
    # Once the old key is dropped, its tokens are refused.
    settings.JWTAUTH = {"ACCESS_KEYS": [NEW]}
    with pytest.raises(TokenInvalid):
        tokens.verify_access(old_token)


def test_kid_of_other_key_with_its_signature_is_refused(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": [NEW, OLD]}
    token = _access()
    header, payload, signature = token.split(".")
    forged_header = jwt.utils.base64url_encode(b'{"alg":"HS256","kid":"old","typ":"JWT"}')
    with pytest.raises(TokenInvalid):
        tokens.verify_access(f"{forged_header.decode()}.{payload}.{signature}")


def test_secret_key_fallbacks_verify(settings: Any) -> None:
    settings.SECRET_KEY = SECRET_A
    access, refresh = _access(), _refresh()
    settings.SECRET_KEY = SECRET_B
    with pytest.raises(TokenInvalid):
        tokens.verify_access(access)
    settings.SECRET_KEY_FALLBACKS = [SECRET_A]
    assert tokens.verify_access(access)["sub"] == "7"
    assert tokens.verify_refresh(refresh)["sid"] == "sid"
    # New tokens are signed with the current SECRET_KEY.
    assert access_keys().signer.signing_key == derive_secret(SECRET_B, "access")
    assert jwt.get_unverified_header(_access())["kid"] != jwt.get_unverified_header(access)["kid"]


def test_empty_key_list_is_improperly_configured(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": []}
    with pytest.raises(ImproperlyConfigured):
        access_keys()


def test_unsupported_algorithm_is_improperly_configured(settings: Any) -> None:
    settings.JWTAUTH = {"ALGORITHM": "none"}
    with pytest.raises(ImproperlyConfigured):
        access_keys()

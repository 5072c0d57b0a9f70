"""Access and refresh JWTs: the contract's claims, type separation, expiry and leeway."""

import hashlib
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.contrib.auth.models import Group

from jwtauth import tokens
from jwtauth.exceptions import TokenExpired, TokenInvalid
from jwtauth.keys import access_keys, refresh_keys
from jwtauth.models import TokenFamily
from tests.helpers.clock import T0

ACCESS_CLAIMS = {"iss", "aud", "sub", "iat", "exp", "jti", "sid", "roles", "typ"}


def _unverified(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def test_access_token_claims(clock: Any) -> None:
    issued = tokens.issue_access(user_id=42, session_id="sess", roles=["admin"], now=T0)
    claims = _unverified(issued.token)
    assert set(claims) == ACCESS_CLAIMS
    assert claims["iss"] == "jwtauth"
    assert claims["aud"] == "jwtauth"
    assert claims["sub"] == "42"
    assert claims["iat"] == int(T0.timestamp())
    assert claims["exp"] == int(T0.timestamp()) + 15 * 60
    assert claims["jti"] == issued.jti and len(issued.jti) >= 16
    assert claims["sid"] == "sess"
    assert claims["roles"] == ["admin"]
    assert claims["typ"] == "access"
    assert issued.expires_at == T0 + timedelta(minutes=15)
    header = jwt.get_unverified_header(issued.token)
    assert header["alg"] == "HS256"
    assert header["kid"] == access_keys().signer.kid
    assert tokens.verify_access(issued.token) == {**claims, "roles": ("admin",)}


def test_refresh_token_claims(clock: Any) -> None:
    expires = T0 + timedelta(days=7)
    issued = tokens.issue_refresh(session_id="sess", now=T0, expires_at=expires)
    claims = _unverified(issued.token)
    assert claims["typ"] == "refresh"
    assert claims["sid"] == "sess"
    assert claims["jti"] == issued.jti
    assert claims["exp"] == int(expires.timestamp())
    assert "roles" not in claims and "sub" not in claims
    assert jwt.get_unverified_header(issued.token)["kid"] == refresh_keys().signer.kid
    assert tokens.verify_refresh(issued.token) == claims


def test_every_token_gets_a_fresh_jti(clock: Any) -> None:
    jtis = {tokens.issue_access(user_id=1, session_id="s", roles=[], now=T0).jti for _ in range(5)}
    assert len(jtis) == 5


def test_login_token_claims_match_user_and_session(make_user: Any, login: Any, clock: Any) -> None:
    staff = make_user("boss", is_staff=True)
    staff.groups.add(Group.objects.create(name="editors"))
    body = login(staff)
    claims = tokens.verify_access(body["access"])
    family = TokenFamily.objects.get()
    assert claims["sub"] == str(staff.pk)
    assert claims["sid"] == str(family.pk)
    assert claims["roles"] == ("admin", "editors")
    assert body["expires_in"] == 900
    assert body["token_type"] == "Bearer"
    refresh = tokens.verify_refresh(body["refresh"])
    assert refresh["sid"] == str(family.pk)
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


def test_digest_is_sha256_hex() -> None:
    assert tokens.digest("abc") == hashlib.sha256(b"abc").hexdigest()


def test_access_token_expires(clock: Any) -> None:
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=T0).token
    clock.shift(15 * 60 - 1)
    assert tokens.verify_access(token)["sub"] == "1"  # valid until exp
    clock.shift(1)
    with pytest.raises(TokenExpired) as excinfo:
        tokens.verify_access(token)
    assert excinfo.value.get_codes() == {"detail": "token_expired", "code": "token_expired"}


def test_refresh_token_expires(clock: Any) -> None:
    token = tokens.issue_refresh(session_id="s", now=T0, expires_at=T0 + timedelta(days=7)).token
    clock.shift(timedelta(days=7, seconds=1))
    with pytest.raises(TokenExpired):
        tokens.verify_refresh(token)
    assert tokens.verify_refresh(token, verify_exp=False)["sid"] == "s"


def test_leeway_is_honoured(settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"LEEWAY": timedelta(seconds=30)}
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=T0).token
    clock.shift(15 * 60 + 29)
    assert tokens.verify_access(token)["sub"] == "1"
    clock.shift(1)
    with pytest.raises(TokenExpired):
        tokens.verify_access(token)


def test_leeway_as_number_of_seconds(settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"LEEWAY": 10}
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=T0).token
    clock.shift(15 * 60 + 9)
    assert tokens.verify_access(token)["sub"] == "1"
    clock.shift(1)
    with pytest.raises(TokenExpired):
        tokens.verify_access(token)


def test_issuer_and_audience_settings_apply(settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"ISSUER": "https://id.example", "AUDIENCE": "shop"}
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=T0).token
    claims = tokens.verify_access(token)
    assert (claims["iss"], claims["aud"]) == ("https://id.example", "shop")
    settings.JWTAUTH = {"ISSUER": "https://id.example", "AUDIENCE": "blog"}
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)

"""Forged, tampered, mistyped, expired and malformed tokens: refused by the verifier and by HTTP."""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.utils import timezone

from jwtauth import revocation, tokens
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import TokenExpired, TokenInvalid
from jwtauth.keys import access_keys, refresh_keys
from tests.helpers.http import bearer
from tests.helpers.tokens import Subject, access_claims, b64url, mac_signed, sign, unsigned

OTHER_KEY = b"another-key-entirely-0123456789abcdef"
INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"'


def _valid(uid: object) -> str:
    return sign(access_claims(Subject(uid)))


def _tampered_payload(uid: object) -> str:
    header, _, signature = _valid(uid).split(".")
    payload = b64url(access_claims(Subject(uid), roles=["admin"]))
    return f"{header}.{payload}.{signature}"


def _tampered_signature(uid: object) -> str:
    header, payload, signature = _valid(uid).split(".")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    return f"{header}.{payload}.{flipped}"


def _refresh_token(uid: object) -> str:
    now = timezone.now()
    return tokens.issue_refresh(session_id="s", now=now, expires_at=now + timedelta(days=1)).token


def _without(claim: str) -> Callable[[object], str]:
    def build(uid: object) -> str:
        claims = access_claims(Subject(uid))
        del claims[claim]
        return sign(claims)

    return build


def _with(**overrides: Any) -> Callable[[object], str]:
    return lambda uid: sign(access_claims(Subject(uid), **overrides))


def _with_header(**headers: Any) -> Callable[[object], str]:
    return lambda uid: sign(access_claims(Subject(uid)), headers=headers)


def _none_alg(alg: str, with_kid: bool) -> Callable[[object], str]:
    def build(uid: object) -> str:
        header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
        if with_kid:
            header["kid"] = jwt.get_unverified_header(_valid(uid))["kid"]
        return unsigned(header, access_claims(Subject(uid)))

    return build


def _by_hand(header: dict[str, Any], claims: dict[str, Any], digestmod: Any) -> str:
    """Sign with the real access key whatever the header says."""
    return mac_signed(header, claims, access_keys().signer.signing_key, digestmod)


def _hs512_same_key(uid: object) -> str:
    header = {"alg": "HS512", "kid": access_keys().signer.kid}
    return _by_hand(header, access_claims(Subject(uid)), hashlib.sha512)


def _missing_kid(uid: object) -> str:
    return _by_hand({"alg": "HS256", "typ": "JWT"}, access_claims(Subject(uid)), hashlib.sha256)


def _kid_not_a_string(uid: object) -> str:
    header = {"alg": "HS256", "kid": [access_keys().signer.kid]}
    return _by_hand(header, access_claims(Subject(uid)), hashlib.sha256)


FORGED: dict[str, Callable[[object], str]] = {
    "tampered payload": _tampered_payload,
    "tampered signature": _tampered_signature,
    "signature stripped": lambda uid: _valid(uid).rsplit(".", 1)[0] + ".",
    "alg none": _none_alg("none", with_kid=False),
    "alg none with kid": _none_alg("none", with_kid=True),
    "alg None with kid": _none_alg("None", with_kid=True),
    "alg NONE with kid": _none_alg("NONE", with_kid=True),
    "HS256 signed with another key": lambda uid: sign(access_claims(Subject(uid)), key=OTHER_KEY),
    "HS512 with the right key": _hs512_same_key,
    "wrong kid": lambda uid: sign(access_claims(Subject(uid)), kid="no-such-kid"),
    "missing kid": _missing_kid,
    "kid not a string": _kid_not_a_string,
    "refresh token as access": _refresh_token,
    "refresh typ signed with access key": _with(typ="refresh"),
    "no typ marker value": _with(typ=""),
    "wrong audience": _with(aud="another-service"),
    "audience list without ours": _with(aud=["a", "b"]),
    "wrong issuer": _with(iss="https://evil.example"),
    "issued in the future": _with(iat=int(timezone.now().timestamp()) + 3600),
    "not valid before later": _with(nbf=int(timezone.now().timestamp()) + 3600),
    "sub not a string": _with(sub=1),
    "sub not a user pk": _with(sub="not-a-number"),
    "roles not a list": _with(roles="admin"),
    "roles not strings": _with(roles=[1]),
    "empty jti": _with(jti=""),
    "sid not a string": _with(sid=None),
    "jku header": _with_header(jku="https://evil.example/jwks.json"),
    "x5u header": _with_header(x5u="https://evil.example/cert.pem"),
    "jwk header": _with_header(jwk={"kty": "oct", "k": b64url(OTHER_KEY)}),
    "x5c header": _with_header(x5c=["MIIB"]),
    "crit header": _with_header(crit=["exp"]),
    "oversized": _with(roles=["r" * 4200]),
    **{f"missing {claim}": _without(claim) for claim in sorted(tokens._ACCESS_REQUIRED)},
}

GARBAGE = [
    "",
    "abc",
    "a.b.c",
    "a.b",
    "....",
    "eyJ.eyJ.",
    "ñandú.ñandú.ñandú",
    "null",
    f"{b64url('[]')}.{b64url('{}')}.",
    f"{b64url('{}')}.{b64url('[]')}.sig",
    f"{b64url('not json')}.{b64url('{}')}.sig",
    "x" * 5000,
]


def test_the_forging_helpers_make_acceptable_tokens() -> None:
    # Each forged case changes one thing of these tokens; they must verify.
    assert tokens.verify_access(_valid(1))["sub"] == "1"
    header = {"alg": "HS256", "kid": access_keys().signer.kid}
    by_hand = _by_hand(header, access_claims(Subject(1)), hashlib.sha256)
    assert tokens.verify_access(by_hand)["sub"] == "1"


@pytest.mark.parametrize("build", FORGED.values(), ids=FORGED.keys())
def test_forged_access_token_is_invalid(build: Callable[[object], str], db: None) -> None:
    token = build(1)
    with pytest.raises(TokenInvalid):
        # sub must also be a usable user pk for the authentication class.
        JWTAuthentication().get_user(tokens.verify_access(token))


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_is_invalid(garbage: str) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_access(garbage)
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(garbage)


@pytest.mark.parametrize("value", [None, 123, b"bytes", ["a"], {"a": 1}])
def test_non_string_input_is_invalid(value: object) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_access(value)
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(value)


def test_max_token_bytes_setting_applies(settings: Any) -> None:
    token = _valid(1)
    settings.JWTAUTH = {"MAX_TOKEN_BYTES": len(token) - 1}
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)
    settings.JWTAUTH = {"MAX_TOKEN_BYTES": len(token)}
    assert tokens.verify_access(token)["sub"] == "1"


def test_access_token_as_refresh_is_invalid() -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(_valid(1))


def test_access_typ_signed_with_refresh_key_is_invalid_as_refresh() -> None:
    claims = access_claims(Subject(1))
    token = sign(claims, keyset=refresh_keys())
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(token)


@pytest.mark.parametrize(
    "build",
    [
        lambda: unsigned({"alg": "none"}, {"typ": "refresh", "jti": "j", "sid": "s"}),
        lambda: sign(
            {"iss": "jwtauth", "iat": 1, "exp": 2**40, "jti": "j", "sid": "s", "typ": "refresh"},
            keyset=refresh_keys(),
            key=OTHER_KEY,
        ),
    ],
    ids=["alg none", "another key"],
)
def test_forged_refresh_is_invalid(build: Callable[[], str]) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(build())


def test_expired_forged_token_is_expired_not_invalid(clock: Any) -> None:
    now = int(timezone.now().timestamp())
    token = sign(access_claims(Subject(1), iat=now - 1000, exp=now - 100))
    with pytest.raises(TokenExpired):
        tokens.verify_access(token)


# -- the same over HTTP ------------------------------------------------------------------


def test_valid_forged_token_is_accepted_over_http(api: Any, user: Any) -> None:
    response = api.get("/api/profile/", **bearer(_valid(user.pk)))
    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "roles": []}


@pytest.mark.parametrize("build", FORGED.values(), ids=FORGED.keys())
def test_forged_token_over_http(build: Callable[[object], str], api: Any, user: Any) -> None:
    response = api.get("/api/profile/", **bearer(build(user.pk)))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == INVALID_TOKEN


@pytest.mark.parametrize("garbage", [g for g in GARBAGE if g and " " not in g])
def test_garbage_over_http(garbage: str, api: Any, db: None) -> None:
    response = api.get("/api/auth/me/", **bearer(garbage))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == INVALID_TOKEN


def test_expired_token_over_http(api: Any, user: Any, login: Any, clock: Any) -> None:
    access = login(user)["access"]
    clock.shift(15 * 60)
    response = api.get("/api/profile/", **bearer(access))
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert response["WWW-Authenticate"] == INVALID_TOKEN


@pytest.mark.parametrize("key", ["refresh", "access"])
def test_wrong_type_over_http(key: str, api: Any, user: Any, login: Any) -> None:
    body = login(user)
    # The refresh token as Bearer, the access token as refresh.
    if key == "refresh":
        response = api.get("/api/profile/", **bearer(body["refresh"]))
    else:
        response = api.post("/api/auth/refresh/", {"refresh": body["access"]}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


@pytest.mark.parametrize("claim", ["iat", "exp"])
def test_signed_token_with_a_time_as_text_is_token_invalid(api: Any, user: Any, claim: str) -> None:
    # Found by the property tests: PyJWT accepts "iat": "123" (it only int()s it), and the
    # deny-list then compared that text with the user's "not before" number: a 500.
    revocation.revoke_user_before(user.pk, timezone.now() - timedelta(hours=1))
    claims = access_claims(user)
    claims[claim] = str(claims[claim])
    # Signed by hand: PyJWT's encode() checks some claim types.
    token = _by_hand({"alg": "HS256", "kid": access_keys().signer.kid}, claims, hashlib.sha256)
    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)
    response = api.get("/api/profile/", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"

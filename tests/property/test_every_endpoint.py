"""Any JSON wrapped as a token, and any body up to a size limit, to every endpoint: never a 5xx.

Headers and payloads are JSON of any shape and type (hypothesis ``recursive``), keyed mostly by
the names the verifier reads, so odd types reach every check; half of them are signed with the
real key, so the claim checks see them too.
"""

import hashlib
import hmac
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from jwtauth.keys import access_keys, refresh_keys
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer
from tests.helpers.tokens import Subject, access_claims, b64url
from tests.property.strategies import json_text

MAX_BODY = 4096
HEADER_NAMES = ["alg", "kid", "typ", "crit", "jku", "jwk", "x5u", "cty", "b64"]
CLAIM_NAMES = ["iss", "aud", "sub", "iat", "exp", "nbf", "jti", "sid", "roles", "typ"]
BODY_NAMES = ["username", "email", "identifier", "password", "transport", "refresh"]
BODY_NAMES += ["old_password", "new_password", "uid", "token"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20)
    | json_text
    | st.sampled_from(["HS256", "RS256", "none", "access", "refresh", "jwtauth", ""])
)


def json_any(names: list[str]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(names) | st.text(max_size=5)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
        max_leaves=12,
    )


def _objects(names: list[str], base: st.SearchStrategy[dict[str, Any]]) -> Any:
    """A well-formed base object with some members replaced or added with any JSON."""
    overrides = st.dictionaries(st.sampled_from(names), json_any(names), max_size=4)
    return st.builds(lambda b, o: {**b, **o}, base, overrides) | json_any(names)


def _dumps(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity included: JSON parsers meet them too


def _token(header: Any, payload: Any, key: bytes | None) -> str:
    signing_input = f"{b64url(_dumps(header))}.{b64url(_dumps(payload))}"
    if key is None:
        return f"{signing_input}.{b64url(b'x' * 32)}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


@st.composite
def access_tokens(draw: st.DrawFn) -> str:
    signer = access_keys().signer
    base_header = st.just({"alg": "HS256", "kid": signer.kid})
    header = draw(_objects(HEADER_NAMES, base_header))
    payload = draw(_objects(CLAIM_NAMES, st.just(access_claims(Subject()))))
    return _token(header, payload, signer.signing_key if draw(st.booleans()) else None)


@st.composite
def refresh_tokens(draw: st.DrawFn) -> str:
    signer = refresh_keys().signer
    claims = {**access_claims(Subject()), "typ": "refresh"}
    del claims["aud"], claims["roles"], claims["sub"]
    header = draw(_objects(HEADER_NAMES, st.just({"alg": "HS256", "kid": signer.kid})))
    payload = draw(_objects(CLAIM_NAMES, st.just(claims)))
    return _token(header, payload, signer.signing_key if draw(st.booleans()) else None)


BEARER_ENDPOINTS = [
    ("get", "/api/auth/me/"),
    ("get", "/api/auth/sessions/"),
    ("delete", "/api/auth/sessions/00000000-0000-0000-0000-000000000000/"),
    ("post", "/api/auth/logout/"),
    ("post", "/api/auth/logout-all/"),
    ("post", "/api/auth/password/change/"),
    ("get", "/api/profile/"),
    ("get", "/api/admin/"),
]
POST_ENDPOINTS = [
    "/api/auth/login/",
    "/api/auth/register/",
    "/api/auth/refresh/",
    "/api/auth/logout/",
    "/api/auth/logout-all/",
    "/api/auth/password/change/",
    "/api/auth/password/reset/",
    "/api/auth/password/reset/confirm/",
]


@pytest.mark.django_db
@given(token=access_tokens(), endpoint=st.sampled_from(BEARER_ENDPOINTS))
def test_any_json_as_an_access_token(token: str, endpoint: tuple[str, str]) -> None:
    method, path = endpoint
    response = getattr(APIClient(), method)(path, **bearer(token))
    assert response.status_code < 500, response.content


@pytest.mark.django_db
@given(
    token=refresh_tokens(),
    path=st.sampled_from(["/api/auth/refresh/", "/api/auth/logout/"]),
    in_cookie=st.booleans(),
)
def test_any_json_as_a_refresh_token(token: str, path: str, in_cookie: bool) -> None:
    client = APIClient()
    if in_cookie:
        client.cookies["refresh_token"] = token
        response = client.post(path, {}, format="json")
    else:
        response = client.post(path, {"refresh": token}, format="json")
    assert response.status_code < 500, response.content


bodies = (
    json_any(BODY_NAMES).map(_dumps).map(str.encode)
    | st.dictionaries(st.sampled_from(BODY_NAMES), json_any(BODY_NAMES)).map(_dumps).map(str.encode)
    | st.binary(max_size=MAX_BODY)
).filter(lambda body: len(body) <= MAX_BODY)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
    ]
)


@pytest.mark.django_db
@given(body=bodies, content_type=content_types, path=st.sampled_from(POST_ENDPOINTS))
def test_any_body_to_every_endpoint(user: Any, body: bytes, content_type: str, path: str) -> None:
    client = APIClient()
    login = client.post(
        "/api/auth/login/",
        {"username": user.username, "password": PASSWORD, "transport": "body"},
        format="json",
    )
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    response = client.generic("POST", path, body, content_type=content_type)
    assert response.status_code < 500, response.content

"""Refresh cookies and bodies of any content: read safely, refused with documented codes."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from jwtauth import families, tokens, transport
from jwtauth.exceptions import CSRFFailed
from tests.property.strategies import any_text, header_text, json_values, mutated, token_like

REFRESH_401 = {"not_authenticated", "token_invalid", "token_expired", "token_revoked"}
cookie_values = header_text | token_like
bodies = st.dictionaries(st.sampled_from(["refresh", "other"]), json_values, max_size=2)


@given(cookie=cookie_values, body=bodies | json_values)
def test_read_refresh_returns_a_token_none_or_a_documented_error(cookie: str, body: Any) -> None:
    factory = APIRequestFactory(enforce_csrf_checks=True)
    django_request = factory.post(
        "/",
        json.dumps(body),
        content_type="application/json",
        HTTP_COOKIE=f"refresh_token={cookie}; other=1",
    )
    request = Request(django_request, parsers=[JSONParser()])
    try:
        found = transport.read_refresh(request)
    except (CSRFFailed, ParseError):
        return
    if found is not None:
        token, how = found
        assert isinstance(token, str)
        assert how in {transport.COOKIE, transport.BODY}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/refresh/", "/api/auth/logout/"])
@given(cookie=cookie_values, with_csrf=st.booleans(), raw=header_text)
def test_endpoints_refuse_any_cookie_with_a_documented_code(
    path: str, cookie: str, with_csrf: bool, raw: str
) -> None:
    client = APIClient(enforce_csrf_checks=True)
    headers = {"HTTP_COOKIE": f"refresh_token={cookie}; {raw}"}
    if with_csrf:
        token = "a" * 32
        headers["HTTP_COOKIE"] += f"; csrftoken={token}"
        headers["HTTP_X_CSRFTOKEN"] = token
    response = client.post(path, **headers)
    assert response.status_code in {401, 403}, response.content
    code = response.json()["code"]
    assert code in (REFRESH_401 if response.status_code == 401 else {"csrf_failed"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/refresh/", "/api/auth/logout/"])
@given(body=bodies | json_values | any_text)
def test_endpoints_refuse_any_body_with_a_documented_code(path: str, body: Any) -> None:
    # Encoded here with escapes: DRF's test renderer cannot write a lone surrogate.
    response = APIClient().post(path, json.dumps(body), content_type="application/json")
    assert response.status_code in {400, 401}, response.content
    expected = {"parse_error"} if response.status_code == 400 else REFRESH_401
    assert response.json()["code"] in expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/auth/refresh/", "/api/auth/logout/"])
@given(data=st.data())
def test_mutated_refresh_cookie_is_refused(user: Any, path: str, data: st.DataObject) -> None:
    genuine = families.start(user=user).refresh
    # A header reaches WSGI as latin-1 text.
    cookie = data.draw(mutated(genuine, st.characters(codec="latin-1")))
    client = APIClient(enforce_csrf_checks=True)
    token = "b" * 32
    response = client.post(
        path,
        HTTP_COOKIE=f"refresh_token={cookie}; csrftoken={token}",
        HTTP_X_CSRFTOKEN=token,
    )
    if response.status_code in {200, 204}:
        # Only an edit that leaves the same bytes (base64url's spare bits) still works.
        assert tokens.verify_refresh(cookie) == tokens.verify_refresh(genuine)
        return
    assert response.status_code == 401, response.content
    assert response.json()["code"] in REFRESH_401

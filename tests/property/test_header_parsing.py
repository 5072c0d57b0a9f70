"""Authorization headers of any text: parsed without surprises, refused with documented codes."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from jwtauth import families
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import TokenExpired, TokenInvalid, TokenRevoked
from tests.property.strategies import header_text, token_like

DOCUMENTED = (TokenInvalid, TokenExpired, TokenRevoked)
BEARER_401 = {"not_authenticated", "token_invalid", "token_expired", "token_revoked"}


def request_with(header: str) -> Request:
    return Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=header))


schemes = st.sampled_from(["Bearer", "bearer", "BEARER", "Basic", "Token", "", "Bearer\t"])
headers = header_text | st.builds(
    lambda scheme, sep, token: f"{scheme}{sep}{token}",
    schemes,
    st.sampled_from([" ", "  ", "\t", ""]),
    token_like | header_text,
)


@given(headers)
def test_raw_token_is_none_a_single_word_or_token_invalid(header: str) -> None:
    auth = JWTAuthentication()
    scheme = header.partition(" ")[0]
    try:
        raw = auth.get_raw_token(request_with(header))
    except TokenInvalid:
        assert scheme.lower() == "bearer"
        return
    if scheme.lower() != "bearer":
        assert raw is None
    else:
        assert raw and " " not in raw and raw == raw.strip()


@pytest.mark.django_db
@given(headers)
def test_authenticate_raises_only_documented_errors(header: str) -> None:
    try:
        result = JWTAuthentication().authenticate(request_with(header))
    except DOCUMENTED:
        return
    # Random text never authenticates: only a missing or foreign scheme passes through.
    assert result is None


@pytest.mark.django_db
@given(headers)
def test_endpoint_answers_401_with_a_documented_code(header: str) -> None:
    response = APIClient().get("/api/auth/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401, response.content
    assert response.json()["code"] in BEARER_401
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')


@pytest.mark.django_db
@given(token=token_like)
def test_valid_token_with_junk_after_it_is_refused(user: Any, token: str) -> None:
    access = families.start(user=user).access
    header = f"Bearer {access}{token}"
    try:
        result = JWTAuthentication().authenticate(request_with(header))
    except DOCUMENTED:
        return
    # Only trailing whitespace (or nothing) leaves the very same token.
    assert header.strip() == f"Bearer {access}" and result is not None

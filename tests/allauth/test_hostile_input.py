"""Any refresh token, Bearer header or session token sent to allauth's endpoints on the jwtauth
strategy is a 4xx, never a 5xx, and never opens a session."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.allauth import APP
from tests.property.strategies import any_text, header_text, json_values, mutated, token_like

pytestmark = pytest.mark.django_db


@given(refresh=st.one_of(any_text, token_like, json_values))
def test_any_refresh_token_is_a_400(refresh: Any) -> None:
    # json.dumps escapes lone surrogates, which the test client's encoder would refuse.
    body = json.dumps({"refresh_token": refresh})
    response = APIClient().post(f"{APP}/tokens/refresh", body, content_type="application/json")
    assert response.status_code == 400
    assert not TokenFamily.objects.exists()


@given(header=header_text, session_token=header_text)
def test_any_authorization_or_session_token_is_anonymous(header: str, session_token: str) -> None:
    response = APIClient().get(
        f"{APP}/auth/session",
        HTTP_AUTHORIZATION=f"Bearer {header}",
        HTTP_X_SESSION_TOKEN=session_token,
    )
    assert response.status_code in {401, 410}
    assert not response.json()["meta"]["is_authenticated"]


@pytest.fixture
def access(api: APIClient, user: Any) -> str:
    response = api.post(
        f"{APP}/auth/login",
        {"username": user.username, "password": PASSWORD},
        format="json",
    )
    return response.json()["meta"]["access_token"]


@given(data=st.data())
def test_a_mutated_access_token_opens_nothing(data: st.DataObject, access: str) -> None:
    forged = data.draw(mutated(access, st.sampled_from("AaBb019-_.")))
    response = APIClient().get(f"{APP}/auth/session", HTTP_AUTHORIZATION=f"Bearer {forged}")
    if forged != access:
        assert response.status_code == 401


@pytest.mark.parametrize(
    "session_token", ["abc\x00defghij", "x" * 41, "../../etc/passwd", "é" * 10]
)
def test_a_session_token_django_never_issues_is_gone(session_token: str) -> None:
    # allauth's own session-token strategy answers a NUL byte with a 500 on PostgreSQL.
    response = APIClient().get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=session_token)
    assert response.status_code == 410

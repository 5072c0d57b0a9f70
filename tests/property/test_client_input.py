"""Login and register with any text, any User-Agent and any client address: never a 5xx."""

from typing import Any

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from jwtauth.clientip import client_ip
from jwtauth.ratelimits import ip_key
from tests.helpers.accounts import PASSWORD
from tests.property.strategies import any_text, header_text

addresses = st.one_of(
    st.ip_addresses().map(str),
    st.ip_addresses(v=6).map(lambda ip: f"{ip}%eth0"),
    st.just("fe80::1%1"),
    header_text,
)


@pytest.mark.django_db
@given(remote=addresses, forwarded=header_text, proxies=st.integers(0, 3))
def test_client_ip_is_a_storable_address_or_none(remote: str, forwarded: str, proxies: int) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    # A context per example: the settings fixture would stack one override per example.
    with override_settings(JWTAUTH={"TRUSTED_PROXY_COUNT": proxies}):
        ip = client_ip(request)
        assert ip is None or "%" not in ip
        assert ip_key(request)


@pytest.mark.django_db
@given(
    username=any_text,
    password=any_text,
    user_agent=any_text,
    remote=addresses,
    with_email=st.booleans(),
)
def test_login_with_any_input_is_a_documented_answer(
    user: Any, username: str, password: str, user_agent: str, remote: str, with_email: bool
) -> None:
    field = "email" if with_email else "username"
    response = APIClient().post(
        "/api/auth/login/",
        {field: username, "password": password, "transport": "body"},
        format="json",
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=remote,
    )
    assert response.status_code in {400, 401}, response.content


@pytest.mark.django_db
@given(user_agent=any_text, remote=addresses)
def test_a_session_starts_whatever_the_user_agent_and_address(
    user: Any, user_agent: str, remote: str
) -> None:
    response = APIClient().post(
        "/api/auth/login/",
        {"username": user.username, "password": PASSWORD, "transport": "body"},
        format="json",
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=remote,
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@given(username=any_text, email=any_text | st.emails(), password=any_text)
def test_register_with_any_input_is_a_documented_answer(
    username: str, email: str, password: str
) -> None:
    response = APIClient().post(
        "/api/auth/register/",
        {"username": username, "email": email, "password": password, "transport": "body"},
        format="json",
    )
    assert response.status_code in {201, 400}, response.content

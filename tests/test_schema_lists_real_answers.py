"""Answers the endpoints really give to odd requests are the ones the OpenAPI schema lists:
a body in a content type the endpoint does not read, a cross-site login or registration."""

from typing import Any

import pytest

from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer
from tests.helpers.openapi import documented

WITH_BODY = [
    "/api/auth/login/",
    "/api/auth/register/",
    "/api/auth/refresh/",
    "/api/auth/logout/",
    "/api/auth/password/change/",
    "/api/auth/password/reset/",
    "/api/auth/password/reset/confirm/",
]


@pytest.mark.parametrize("path", WITH_BODY)
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-yaml"])
def test_a_body_the_endpoint_cannot_read_is_415_and_documented(
    api: Any, user: Any, login: Any, path: str, content_type: str
) -> None:
    api.credentials(**bearer(login(user)["access"]))
    response = api.post(path, '{"refresh": "x"}', content_type=content_type)

    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    assert "unsupported_media_type" in documented(path, "post", 415)


@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/auth/register/"])
def test_a_cross_site_login_or_registration_is_documented(api: Any, user: Any, path: str) -> None:
    body = {"username": user.get_username(), "email": "m@example.com", "password": PASSWORD}
    response = api.post(
        path,
        body,
        format="json",
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )

    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert "csrf_failed" in documented(path, "post", 403)

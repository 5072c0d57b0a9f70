"""JSON nested past Python's recursion limit: 400 ``parse_error`` everywhere, never a 500."""

from typing import Any

import pytest
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from tests.helpers.http import bearer

DEPTH = 5000
DEEP_LIST = "[" * DEPTH + "]" * DEPTH
DEEP_OBJECT = '{"a":' * DEPTH + "1" + "}" * DEPTH

ENDPOINTS = [
    "/api/auth/login/",
    "/api/auth/register/",
    "/api/auth/refresh/",
    "/api/auth/logout/",
    "/api/auth/password/reset/",
    "/api/auth/password/reset/confirm/",
]


def _bodies() -> list[str]:
    return [
        DEEP_LIST,
        DEEP_OBJECT,
        '{"username": ' + DEEP_LIST + ', "password": "x"}',
        '{"refresh": ' + DEEP_OBJECT + "}",
    ]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("body", _bodies(), ids=["list", "object", "in-field", "in-refresh"])
def test_anonymous_endpoints_answer_parse_error(path: str, body: str) -> None:
    response = APIClient().post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/auth/logout/", "/api/auth/logout-all/", "/api/auth/password/change/"]
)
def test_authenticated_endpoints_answer_parse_error(
    path: str, api: Any, user: Any, login: Any
) -> None:
    access = login(user)["access"]
    response = api.post(path, DEEP_LIST, content_type="application/json", **bearer(access))
    # logout-all reads no body: it succeeds; the others must not be a 500.
    assert response.status_code in {204, 400}, response.content
    if response.status_code == 400:
        assert response.json()["code"] == "parse_error"


class SiteView(APIView):
    """A view of the site: DRF's own parsers, the site's exception handler (jwtauth's)."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    def post(self, request: Request) -> Response:
        return Response({"keys": len(request.data)})


def test_a_site_view_using_the_exception_handler_answers_parse_error() -> None:
    request = APIRequestFactory().post("/x/", DEEP_LIST, content_type="application/json")
    response = SiteView.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response.data["code"] == "parse_error"


def test_the_handler_leaves_other_recursion_errors_alone() -> None:
    class Broken(SiteView):
        def post(self, request: Request) -> Response:
            raise RecursionError("a bug of the view, not the client's body")

    with pytest.raises(RecursionError):
        Broken.as_view()(APIRequestFactory().post("/x/", {}, format="json"))

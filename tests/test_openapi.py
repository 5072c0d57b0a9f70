"""The OpenAPI schema: validates without warnings, describes auth, bodies and every error code."""

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework import exceptions as drf_exceptions

import jwtauth.urls
from jwtauth import exceptions
from jwtauth.exceptions import InvalidCredentials, contract_code
from tests.helpers.openapi import codes, schema
from tests.helpers.servers import ROOT


def test_spectacular_validates_with_no_warning(tmp_path: Path) -> None:
    # --fail-on-warn turns any drf-spectacular warning or error into SchemaGenerationError.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    document = yaml.safe_load(out.read_text())
    assert document["openapi"].startswith("3.")
    assert "/api/auth/login/" in document["paths"]


def test_every_jwtauth_endpoint_is_described() -> None:
    paths = schema()["paths"]
    for pattern in jwtauth.urls.urlpatterns:
        route = "/api/auth/" + str(pattern.pattern).replace("<str:session_id>", "{session_id}")
        assert route in paths, route
        for operation in paths[route].values():
            assert operation["summary"]
            assert operation["tags"] == ["auth"]
    assert "/.well-known/jwks.json" in paths


def test_security_schemes() -> None:
    document = schema()
    schemes = document["components"]["securitySchemes"]
    assert schemes["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["jwtAuth"]["description"],
    }
    assert schemes["refreshCookie"]["type"] == "apiKey"
    assert schemes["refreshCookie"]["in"] == "cookie"
    assert schemes["refreshCookie"]["name"] == "refresh_token"
    paths = document["paths"]
    assert paths["/api/auth/me/"]["get"]["security"] == [{"jwtAuth": []}]
    assert paths["/api/auth/login/"]["post"]["security"] == [{}]
    assert paths["/api/auth/refresh/"]["post"]["security"] == [{"refreshCookie": []}, {}]
    assert paths["/api/auth/logout/"]["post"]["security"] == [
        {"refreshCookie": []},
        {"jwtAuth": []},
        {},
    ]


def test_cookie_scheme_follows_settings(settings: Any) -> None:
    settings.JWTAUTH = {"COOKIE_NAME": "rt"}
    assert schema()["components"]["securitySchemes"]["refreshCookie"]["name"] == "rt"
    settings.JWTAUTH = {"TRANSPORTS": ("body",)}
    document = schema()
    assert "refreshCookie" not in document["components"]["securitySchemes"]
    assert document["paths"]["/api/auth/refresh/"]["post"]["security"] == [{}]


BEARER_401 = {"not_authenticated", "token_invalid", "token_expired", "token_revoked"}
BEARER_503 = {"revocation_unavailable", "keys_unavailable"}
LIMITS_503 = {"rate_limit_unavailable"}
EXPECTED = {
    ("/api/auth/login/", "post"): {
        "200": None,
        "400": {"parse_error"},
        "401": {"invalid_credentials"},
        "403": {"csrf_failed"},
        "429": {"rate_limited", "account_locked"},
        "503": LIMITS_503,
    },
    ("/api/auth/register/", "post"): {
        "201": None,
        "400": {"parse_error"},
        "403": {"csrf_failed"},
        "429": {"rate_limited"},
        "503": LIMITS_503,
    },
    ("/api/auth/refresh/", "post"): {
        "200": None,
        "400": {"parse_error"},
        "401": BEARER_401 | {"token_reused"},
        "403": {"csrf_failed"},
        "429": {"rate_limited"},
        "503": LIMITS_503,
    },
    ("/api/auth/logout/", "post"): {
        "204": None,
        "400": {"parse_error"},
        "401": BEARER_401,
        "403": {"csrf_failed"},
        "503": {"revocation_unavailable", "keys_unavailable"},
    },
    ("/api/auth/logout-all/", "post"): {"204": None, "401": BEARER_401},
    ("/api/auth/sessions/", "get"): {"200": None, "401": BEARER_401},
    ("/api/auth/sessions/{session_id}/", "delete"): {
        "204": None,
        "401": BEARER_401,
        "404": {"not_found"},
    },
    ("/api/auth/me/", "get"): {"200": None, "401": BEARER_401},
    ("/api/auth/password/change/", "post"): {
        "204": None,
        "400": {"parse_error"},
        "401": BEARER_401,
        "429": {"account_locked"},
        "503": BEARER_503 | LIMITS_503,
    },
    ("/api/auth/password/reset/", "post"): {
        "202": None,
        "400": {"parse_error"},
        "429": {"rate_limited"},
        "503": LIMITS_503,
    },
    ("/api/auth/password/reset/confirm/", "post"): {
        "204": None,
        "400": {"parse_error", "token_invalid"},
    },
    ("/api/admin/", "get"): {"200": None, "401": BEARER_401, "403": {"permission_denied"}},
}


@pytest.mark.parametrize(("path", "method"), list(EXPECTED))
def test_error_codes_per_endpoint(path: str, method: str) -> None:
    operation = schema()["paths"][path][method]
    responses = operation["responses"]
    expected = EXPECTED[(path, method)]
    bearer = operation["security"] != [{}] and {"jwtAuth": []} in operation["security"]
    assert set(expected) - set(responses) == set()
    if bearer:
        assert codes(operation, "503") >= BEARER_503
    for status, expected_codes in expected.items():
        if expected_codes is not None:
            assert codes(operation, status) == expected_codes, status
    if "401" in responses:
        assert "WWW-Authenticate" in responses["401"]["headers"]
    if "429" in responses:
        assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def _raised() -> set[tuple[int, str]]:
    """(status, code) of every exception class of jwtauth and DRF."""
    classes = [*vars(exceptions).values(), *vars(drf_exceptions).values()]
    return {
        (error.status_code, contract_code(error.default_code))
        for error in classes
        if isinstance(error, type) and issubclass(error, drf_exceptions.APIException)
    }


def test_every_documented_error_code_is_an_exception_with_that_status() -> None:
    raised = _raised()
    documented = {
        (int(status), code, path, method)
        for path, operations in schema()["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if "content" in response
        for code in codes(operation, status)
    }
    assert documented
    assert {d for d in documented if d[:2] not in raised} == set()


def test_documented_codes_and_statuses_come_from_the_exception_classes(monkeypatch: Any) -> None:
    monkeypatch.setattr(InvalidCredentials, "default_code", "wrong_password")
    monkeypatch.setattr(InvalidCredentials, "status_code", 409)
    login = schema()["paths"]["/api/auth/login/"]["post"]
    assert "401" not in login["responses"]
    assert codes(login, "409") == {"wrong_password"}


def test_bodies_are_described() -> None:
    document = schema()
    components = document["components"]["schemas"]
    token = components["TokenResponse"]
    assert set(token["properties"]) == {"access", "token_type", "expires_in", "refresh"}
    assert set(token["required"]) == {"access", "token_type", "expires_in"}
    assert set(components["RegisterResponse"]["properties"]) >= {"user", "access"}
    assert set(components["Me"]["properties"]) == {"id", "username", "email", "roles"}
    assert components["Me"]["properties"]["id"]["type"] == "integer"
    assert set(components["Session"]["properties"]) == {
        "id",
        "created_at",
        "last_used_at",
        "ip",
        "user_agent",
        "last_ip",
        "last_user_agent",
        "current",
    }
    login = document["paths"]["/api/auth/login/"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LoginRequest"
    }
    assert components["LoginRequest"]["required"] == ["password"]
    refresh = document["paths"]["/api/auth/refresh/"]["post"]
    assert "X-CSRFToken" in [p["name"] for p in refresh["parameters"]]
    assert "Set-Cookie" in refresh["responses"]["200"]["headers"]


@pytest.mark.django_db
def test_schema_and_swagger_ui_are_served_without_a_cdn(api: Any) -> None:
    response = api.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/auth/refresh/" in response.json()["paths"]
    page = api.get(reverse("swagger-ui"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_jwtauth_runs_without_drf_spectacular() -> None:
    script = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "drf_spectacular":
                    raise ImportError(name)

        sys.meta_path.insert(0, Block())
        import django
        from django.conf import settings

        settings.configure(
            SECRET_KEY="x" * 50,
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                            "rest_framework", "jwtauth"],
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            ROOT_URLCONF="jwtauth.urls",
        )
        django.setup()
        from django.core.management import call_command
        import jwtauth.urls

        call_command("check")
        assert "jwtauth.openapi" not in sys.modules
        assert "drf_spectacular" not in sys.modules
        print("ok")
        """
    )
    result = subprocess.run(  # noqa: S603  our own interpreter and script
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_two_error_responses_of_one_status_list_both_codes() -> None:
    from jwtauth.openapi.errors import error, responses

    merged = responses(
        {200: None},
        error("Throttled.", exceptions.RateLimited),
        error("Locked.", exceptions.AccountLocked),
        error("Throttled again.", exceptions.RateLimited),
    )
    operation = {
        "responses": {"429": {"content": {"application/json": {"schema": merged[429].response}}}}
    }
    assert codes(operation, "429") == {"rate_limited", "account_locked"}
    assert str(merged[429].description) == "Throttled. Locked. Throttled again."
    with pytest.raises(ValueError, match="two responses for status 200"):
        responses({200: None}, {200: None})

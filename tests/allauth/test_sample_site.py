"""The sample site with DEMO_ALLAUTH=1: allauth's apps, the strategy, its URLs, a clean check."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jwtauth.contrib.allauth.strategy import JWTAuthTokenStrategy
from tests.helpers.allauth import APP


def test_one_setting_turns_allauth_on() -> None:
    assert settings.DEMO_ALLAUTH is True
    assert {"allauth.headless", "allauth.mfa", "jwtauth.contrib.allauth"} <= set(
        settings.INSTALLED_APPS
    )
    assert settings.HEADLESS_TOKEN_STRATEGY.endswith("JWTAuthTokenStrategy")
    assert reverse("jwtauth_allauth:browser-token") == "/api/auth/allauth/token/"


def test_system_checks_pass() -> None:
    out = StringIO()
    call_command("check", stdout=out, stderr=out)  # raises on any error


def test_the_config_lists_mfa_and_the_test_provider(db: None) -> None:
    config = Client().get(f"{APP}/config").json()["data"]
    assert config["mfa"]["supported_types"] == ["totp", "recovery_codes"]
    assert [p["id"] for p in config["socialaccount"]["providers"]] == ["dummy"]


def test_the_openapi_spec_names_the_bearer_scheme() -> None:
    spec = JWTAuthTokenStrategy.openapi_spec()
    assert spec["securitySchemes"]["JWT"]["scheme"] == "bearer"
    assert spec["security"] == [{"SessionToken": []}, {"JWT": []}, {}]

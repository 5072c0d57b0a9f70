"""Social login through allauth's headless app API ends in a jwtauth pair too. The provider is
allauth's own test provider (``dummy``): its "ID token" is the profile as JSON."""

import json
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.allauth import APP
from tests.helpers.http import bearer

pytestmark = pytest.mark.django_db


def provider_token(api: APIClient, profile: dict[str, Any] | str) -> Any:
    id_token = profile if isinstance(profile, str) else json.dumps(profile)
    return api.post(
        f"{APP}/auth/provider/token",
        {"provider": "dummy", "process": "login", "token": {"id_token": id_token}},
        format="json",
    )


def test_social_login_signs_up_and_hands_out_a_jwtauth_pair(api: APIClient) -> None:
    profile = {"id": 4242, "email": "dora@example.com", "email_verified": True, "username": "dora"}
    response = provider_token(api, profile)
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    user = get_user_model().objects.get(email="dora@example.com")
    assert SocialAccount.objects.get(provider="dummy", uid="4242").user == user
    assert TokenFamily.objects.get().user_id == user.pk
    profile_view = api.get("/api/profile/", **bearer(meta["access_token"]))
    assert profile_view.json()["id"] == user.pk
    rotated = api.post("/api/auth/refresh/", {"refresh": meta["refresh_token"]}, format="json")
    assert rotated.status_code == 200


def test_a_returning_social_user_gets_a_new_session(api: APIClient, make_user) -> None:
    profile = {"id": 7, "email": "erin@example.com", "email_verified": True, "username": "erin"}
    first = provider_token(api, profile).json()["meta"]
    second = provider_token(api, profile).json()["meta"]
    assert get_user_model().objects.filter(email="erin@example.com").count() == 1
    assert TokenFamily.objects.count() == 2
    assert first["refresh_token"] != second["refresh_token"]


def test_a_refused_provider_token_issues_nothing(api: APIClient) -> None:
    response = provider_token(api, "not json")
    assert response.status_code == 400
    assert not TokenFamily.objects.exists()
    assert not get_user_model().objects.exists()


def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", "jwtauth_allauth", "--check", "--dry-run", verbosity=0)

"""Sign-up with mandatory email verification through allauth: tokens come only once the
address is verified."""

import re
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from jwtauth.models import TokenFamily
from tests.helpers.allauth import APP
from tests.helpers.http import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mandatory_verification_by_code(settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True


def sign_up(api: APIClient) -> dict[str, Any]:
    response = api.post(
        f"{APP}/auth/signup",
        {"email": "fay@example.com", "username": "fay", "password": "a-long-new-password-42"},
        format="json",
    )
    assert response.status_code == 401, response.content
    flows = response.json()["data"]["flows"]
    assert {"id": "verify_email", "is_pending": True} in flows
    return response.json()["meta"]


def test_tokens_come_after_the_email_is_verified(api: APIClient) -> None:
    meta = sign_up(api)
    assert "access_token" not in meta
    assert not TokenFamily.objects.exists()
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, flags=re.MULTILINE)[1]
    verified = api.post(
        f"{APP}/auth/email/verify",
        {"key": code},
        format="json",
        HTTP_X_SESSION_TOKEN=meta["session_token"],
    )
    assert verified.status_code == 200, verified.content
    tokens = verified.json()["meta"]
    assert api.get("/api/profile/", **bearer(tokens["access_token"])).status_code == 200
    assert TokenFamily.objects.count() == 1


def test_a_wrong_code_issues_nothing(api: APIClient) -> None:
    meta = sign_up(api)
    response = api.post(
        f"{APP}/auth/email/verify",
        {"key": "WRONG1"},
        format="json",
        HTTP_X_SESSION_TOKEN=meta["session_token"],
    )
    assert response.status_code == 400
    assert not TokenFamily.objects.exists()

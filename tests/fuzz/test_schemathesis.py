"""Schemathesis against the sample site, in process: no 5xx, every answer as the schema says."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from jwtauth import families

# Served by the sample site itself; schemathesis then calls the same WSGI app in process.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture(autouse=True)
def site(db: None, settings: Any) -> Iterator[None]:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}
    # As Django's test client does: the test's transaction must outlive each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Per operation and per test; the profile (tests/conftest.py) sets the rest.
FUZZ = hypothesis_settings(max_examples=100, suppress_health_check=list(HealthCheck))


# Schema-valid bodies these endpoints refuse with 400 by rule, not by shape: Django's password
# validators, "username or email", the old password, a reset link that must be genuine.
SEMANTIC_400 = {
    "/api/auth/login/",
    "/api/auth/register/",
    "/api/auth/password/change/",
    "/api/auth/password/reset/confirm/",
}


def validate(case: schemathesis.Case, **kwargs: Any) -> None:
    excluded = [positive_data_acceptance] if case.operation.path in SEMANTIC_400 else []
    case.call_and_validate(excluded_checks=excluded, **kwargs)


@schema.parametrize()
@FUZZ
def test_anonymous(case: schemathesis.Case) -> None:
    validate(case)


@schema.parametrize()
@FUZZ
def test_with_valid_bearer(case: schemathesis.Case, make_user: Any) -> None:
    # Staff: the admin-only endpoint answers 200 too. A fresh session per example, since
    # logout, logout-all and password change end the previous one.
    user = make_user(is_staff=True)
    access = families.start(user=user).access
    validate(case, headers={"Authorization": f"Bearer {access}"})

"""Shared fixtures: users, API clients, login helpers, fast hashing, a clean cache."""

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI runs it)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings: Any) -> Any:
    # bcrypt is exercised by its own tests; everything else hashes cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(username: str | None = None, password: str = PASSWORD, **fields: Any) -> Any:
        username = username or f"user{next(_counter)}"
        fields.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(username=username, password=password, **fields)

    return make


@pytest.fixture
def user(make_user: Callable[..., Any]) -> Any:
    return make_user("alice")


@pytest.fixture
def api() -> APIClient:
    """A client like a native app: no CSRF enforcement, JSON bodies."""
    return APIClient()


@pytest.fixture
def browser() -> APIClient:
    """A client like a browser: Django's CSRF check is enforced."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def login(api: APIClient) -> Callable[..., dict[str, Any]]:
    """Log in with body transport; returns the token response body."""

    def do(user: Any, password: str = PASSWORD, client: APIClient | None = None) -> dict[str, Any]:
        response = (client or api).post(
            "/api/auth/login/",
            {"username": user.username, "password": password, "transport": "body"},
            format="json",
        )
        assert response.status_code == 200, response.content
        return response.json()

    return do


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

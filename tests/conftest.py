"""Shared fixtures and collection hooks: users, API clients, logins, clocks, clean caches."""

import itertools
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.dispatch import Signal
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from jwtauth import revocation
from jwtauth.settings import jwtauth_settings
from tests.helpers.accounts import PASSWORD
from tests.helpers.clock import T0, ManualClock

_counter = itertools.count()

# Property tests (tests/property/, tests/fuzz/): bounded and reproducible in CI; run
# HYPOTHESIS_PROFILE=deep for a longer, randomised search.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", max_examples=150, derandomize=True, **_HYPOTHESIS)
hypothesis_settings.register_profile("deep", max_examples=3000, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# tests/allauth/ run against the sample site with django-allauth on (DEMO_ALLAUTH=1); a default
# run, allauth off, starts them in a process of their own (tests/test_allauth_on.py).
collect_ignore = (
    ["test_allauth_on.py"] if getattr(django_settings, "DEMO_ALLAUTH", False) else ["allauth"]
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _skip_what_the_user_model_lacks(items)
    if os.environ.get("DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI runs it)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _skip_what_the_user_model_lacks(items: list[pytest.Item]) -> None:
    """``user_fields(...)`` tests need those fields, ``shared_email`` ones two accounts with one
    address, ``stock_user`` ones Django's own User.

    They run on the default settings; under a custom user model (tests/settings_*_user.py)
    the ones that cannot apply say why.
    """
    model = get_user_model()
    fields = {field.name for field in model._meta.concrete_fields}
    label = model._meta.label
    email_unique = model._meta.get_field(model.get_email_field_name()).unique
    for item in items:
        marker = item.get_closest_marker("user_fields")
        missing = [name for name in (marker.args if marker else ()) if name not in fields]
        if missing:
            reason = f"{label} has no {', '.join(missing)} field"
            item.add_marker(pytest.mark.skip(reason=reason))
        if item.get_closest_marker("shared_email") and email_unique:
            item.add_marker(pytest.mark.skip(reason=f"{label} allows one account per address"))
        if item.get_closest_marker("stock_user") and label != "auth.User":
            item.add_marker(pytest.mark.skip(reason=f"tests Django's own User, not {label}"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, a file test database whose writers queue instead of failing.

    The default in-memory test database shares one cache between threads and answers
    "table is locked" at once, so threaded tests could not run on SQLite.
    """
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    # The project settings already make writers wait (timeout, IMMEDIATE transactions).
    database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def revocation_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[ManualClock]:
    """Every test starts as a new process: nothing of the revocation log read yet."""
    manual = ManualClock()
    monkeypatch.setattr(revocation, "clock", manual)
    revocation.reset()
    yield manual
    revocation.reset()


@pytest.fixture
def log_read(db: None) -> None:
    """The process has read the revocation log, as it does before its first answer."""
    revocation.catch_up()


@pytest.fixture(scope="session", autouse=True)
def _stop_revocation_listener(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # Set up after the test database, so torn down before it is dropped: a listening
    # connection would keep PostgreSQL from dropping it.
    yield
    revocation.stop_listener()


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings: Any) -> Any:
    # bcrypt is exercised by its own tests; everything else hashes cheaply.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Per-process state (key sets, verified tokens) starts empty in every test.
    jwtauth_settings.reload()
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """``make(name)`` creates a user of whatever ``AUTH_USER_MODEL`` the settings select.

    ``name`` is the username; on a model signed in by email the username is the address
    (``email=``, else ``<name>@example.com``). Other ``REQUIRED_FIELDS`` default to ``name``.
    """

    def make(username: str | None = None, password: str = PASSWORD, **fields: Any) -> Any:
        model = get_user_model()
        username = username or f"user{next(_counter)}"
        email_field = model.get_email_field_name()
        fields[email_field] = fields.pop("email", f"{username}@example.com")
        if model.USERNAME_FIELD != email_field:
            fields[model.USERNAME_FIELD] = username
        for name in model.REQUIRED_FIELDS:
            fields.setdefault(name, username)
        return model._default_manager.create_user(password=password, **fields)

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
            {"username": user.get_username(), "password": password, "transport": "body"},
            format="json",
        )
        assert response.status_code == 200, response.content
        return response.json()

    return do


@pytest.fixture
def clock(time_machine: Any) -> Any:
    """Time frozen at T0; move it with ``clock.shift(seconds)`` or ``clock.move_to(when)``."""
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def browser_login(browser: APIClient) -> Callable[..., Any]:
    """Log ``user`` in through ``browser`` with the default (cookie) transport."""

    def do(user: Any, client: APIClient | None = None) -> Any:
        response = (client or browser).post(
            "/api/auth/login/",
            {"username": user.get_username(), "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 200, response.content
        return response

    return do


@pytest.fixture
def receive() -> Any:
    """``receive(signal)`` connects a recorder and returns the list of kwargs it gets."""
    connected: list[tuple[Signal, Callable[..., None]]] = []

    def connect(signal: Signal) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []

        def receiver(sender: Any, **kwargs: Any) -> None:
            calls.append({"sender": sender, **kwargs})

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))
        return calls

    yield connect
    for signal, receiver in connected:
        signal.disconnect(receiver)


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    """A migration executor for tests that migrate back and forth (tests/test_migration_*)."""
    executor = MigrationExecutor(connection)
    yield executor
    # Leave the schema as the other tests expect it: every migration applied.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

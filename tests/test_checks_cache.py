"""jwtauth.W001: the revocation cache must be shared between processes in production."""

from typing import Any

import pytest
from django.test import override_settings

from jwtauth.checks import check_revocation_cache

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# Never connected to: the check only looks at the backend class.
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x:6379"}
DATABASE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}


def check(**overrides: Any) -> list:
    # override_settings, not the settings fixture: the caches are gone again before the
    # autouse fixture clears every configured cache.
    with override_settings(**overrides):
        return check_revocation_cache()


@pytest.mark.parametrize("backend", [LOCMEM, DUMMY])
def test_process_local_cache_warns_in_production(backend: dict) -> None:
    [warning] = check(DEBUG=False, CACHES={"default": backend})

    assert warning.id == "jwtauth.W001"
    assert "'default'" in warning.msg
    assert "REVOCATION_CACHE" in warning.hint


@pytest.mark.parametrize("backend", [REDIS, DATABASE])
def test_shared_cache_passes(backend: dict) -> None:
    assert check(DEBUG=False, CACHES={"default": backend}) == []


def test_debug_does_not_warn() -> None:
    assert check(DEBUG=True, CACHES={"default": LOCMEM}) == []


def test_the_configured_alias_is_checked() -> None:
    [warning] = check(
        DEBUG=False,
        CACHES={"default": REDIS, "tokens": LOCMEM},
        JWTAUTH={"REVOCATION_CACHE": "tokens"},
    )

    assert "'tokens'" in warning.msg


def test_a_missing_alias_is_left_to_djangos_checks() -> None:
    assert check(DEBUG=False, JWTAUTH={"REVOCATION_CACHE": "nope"}) == []

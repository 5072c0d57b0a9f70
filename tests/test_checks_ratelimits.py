"""System checks of the rate-limit settings: jwtauth.E005, E006 and W002."""

from typing import Any

import pytest
from django.core.checks import run_checks
from django_ratelimit import core as ratelimit_core

from jwtauth.checks import check_ratelimit_helpers, check_ratelimits

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/4",
}


def ids() -> list[str]:
    return [message.id for message in check_ratelimits()]


def test_process_local_cache_warns_when_not_debug(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": LOCMEM}
    messages = check_ratelimits()
    assert [m.id for m in messages] == ["jwtauth.W002"]
    assert "LocMemCache" in messages[0].msg and messages[0].hint


def test_warning_is_registered_with_django(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": LOCMEM}
    assert "jwtauth.W002" in [message.id for message in run_checks()]


def test_dummy_cache_warns(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert ids() == ["jwtauth.W002"]


def test_no_warning_in_debug(settings: Any) -> None:
    settings.DEBUG = True
    settings.CACHES = {"default": LOCMEM}
    assert ids() == []


def test_no_warning_for_a_shared_cache(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": LOCMEM, "limits": REDIS}
    settings.JWTAUTH = {"RATELIMIT_CACHE": "limits"}
    assert ids() == []


def test_the_warning_follows_the_configured_alias(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": REDIS, "local": LOCMEM}
    settings.JWTAUTH = {"RATELIMIT_CACHE": "local"}
    messages = check_ratelimits()
    assert [m.id for m in messages] == ["jwtauth.W002"]
    assert "'local'" in messages[0].msg


def test_no_warning_when_limits_are_off(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": LOCMEM}
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}
    assert ids() == []


def test_unknown_alias_is_an_error(settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_CACHE": "nope"}
    assert ids() == ["jwtauth.E006"]


@pytest.mark.parametrize("rate", ["10/15m", "5/h", "60/m", "3/2d", "1/s", "7/10", None])
def test_valid_rates_pass(settings: Any, rate: str | None) -> None:
    settings.DEBUG = True
    settings.JWTAUTH = {"LOGIN_RATE": rate}
    assert ids() == []


@pytest.mark.parametrize("rate", ["ten per minute", "10/15y", "10/0m", "/m", 10, ""])
def test_invalid_rates_are_an_error(settings: Any, rate: Any) -> None:
    settings.DEBUG = True
    settings.JWTAUTH = {"REGISTER_RATE": rate, "REFRESH_RATE": "fast"}
    messages = check_ratelimits()
    assert [m.id for m in messages] == ["jwtauth.E005"]
    assert "REGISTER_RATE" in messages[0].msg and "REFRESH_RATE" in messages[0].msg


def test_django_ratelimits_switch_turns_the_checks_off(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    settings.JWTAUTH = {"LOGIN_RATE": "often"}
    assert ids() == []


def test_the_installed_django_ratelimit_has_the_helpers_jwtauth_uses() -> None:
    assert check_ratelimit_helpers() == []


@pytest.mark.parametrize("name", ["_split_rate", "_get_window", "_make_cache_key"])
def test_a_django_ratelimit_without_a_helper_is_an_error(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.delattr(ratelimit_core, name)
    messages = check_ratelimit_helpers()
    assert [m.id for m in messages] == ["jwtauth.E011"]
    assert name in messages[0].msg and messages[0].hint


def test_a_helper_that_changed_shape_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit_core, "_split_rate", lambda rate: (rate, 0))
    assert [m.id for m in check_ratelimit_helpers()] == ["jwtauth.E011"]
    assert "jwtauth.E011" in [m.id for m in run_checks()]

"""Rate-limit counters: windows, exact Retry-After, cache alias, switches, buckets."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from jwtauth import ratelimits
from jwtauth.exceptions import AccountLocked, RateLimited

T0 = datetime(2031, 5, 4, 12, 0, 7, tzinfo=UTC)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(T0, tick=False)
    return time_machine


def request_from(ip: str) -> Any:
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def exhaust(ip: str, action: str = ratelimits.LOGIN, times: int = 10) -> None:
    for _ in range(times):
        ratelimits.hit(request_from(ip), action)


def test_limit_allows_the_rate_then_refuses(frozen: Any) -> None:
    exhaust("192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    assert refused.value.get_codes() == {"detail": "rate_limited", "code": "rate_limited"}
    assert 1 <= refused.value.wait <= 15 * 60


def test_retry_after_is_the_exact_rest_of_the_window(frozen: Any) -> None:
    exhaust("192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    wait = refused.value.wait
    frozen.shift(wait - 1)
    with pytest.raises(RateLimited) as again:
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    assert again.value.wait == 1
    frozen.shift(1)
    ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)


def test_windows_are_aligned_to_time_not_to_the_first_hit(frozen: Any) -> None:
    ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    first = ratelimits.usage(ratelimits.LOGIN, "192.0.2.1", increment=False)
    frozen.shift(100)
    later = ratelimits.usage(ratelimits.LOGIN, "192.0.2.1", increment=False)
    assert first is not None and later is not None
    assert later.count == 1
    assert later.time_left == first.time_left - 100


def test_counts_share_django_ratelimits_slots(frozen: Any, settings: Any) -> None:
    settings.RATELIMIT_USE_CACHE = "default"
    request = request_from("192.0.2.1")
    for _ in range(3):
        get_usage(
            request,
            group="jwtauth.LOGIN_RATE",
            key=lambda group, request: "192.0.2.1",
            rate="10/15m",
            increment=True,
        )
    found = ratelimits.usage(ratelimits.LOGIN, "192.0.2.1", increment=False)
    assert found is not None and found.count == 3


def test_counters_live_in_the_configured_cache_alias(frozen: Any, settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "jwtauth-limits",
        },
    }
    settings.JWTAUTH = {"RATELIMIT_CACHE": "limits"}
    exhaust("192.0.2.1")
    caches["default"].clear()
    with pytest.raises(RateLimited):
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    caches["limits"].clear()
    ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)


def test_all_limits_can_be_turned_off(frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}
    exhaust("192.0.2.1", times=30)
    for _ in range(10):
        ratelimits.attempt("alice")


def test_django_ratelimits_own_switch_turns_them_off(frozen: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    exhaust("192.0.2.1", times=30)
    for _ in range(10):
        ratelimits.attempt("alice")


def test_one_limit_can_be_turned_off(frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"LOGIN_RATE": None, "REFRESH_RATE": "2/m"}
    exhaust("192.0.2.1", times=30)
    exhaust("192.0.2.1", action=ratelimits.REFRESH, times=2)
    with pytest.raises(RateLimited):
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.REFRESH)


def test_rates_are_configurable(frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"LOGIN_RATE": "2/h"}
    exhaust("192.0.2.1", times=2)
    with pytest.raises(RateLimited) as refused:
        ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)
    assert 0 < refused.value.wait <= 3600
    frozen.shift(refused.value.wait)
    ratelimits.hit(request_from("192.0.2.1"), ratelimits.LOGIN)


def test_each_action_has_its_own_bucket(frozen: Any) -> None:
    exhaust("192.0.2.1")
    ratelimits.hit(request_from("192.0.2.1"), ratelimits.REFRESH)


def test_ipv6_clients_are_bucketed_by_64_bit_prefix(frozen: Any) -> None:
    for suffix in range(10):
        ratelimits.hit(request_from(f"2001:db8:1:2::{suffix + 1:x}"), ratelimits.LOGIN)
    with pytest.raises(RateLimited):
        ratelimits.hit(request_from("2001:db8:1:2:ffff::1"), ratelimits.LOGIN)
    ratelimits.hit(request_from("2001:db8:1:3::1"), ratelimits.LOGIN)


def test_invalid_remote_addr_shares_one_bucket(frozen: Any) -> None:
    assert ratelimits.ip_key(request_from("not-an-ip")) == "unknown"


def test_account_key_folds_case_and_unicode_forms() -> None:
    assert ratelimits.account_key("Alice") == ratelimits.account_key("alice")
    assert ratelimits.account_key("\uff21lice") == ratelimits.account_key("alice")  # fullwidth A


def test_account_locks_after_the_failure_rate(frozen: Any) -> None:
    for _ in range(4):
        ratelimits.attempt("alice")
    ratelimits.attempt("ALICE")
    with pytest.raises(AccountLocked) as locked:
        ratelimits.attempt("alice")
    assert locked.value.get_codes()["code"] == "account_locked"
    frozen.shift(locked.value.wait)
    ratelimits.attempt("alice")


def test_reset_forgets_the_attempts(frozen: Any) -> None:
    for _ in range(5):
        ratelimits.attempt("alice")
    ratelimits.reset_failures("Alice")
    for _ in range(5):
        ratelimits.attempt("alice")


def test_lockout_can_be_turned_off(frozen: Any, settings: Any) -> None:
    settings.JWTAUTH = {"ACCOUNT_LOCKOUT": False}
    for _ in range(10):
        ratelimits.attempt("alice")


def test_counter_expiring_between_add_and_incr_restarts_at_one(
    frozen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caches["default"], "add", lambda *args, **kwargs: False)
    found = ratelimits.usage(ratelimits.LOGIN, "192.0.2.1", increment=True)
    assert found is not None and found.count == 1

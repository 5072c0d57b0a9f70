"""Per-IP rate limits and per-account lockout on django-ratelimit's fixed, time-aligned windows.

The windows and cache keys are django-ratelimit's own (``django_ratelimit.core``), so counts
agree with its ``get_usage()``; those helpers are not public API, so pyproject pins the
django-ratelimit versions tested and the system check ``jwtauth.E011`` verifies them.
"""

import functools
import ipaddress
import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit import core as ratelimit_core

from jwtauth.cache_errors import CACHE_ERRORS
from jwtauth.clientip import client_ip
from jwtauth.exceptions import AccountLocked, RateLimited, RateLimitUnavailable
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)

# Actions limited per client IP, each with the setting that holds its rate.
LOGIN = "LOGIN_RATE"
REGISTER = "REGISTER_RATE"
PASSWORD_RESET = "PASSWORD_RESET_RATE"  # noqa: S105  a setting name
REFRESH = "REFRESH_RATE"
_FAILURES = "LOGIN_FAILURE_RATE"
# What jwtauth uses of django_ratelimit.core: checked by jwtauth.E011.
HELPERS = ("_split_rate", "_get_window", "_make_cache_key", "EXPIRATION_FUDGE")


def helper(name: str) -> Any:
    """One of django-ratelimit's internal helpers; ImproperlyConfigured if a release dropped it."""
    try:
        return getattr(ratelimit_core, name)
    except AttributeError as exc:
        raise ImproperlyConfigured(
            f"django_ratelimit.core.{name} is missing: install a django-ratelimit version "
            "jwtauth supports (see its pyproject.toml)."
        ) from exc


@dataclass(frozen=True)
class Usage:
    """One counter in its current window: hits so far, the limit, seconds until the next window."""

    count: int
    limit: int
    time_left: int


def _cache() -> BaseCache:
    return caches[jwtauth_settings.RATELIMIT_CACHE]


def enabled() -> bool:
    """False when jwtauth's RATELIMIT_ENABLED or django-ratelimit's RATELIMIT_ENABLE is off."""
    return bool(jwtauth_settings.RATELIMIT_ENABLED) and bool(
        getattr(settings, "RATELIMIT_ENABLE", True)
    )


def _rate(setting: str) -> str | None:
    if not enabled():
        return None
    return getattr(jwtauth_settings, setting)


def _window(setting: str, rate: str, value: str) -> tuple[str, int, int, int]:
    """Cache key, limit, period and seconds until the next window.

    django-ratelimit takes its cache only from the global ``RATELIMIT_USE_CACHE`` and has no
    reset, so the counting is done here on jwtauth's own alias with its window and key
    functions: a ``get_usage()`` call with the same group, key and alias counts in the same slot.
    """
    limit, period = helper("_split_rate")(rate)
    window = helper("_get_window")(value, period)
    key = helper("_make_cache_key")(f"jwtauth.{setting}", window, rate, value, ALL)
    # ``window`` is the last second of the current window: a new one starts a second later.
    return key, limit, period, window - int(time.time()) + 1


def usage(setting: str, value: str, *, increment: bool) -> Usage | None:
    """The counter of ``value`` under the rate in ``setting``, counting one hit if ``increment``.

    None when that limit (or every limit) is turned off. An unreachable cache is a 503
    ``rate_limit_unavailable``: limits that cannot be counted are not silently dropped.
    """
    rate = _rate(setting)
    if rate is None:
        return None
    key, limit, period, time_left = _window(setting, rate, value)
    try:
        return Usage(count=_count(key, period, increment), limit=limit, time_left=time_left)
    except CACHE_ERRORS as exc:
        logger.exception("Rate-limit cache unreachable")
        raise RateLimitUnavailable() from exc


def _count(key: str, period: int, increment: bool) -> int:
    cache, fudge = _cache(), helper("EXPIRATION_FUDGE")
    if not increment:
        count = cache.get(key, 0)
    elif cache.add(key, 1, period + fudge):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, period + fudge)
            count = 1
    return int(count)


def ip_key(request: HttpRequest) -> str:
    """The client's bucket: its IP behind the trusted proxies; IPv6 by /64 (as django-ratelimit,
    ``RATELIMIT_IPV6_MASK``), so one host cannot hop between its own addresses."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    if ":" in ip:
        mask = getattr(settings, "RATELIMIT_IPV6_MASK", 64)
    else:
        mask = getattr(settings, "RATELIMIT_IPV4_MASK", 32)
    return str(ipaddress.ip_network(f"{ip}/{mask}", strict=False).network_address)


def account_key(identifier: str) -> str:
    """One bucket per account whatever the case or Unicode form the client typed."""
    return unicodedata.normalize("NFKC", identifier).casefold()


def hit(request: HttpRequest, action: str) -> None:
    """Count one request of the client for ``action``; 429 ``rate_limited`` past its rate."""
    found = usage(action, ip_key(request), increment=True)
    if found is not None and found.count > found.limit:
        raise RateLimited(wait=found.time_left)


def limited(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view method so that each call counts as one ``hit`` for ``action``."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(view: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            hit(getattr(request, "_request", request), action)
            return method(view, request, *args, **kwargs)

        return wrapper

    return decorate


def attempt(identifier: str) -> None:
    """Count one password check of the account *before* it is made; 429 ``account_locked``
    (and no check) once the account has used up LOGIN_FAILURE_RATE in this window.

    The count is one atomic increment, so N concurrent attempts never check more passwords
    than the limit, however many processes serve them. A success calls ``reset_failures``.
    """
    if not jwtauth_settings.ACCOUNT_LOCKOUT:
        return
    found = usage(_FAILURES, account_key(identifier), increment=True)
    if found is not None and found.count > found.limit:
        raise AccountLocked(wait=found.time_left)


def reset_failures(identifier: str) -> None:
    """Forget the account's attempts in this window (after a successful login or reset)."""
    forget(_FAILURES, account_key(identifier))


def forget(setting: str, value: str) -> None:
    """Forget the count of ``value`` under the rate in ``setting`` for this window."""
    rate = _rate(setting)
    if rate is None:
        return
    try:
        _cache().delete(_window(setting, rate, value)[0])
    except CACHE_ERRORS:
        # The login itself succeeded; the stale count expires with its window.
        logger.exception("Rate-limit cache unreachable; failures not reset")

"""System checks for jwtauth settings."""

import re
from typing import Any

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from jwtauth.keys import HMAC_ALGORITHMS, access_keys, refresh_keys
from jwtauth.settings import DEFAULTS, jwtauth_settings

MIN_HMAC_KEY_BYTES = 32
RATE_SETTINGS = (
    "LOGIN_RATE",
    "LOGIN_FAILURE_RATE",
    "REGISTER_RATE",
    "PASSWORD_RESET_RATE",
    "REFRESH_RATE",
)
# django-ratelimit's rate format: "count/period", period = [multiplier]s|m|h|d.
_RATE = re.compile(r"\d+/(?:[1-9]\d*)?[smhd]?")


def _secrets(configured: Any) -> list[bytes]:
    entries = configured if isinstance(configured, list | tuple) else []
    keys = [entry.get("key") for entry in entries if isinstance(entry, dict)]
    return [key.encode() if isinstance(key, str) else key for key in keys if key]


@register()
def check_settings(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    unknown = sorted(set(jwtauth_settings.user_settings) - set(DEFAULTS))
    if unknown:
        errors.append(
            Error(
                f"Unknown JWTAUTH settings: {', '.join(unknown)}.",
                hint="Remove them or correct their spelling; see the settings table in the README.",
                id="jwtauth.E001",
            )
        )
    return errors


@register()
def check_key_config(**kwargs: Any) -> list[CheckMessage]:
    try:
        access_keys()
        refresh_keys()
    except (ImproperlyConfigured, KeyError, TypeError, AttributeError) as exc:
        return [
            Error(
                f"JWTAUTH keys cannot be loaded: {exc}",
                hint="Each key entry is a dict with a 'key' (and optionally a 'kid').",
                id="jwtauth.E004",
            )
        ]
    return []


@register()
def check_keys(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    access = _secrets(jwtauth_settings.ACCESS_KEYS)
    refresh = _secrets(jwtauth_settings.REFRESH_KEYS)
    hmac_access = access if jwtauth_settings.ALGORITHM in HMAC_ALGORITHMS else []
    if any(len(secret) < MIN_HMAC_KEY_BYTES for secret in hmac_access + refresh):
        errors.append(
            Error(
                f"An explicit HS256 key in JWTAUTH is shorter than {MIN_HMAC_KEY_BYTES} bytes.",
                hint="Use at least 32 random bytes, e.g. secrets.token_urlsafe(48).",
                id="jwtauth.E002",
            )
        )
    if set(access) & set(refresh):
        errors.append(
            Error(
                "JWTAUTH uses the same key for access and refresh tokens.",
                hint="Give ACCESS_KEYS and REFRESH_KEYS different secrets, or leave both unset "
                "to derive separate keys from SECRET_KEY.",
                id="jwtauth.E003",
            )
        )
    return errors


def _valid_rate(rate: Any) -> bool:
    return rate is None or (isinstance(rate, str) and _RATE.fullmatch(rate) is not None)


@register()
def check_ratelimits(**kwargs: Any) -> list[CheckMessage]:
    if not jwtauth_settings.RATELIMIT_ENABLED:
        return []
    errors: list[CheckMessage] = []
    bad = [name for name in RATE_SETTINGS if not _valid_rate(getattr(jwtauth_settings, name))]
    if bad:
        errors.append(
            Error(
                f"Invalid JWTAUTH rates: {', '.join(bad)}.",
                hint='Write a rate as "count/period", such as "10/15m", "5/h" or "60/m"; '
                "None turns that limit off.",
                id="jwtauth.E005",
            )
        )
    alias = jwtauth_settings.RATELIMIT_CACHE
    try:
        cache = caches[alias]
    except InvalidCacheBackendError:
        errors.append(
            Error(
                f"JWTAUTH RATELIMIT_CACHE {alias!r} is not a cache alias in CACHES.",
                hint="Name one of the CACHES aliases.",
                id="jwtauth.E006",
            )
        )
        return errors
    if isinstance(cache, LocMemCache | DummyCache) and not settings.DEBUG:
        errors.append(
            Warning(
                f"JWTAUTH RATELIMIT_CACHE {alias!r} is not shared between processes "
                f"({type(cache).__name__}): each worker process counts on its own (a dummy "
                "cache counts nothing), so rate limits and account lockout do not hold.",
                hint="Point RATELIMIT_CACHE at a shared cache such as Redis or Memcached.",
                id="jwtauth.W002",
            )
        )
    return errors


@register(Tags.caches)
def check_revocation_cache(**kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    alias = jwtauth_settings.REVOCATION_CACHE
    try:
        cache = caches[alias]
    except InvalidCacheBackendError:
        return []  # Django's own cache checks report the missing alias.
    if not isinstance(cache, LocMemCache | DummyCache):
        return []
    return [
        Warning(
            f"The jwtauth revocation cache {alias!r} is {type(cache).__name__}, which is "
            "local to one process: a logout or revocation in one worker is not seen by "
            "the others, whose access tokens keep working until they expire.",
            hint="Point JWTAUTH['REVOCATION_CACHE'] at a shared cache such as Redis or Memcached.",
            id="jwtauth.W001",
        )
    ]

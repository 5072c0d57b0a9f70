"""System checks for jwtauth settings."""

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Tags, register
from django.core.exceptions import ImproperlyConfigured

from jwtauth import ratelimits
from jwtauth import value_checks as value_checks  # registers the setting-value check
from jwtauth.check_messages import TAG, Checks
from jwtauth.keys import (
    HMAC_ALGORITHMS,
    Key,
    access_keys,
    load_access,
    load_refresh,
    verify_only,
)
from jwtauth.keys.material import KeyMaterialError
from jwtauth.keys.remote import check_url
from jwtauth.settings import DEFAULTS, jwtauth_settings
from jwtauth.value_checks import is_duration

MIN_HMAC_KEY_BYTES = 32
_DURATIONS = ("JWKS_REFRESH_INTERVAL", "JWKS_LIFETIME", "JWKS_TIMEOUT", "JWKS_MAX_AGE")
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
RATE_SETTINGS = (
    "LOGIN_RATE",
    "LOGIN_FAILURE_RATE",
    "REGISTER_RATE",
    "PASSWORD_RESET_RATE",
    "REFRESH_RATE",
)
# django-ratelimit's rate format: "count/period", period = [multiplier]s|m|h|d.
_RATE = re.compile(r"\d+/(?:[1-9]\d*)?[smhd]?")


@register(Tags.security, TAG)
def check_settings(**kwargs: Any) -> list[CheckMessage]:
    unknown = sorted(set(jwtauth_settings.user_settings) - set(DEFAULTS))
    return [Checks.UNKNOWN_SETTINGS(names=", ".join(unknown))] if unknown else []


def _refresh() -> tuple[list[Key], list[Exception]]:
    """The refresh keys that load, and the problems of the rest (or of SECRET_KEY)."""
    try:
        keys, problems = load_refresh()
    except (ImproperlyConfigured, KeyError, TypeError, AttributeError) as exc:
        return [], [exc]
    return keys, list(problems)


@register(Tags.security, TAG)
def check_key_config(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for problem in load_access()[1]:
        material = isinstance(problem, KeyMaterialError)
        check = Checks.ACCESS_KEY_MATERIAL if material else Checks.ACCESS_KEY_ENTRY
        errors.append(check(problem=problem))
    # The first refresh-key problem only: fixing it shows the next.
    errors += [Checks.REFRESH_KEYS(problem=problem) for problem in _refresh()[1][:1]]
    return errors


@register(Tags.security, TAG)
def check_signing_key(**kwargs: Any) -> list[CheckMessage]:
    if verify_only() or load_access()[1] or access_keys().can_sign:
        return []
    return [Checks.NO_SIGNING_KEY()]


@register(Tags.security, TAG)
def check_jwks(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    url = jwtauth_settings.JWKS_URL
    bad = [
        name
        for name in _DURATIONS
        if not is_duration(getattr(jwtauth_settings, name), positive=True)
    ]
    if bad:
        errors.append(Checks.JWKS_DURATIONS(names=", ".join(bad)))
    if url is None:
        return errors
    try:
        check_url(url)
    except ImproperlyConfigured as exc:
        return [*errors, Checks.JWKS_URL(problem=exc)]
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        errors.append(Checks.PLAIN_HTTP_JWKS())
    return errors


def _hmac_secrets(keys: Iterable[Key]) -> list[bytes]:
    return [key.signing_key for key in keys if key.algorithm in HMAC_ALGORITHMS]


@register(Tags.security, TAG)
def check_keys(**kwargs: Any) -> list[CheckMessage]:
    """Explicit HS256 secrets: long enough, and never shared by access and refresh tokens."""
    errors: list[CheckMessage] = []
    # The keys as parsed; an entry that does not parse is reported by E004 or E007 instead.
    access = _hmac_secrets(load_access()[0])
    refresh = _hmac_secrets(_refresh()[0])
    if any(len(secret) < MIN_HMAC_KEY_BYTES for secret in access + refresh):
        errors.append(Checks.SHORT_HMAC_KEY(minimum=MIN_HMAC_KEY_BYTES))
    if set(access) & set(refresh):
        errors.append(Checks.SHARED_KEY())
    return errors


def _valid_rate(rate: Any) -> bool:
    return rate is None or (isinstance(rate, str) and _RATE.fullmatch(rate) is not None)


def _helpers_work() -> bool:
    try:
        limit, period = ratelimits.helper("_split_rate")("10/15m")
        window = ratelimits.helper("_get_window")("key", period)
        key = ratelimits.helper("_make_cache_key")("group", window, "10/15m", "key", ["GET"])
        fudge = ratelimits.helper("EXPIRATION_FUDGE")
    except (ImproperlyConfigured, TypeError, ValueError, ArithmeticError, AttributeError):
        return False
    return (limit, period) == (10, 900) and all(
        isinstance(value, type_) for value, type_ in ((window, int), (key, str), (fudge, int))
    )


@register(Tags.compatibility, TAG)
def check_ratelimit_helpers(**kwargs: Any) -> list[CheckMessage]:
    if _helpers_work():
        return []
    return [Checks.RATELIMIT_HELPERS(helpers=", ".join(ratelimits.HELPERS))]


@register(Tags.security, Tags.caches, TAG)
def check_ratelimits(**kwargs: Any) -> list[CheckMessage]:
    if not ratelimits.enabled():
        return []
    errors: list[CheckMessage] = []
    bad = [name for name in RATE_SETTINGS if not _valid_rate(getattr(jwtauth_settings, name))]
    if bad:
        errors.append(Checks.INVALID_RATES(names=", ".join(bad)))
    alias = jwtauth_settings.RATELIMIT_CACHE
    try:
        cache = caches[alias]
    except InvalidCacheBackendError:
        errors.append(Checks.RATELIMIT_CACHE_ALIAS(alias=alias))
        return errors
    if isinstance(cache, LocMemCache | DummyCache) and not settings.DEBUG:
        errors.append(Checks.LOCAL_RATELIMIT_CACHE(alias=alias, backend=type(cache).__name__))
    return errors


@register(Tags.security, TAG)
def check_revocation_source(**kwargs: Any) -> list[CheckMessage]:
    """A verify-only service sees revocations only through the issuer's feed."""
    feed = jwtauth_settings.REVOCATION_FEED_URL
    if feed and not jwtauth_settings.REVOCATION_FEED_SECRET:
        return [Checks.FEED_WITHOUT_SECRET()]
    if feed or not (jwtauth_settings.VERIFY_ONLY or jwtauth_settings.JWKS_URL):
        return []
    return [Checks.NO_REVOCATION_FEED()]


def _origin_ok(origin: object) -> bool:
    if not isinstance(origin, str):
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path in ("", "/")


@register(Tags.security, TAG)
def check_reset_link(**kwargs: Any) -> list[CheckMessage]:
    """Reset links take their origin from a setting: never from the request's Host."""
    url, origin = jwtauth_settings.PASSWORD_RESET_URL, jwtauth_settings.PASSWORD_RESET_ORIGIN
    if verify_only() or (isinstance(url, str) and urlsplit(url).netloc) or _origin_ok(origin):
        return []
    return [Checks.NO_RESET_ORIGIN(origin=origin)]

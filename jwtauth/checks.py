"""System checks for jwtauth settings."""

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from jwtauth import ratelimits
from jwtauth import value_checks as value_checks  # registers jwtauth.E012
from jwtauth.jwks import check_url
from jwtauth.keys import access_key_problems, access_keys, refresh_keys, verify_only
from jwtauth.settings import DEFAULTS, jwtauth_settings

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


def _secrets(configured: Any) -> list[bytes]:
    entries = configured if isinstance(configured, list | tuple) else []
    keys = [entry.get("key") for entry in entries if isinstance(entry, dict)]
    keys = [key for key in keys if isinstance(key, str | bytes) and key]
    return [key.encode() if isinstance(key, str) else key for key in keys]


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


_KEY_HINTS = {
    "jwtauth.E007": "Each ACCESS_KEYS entry is a dict: {'kid', 'key'} for HS256, or {'kid', "
    "'private_key' and/or 'public_key'} for RS256/ES256/EdDSA, with an optional 'algorithm'. "
    "Key values are PEM text, 'file:/path' or 'env:VAR'.",
    "jwtauth.E008": "Generate a fitting key pair with `manage.py jwtauth_genkey --algorithm ALG`: "
    "RS256 needs RSA of 2048+ bits, ES256 a P-256 EC key, EdDSA an Ed25519 key.",
}


@register()
def check_key_config(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = [
        Error(f"JWTAUTH {problem}", hint=_KEY_HINTS[problem.check_id], id=problem.check_id)
        for problem in access_key_problems()
    ]
    try:
        refresh_keys()
    except (ImproperlyConfigured, KeyError, TypeError, AttributeError) as exc:
        errors.append(
            Error(
                f"JWTAUTH keys cannot be loaded: {exc}",
                hint="Each key entry is a dict with a 'key' (and optionally a 'kid').",
                id="jwtauth.E004",
            )
        )
    return errors


@register()
def check_signing_key(**kwargs: Any) -> list[CheckMessage]:
    if verify_only() or access_key_problems() or access_keys().can_sign:
        return []
    return [
        Error(
            "JWTAUTH ACCESS_KEYS has no private key, so this site cannot issue access tokens.",
            hint="Add a 'private_key' to the first entry, or set VERIFY_ONLY (or JWKS_URL) on a "
            "service that only verifies tokens.",
            id="jwtauth.E009",
        )
    ]


def _duration_ok(value: object) -> bool:
    if isinstance(value, timedelta):
        return value > timedelta(0)
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@register()
def check_jwks(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    url = jwtauth_settings.JWKS_URL
    bad = [name for name in _DURATIONS if not _duration_ok(getattr(jwtauth_settings, name))]
    if bad:
        errors.append(
            Error(
                f"JWTAUTH {', '.join(bad)} must be positive durations.",
                hint="Use a timedelta or a number of seconds greater than 0.",
                id="jwtauth.E010",
            )
        )
    if url is None:
        return errors
    try:
        check_url(url)
    except ImproperlyConfigured as exc:
        return [
            *errors,
            Error(
                str(exc),
                hint="Use https://issuer.example/.well-known/jwks.json.",
                id="jwtauth.E010",
            ),
        ]
    parts = urlsplit(url)
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        errors.append(
            Warning(
                "JWTAUTH JWKS_URL fetches keys over plain http: anyone on the path can swap them.",
                hint="Use an https:// URL.",
                id="jwtauth.W003",
            )
        )
    return errors


@register()
def check_keys(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    access = _secrets(jwtauth_settings.ACCESS_KEYS)
    refresh = _secrets(jwtauth_settings.REFRESH_KEYS)
    # Only HS256 entries have a 'key' (others are reported by E005).
    if any(len(secret) < MIN_HMAC_KEY_BYTES for secret in access + refresh):
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


@register()
def check_ratelimit_helpers(**kwargs: Any) -> list[CheckMessage]:
    if _helpers_work():
        return []
    return [
        Error(
            "The installed django-ratelimit lacks the helpers jwtauth counts with "
            f"({', '.join(ratelimits.HELPERS)} in django_ratelimit.core).",
            hint="Install a django-ratelimit version in the range jwtauth's package requires.",
            id="jwtauth.E011",
        )
    ]


@register()
def check_ratelimits(**kwargs: Any) -> list[CheckMessage]:
    if not ratelimits.enabled():
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


@register()
def check_revocation_source(**kwargs: Any) -> list[CheckMessage]:
    """A verify-only service sees revocations only through the issuer's feed."""
    feed = jwtauth_settings.REVOCATION_FEED_URL
    if feed and not jwtauth_settings.REVOCATION_FEED_SECRET:
        return [
            Error(
                "JWTAUTH REVOCATION_FEED_URL is set without REVOCATION_FEED_SECRET.",
                hint="Set REVOCATION_FEED_SECRET to the secret the issuer's feed expects.",
                id="jwtauth.E013",
            )
        ]
    if feed or not (jwtauth_settings.VERIFY_ONLY or jwtauth_settings.JWKS_URL):
        return []
    return [
        Warning(
            "This service only verifies access tokens and has no REVOCATION_FEED_URL: a "
            "logged-out or revoked session's access tokens keep working here until they expire.",
            hint="Point JWTAUTH['REVOCATION_FEED_URL'] at the issuer's /api/auth/revocations/ "
            "and set REVOCATION_FEED_SECRET on both sides.",
            id="jwtauth.W004",
        )
    ]


def _origin_ok(origin: object) -> bool:
    if not isinstance(origin, str):
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path in ("", "/")


@register()
def check_reset_link(**kwargs: Any) -> list[CheckMessage]:
    """Reset links take their origin from a setting: never from the request's Host."""
    url, origin = jwtauth_settings.PASSWORD_RESET_URL, jwtauth_settings.PASSWORD_RESET_ORIGIN
    if verify_only() or (isinstance(url, str) and urlsplit(url).netloc) or _origin_ok(origin):
        return []
    return [
        Warning(
            f"JWTAUTH['PASSWORD_RESET_ORIGIN'] is {origin!r}: relative password reset links "
            "have no origin, so no reset mail can be sent.",
            hint="Set it to the site's origin, e.g. 'https://example.com', or make "
            "PASSWORD_RESET_URL absolute.",
            id="jwtauth.W005",
        )
    ]

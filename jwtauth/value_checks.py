"""System checks of setting values that would otherwise break requests (500s at login)."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.checks import CheckMessage, Tags, register

from jwtauth.check_messages import TAG, Checks
from jwtauth.settings import jwtauth_settings

# Durations that must be longer than zero, and those that may be zero.
_POSITIVE_DURATIONS = (
    "ACCESS_TOKEN_LIFETIME",
    "REFRESH_TOKEN_LIFETIME",
    "SESSION_LIFETIME",
    "SESSION_IDLE_TIMEOUT",
    "REVOCATION_FEED_TIMEOUT",
)
_DURATIONS = ("LEEWAY", "CLEANUP_RETENTION", "REVOCATION_MAX_STALENESS")
# RFC 6265 cookie-name token characters.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_SAMESITE = ("Strict", "Lax", "None", None, False)
_TRANSPORTS = frozenset({"cookie", "body"})


def is_duration(value: object, *, positive: bool) -> bool:
    """A valid duration setting: the settings object hands numbers out as timedeltas."""
    if not isinstance(value, timedelta):
        return False
    return value > timedelta(0) if positive else value >= timedelta(0)


def _count(value: object, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _reset_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.format(uid="uid", token="token")  # noqa: S106 - a placeholder
    except (KeyError, IndexError, ValueError, AttributeError):
        return False
    return "{uid}" in value and "{token}" in value


def _transports(value: object) -> bool:
    return (
        isinstance(value, list | tuple | set | frozenset)
        and bool(value)
        and all(isinstance(item, str) and item in _TRANSPORTS for item in value)
    )


_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    **{
        name: (lambda v: is_duration(v, positive=True), "a timedelta or seconds > 0")
        for name in _POSITIVE_DURATIONS
    },
    **{
        name: (lambda v: is_duration(v, positive=False), "a timedelta or seconds >= 0")
        for name in _DURATIONS
    },
    "ISSUER": (_text, "a non-empty string"),
    "AUDIENCE": (_text, "a non-empty string"),
    "COOKIE_NAME": (
        lambda v: isinstance(v, str) and _COOKIE_NAME.fullmatch(v) is not None,
        "a cookie name (letters, digits and !#$%&'*+-.^_`|~)",
    ),
    "COOKIE_PATH": (lambda v: isinstance(v, str) and v.startswith("/"), "a path from '/'"),
    "COOKIE_DOMAIN": (lambda v: v is None or _text(v), "None or a domain"),
    "COOKIE_SAMESITE": (lambda v: any(v is s or v == s for s in _SAMESITE), "Strict, Lax or None"),
    "COOKIE_SECURE": (lambda v: v is None or isinstance(v, bool), "None, True or False"),
    "TRANSPORTS": (_transports, 'a non-empty list of "cookie" and/or "body"'),
    "TRUSTED_PROXY_COUNT": (lambda v: _count(v, minimum=0), "an integer >= 0"),
    "MAX_TOKEN_BYTES": (lambda v: _count(v, minimum=1), "an integer > 0"),
    "VERIFIED_TOKEN_CACHE_SIZE": (lambda v: _count(v, minimum=0), "an integer >= 0"),
    "MAX_SESSIONS_PER_USER": (lambda v: v is None or _count(v, minimum=1), "None or > 0"),
    "REUSE_GRACE_SECONDS": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
        "a number of seconds >= 0",
    ),
    "PASSWORD_RESET_URL": (_reset_url, "a string with {uid} and {token} (and no other field)"),
}


@register(Tags.security, TAG)
def check_setting_values(**kwargs: Any) -> list[CheckMessage]:
    """Each setting has a value of the documented type and range."""
    bad = [
        f"{name} ({expected})"
        for name, (valid, expected) in _RULES.items()
        if not valid(getattr(jwtauth_settings, name))
    ]
    try:
        roles = jwtauth_settings.ROLES_CALLABLE
    except ImportError:
        roles = None
    if not callable(roles):
        bad.append("ROLES_CALLABLE (a dotted path to a callable)")
    return [Checks.SETTING_VALUES(problems="; ".join(bad))] if bad else []

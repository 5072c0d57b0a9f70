"""System checks of how jwtauth sits in the site: cache client, deploy cookie, reset page."""

from typing import Any
from urllib.parse import urlsplit

import django
import rest_framework
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import import_string

from jwtauth.settings import jwtauth_settings

_RESET_VIEWS = ("jwtauth:password-reset", "jwtauth_accounts:password-reset")
# The lowest Django REST framework release that supports each Django major version.
_LOWEST_DRF = {4: (3, 14), 5: (3, 15)}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@register()
def check_drf_version(**kwargs: Any) -> list[CheckMessage]:
    lowest = _LOWEST_DRF.get(django.VERSION[0])
    if lowest is None or _version(rest_framework.VERSION) >= lowest:
        return []
    return [
        Error(
            f"Django REST framework {rest_framework.VERSION} does not support Django "
            f"{django.get_version()}.",
            hint=f"pip install 'djangorestframework>={'.'.join(map(str, lowest))}'",
            id="jwtauth.E021",
        )
    ]


def _redis_client_missing() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return True
    return False


@register(Tags.caches)
def check_redis_client(**kwargs: Any) -> list[CheckMessage]:
    """Django's RedisCache imports redis-py only on first use: the first login would be a 500."""
    aliases = [
        alias
        for alias, config in getattr(settings, "CACHES", {}).items()
        if _is_redis_cache(config.get("BACKEND", ""))
    ]
    if not aliases or not _redis_client_missing():
        return []
    return [
        Error(
            f"CACHES {', '.join(map(repr, aliases))} use Django's RedisCache, but the redis "
            "client (redis-py) is not installed: the first request that touches the cache, "
            "such as a login, fails with a 500.",
            hint="pip install 'django-jwtauth[redis]' (or redis).",
            id="jwtauth.E020",
        )
    ]


def _is_redis_cache(backend: str) -> bool:
    try:
        backend_class = import_string(backend)
    except ImportError:
        return False  # Django's own cache checks report a backend that does not import.
    return isinstance(backend_class, type) and issubclass(backend_class, RedisCache)


@register(Tags.security, deploy=True)
def check_cookie_secure(**kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or jwtauth_settings.COOKIE_SECURE is not False:
        return []
    return [
        Warning(
            "JWTAUTH COOKIE_SECURE is False with DEBUG off: browsers send the refresh-token "
            "cookie over plain http, where anyone on the path can take the session.",
            hint="Remove COOKIE_SECURE (None: Secure unless DEBUG) or set it to True, and "
            "serve the site over https.",
            id="jwtauth.W020",
        )
    ]


def _reset_endpoint_mounted() -> bool:
    for name in _RESET_VIEWS:
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        return True
    return False


@register(Tags.urls)
def check_reset_page(**kwargs: Any) -> list[CheckMessage]:
    """A mounted password-reset endpoint mails a link; it must lead to a page of the site."""
    template = jwtauth_settings.PASSWORD_RESET_URL
    if not isinstance(template, str) or not template.startswith("/"):
        return []  # another origin (a single-page app): nothing to resolve here
    if not _reset_endpoint_mounted():
        return []
    path = urlsplit(template.replace("{uid}", "uid").replace("{token}", "token")).path
    try:
        resolve(path)
    except Resolver404:
        return [
            Warning(
                f"Password reset mails link to {path!r} (JWTAUTH PASSWORD_RESET_URL), which "
                "this site does not serve: users who follow the link get a 404.",
                hint="Set PASSWORD_RESET_URL to the page that completes a reset (it posts uid, "
                "token and new_password to password/reset/confirm/), or mount "
                "jwtauth.session_urls without the account endpoints.",
                id="jwtauth.W021",
            )
        ]
    return []

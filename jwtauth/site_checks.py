"""System checks of how jwtauth sits in the site: cache client, deploy cookie, reset page."""

from typing import Any
from urllib.parse import urlsplit

import django
import rest_framework
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.checks import CheckMessage, Tags, register
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import import_string

from jwtauth.check_messages import TAG, Checks
from jwtauth.settings import jwtauth_settings

_RESET_VIEWS = ("jwtauth:password-reset", "jwtauth_accounts:password-reset")
# The lowest Django REST framework release that supports each Django major version.
_LOWEST_DRF = {4: (3, 14), 5: (3, 15)}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@register(Tags.compatibility, TAG)
def check_drf_version(**kwargs: Any) -> list[CheckMessage]:
    lowest = _LOWEST_DRF.get(django.VERSION[0])
    if lowest is None or _version(rest_framework.VERSION) >= lowest:
        return []
    return [
        Checks.DRF_TOO_OLD(
            drf=rest_framework.VERSION,
            django=django.get_version(),
            lowest=".".join(map(str, lowest)),
        )
    ]


def _redis_client_missing() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return True
    return False


@register(Tags.caches, TAG)
def check_redis_client(**kwargs: Any) -> list[CheckMessage]:
    """Django's RedisCache imports redis-py only on first use: the first login would be a 500."""
    aliases = [
        alias
        for alias, config in getattr(settings, "CACHES", {}).items()
        if _is_redis_cache(config.get("BACKEND", ""))
    ]
    if not aliases or not _redis_client_missing():
        return []
    return [Checks.REDIS_CLIENT_MISSING(aliases=", ".join(map(repr, aliases)))]


def _is_redis_cache(backend: str) -> bool:
    try:
        backend_class = import_string(backend)
    except ImportError:
        return False  # Django's own cache checks report a backend that does not import.
    return isinstance(backend_class, type) and issubclass(backend_class, RedisCache)


@register(Tags.security, TAG, deploy=True)
def check_cookie_secure(**kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or jwtauth_settings.COOKIE_SECURE is not False:
        return []
    return [Checks.INSECURE_COOKIE()]


def _reset_endpoint_mounted() -> bool:
    for name in _RESET_VIEWS:
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        return True
    return False


@register(Tags.urls, TAG)
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
        return [Checks.RESET_PAGE_MISSING(path=path)]
    return []

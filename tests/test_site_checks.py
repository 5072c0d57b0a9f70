"""Checks of how jwtauth sits in a site: redis client (E020), deploy cookie (W020), reset page
(W021)."""

import sys
from typing import Any

import pytest
from django.core.checks import run_checks

from jwtauth.site_checks import check_drf_version, check_redis_client

REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x:1/0"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def _ids(**kwargs: Any) -> list[str]:
    return [
        m.id
        for m in run_checks(**kwargs)
        if m.id in {"jwtauth.E020", "jwtauth.W020", "jwtauth.W021"}
    ]


def test_redis_cache_without_the_redis_client_is_an_error(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = {"default": REDIS}
    # The check function itself: Django's own cache checks would build the Redis client.
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "redis", None)  # as if redis-py were not installed
        (message,) = check_redis_client()
    settings.CACHES = {"default": LOCMEM}  # nothing for the cache-clearing fixture to reach
    assert message.id == "jwtauth.E020"
    assert message.is_serious() and "'default'" in message.msg
    assert "django-jwtauth[redis]" in message.hint


def test_redis_cache_with_the_client_or_no_redis_cache_is_quiet(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = {"default": REDIS}
    assert check_redis_client() == []
    settings.CACHES = {"default": LOCMEM}
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "redis", None)
        assert check_redis_client() == []


def test_deploy_check_warns_on_an_insecure_cookie_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    settings.JWTAUTH = {"COOKIE_SECURE": False}
    assert _ids(include_deployment_checks=True) == ["jwtauth.W020"]
    assert _ids() == []  # a deploy check: only with --deploy


@pytest.mark.parametrize(("debug", "secure"), [(True, False), (False, None), (False, True)])
def test_deploy_check_is_quiet_otherwise(settings: Any, debug: bool, secure: Any) -> None:
    settings.DEBUG = debug
    settings.JWTAUTH = {"COOKIE_SECURE": secure}
    assert _ids(include_deployment_checks=True) == []


def test_reset_link_to_a_page_the_site_lacks_is_a_warning(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.urlconfs.session_and_accounts"
    (message,) = [m for m in run_checks(tags=["urls"]) if m.id == "jwtauth.W021"]
    assert "'/reset/'" in message.msg


@pytest.mark.parametrize(
    ("urlconf", "reset_url"),
    [
        ("authproject.urls", "/reset/?uid={uid}&token={token}"),  # the sample site has /reset/
        ("tests.urlconfs.session_only", "/reset/?uid={uid}&token={token}"),  # nothing mails
        ("tests.urlconfs.session_and_accounts", "https://app.example/#/reset/{uid}/{token}"),
    ],
)
def test_reset_link_check_is_quiet_otherwise(settings: Any, urlconf: str, reset_url: str) -> None:
    settings.ROOT_URLCONF = urlconf
    settings.JWTAUTH = {"PASSWORD_RESET_URL": reset_url}
    assert _ids(tags=["urls"]) == []


@pytest.mark.parametrize(
    ("django_version", "drf", "ok"),
    [((4, 2, 0), "3.14.0", True), ((5, 2, 0), "3.14.0", False), ((5, 2, 0), "3.15.2", True)],
)
def test_drf_too_old_for_django_is_an_error(
    monkeypatch: pytest.MonkeyPatch, django_version: tuple[int, ...], drf: str, ok: bool
) -> None:
    monkeypatch.setattr("django.VERSION", (*django_version, "final", 0))
    monkeypatch.setattr("rest_framework.VERSION", drf)
    messages = check_drf_version()
    assert [m.id for m in messages] == ([] if ok else ["jwtauth.E021"])

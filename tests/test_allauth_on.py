"""The sample site with and without django-allauth (the DEMO_ALLAUTH setting)."""

import importlib
import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.helpers.servers import ROOT


def test_allauth_is_off_by_default() -> None:
    assert settings.DEMO_ALLAUTH is False
    assert not [app for app in settings.INSTALLED_APPS if app.startswith(("allauth", "jwtauth."))]
    assert not [m for m in settings.MIDDLEWARE if m.startswith("allauth")]
    assert not hasattr(settings, "HEADLESS_TOKEN_STRATEGY")


@pytest.mark.django_db
def test_the_default_site_serves_no_allauth_endpoint() -> None:
    assert Client().get("/_allauth/app/v1/config").status_code == 404


def test_the_integration_needs_allauth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "allauth.headless", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "jwtauth.contrib.allauth", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'django-jwtauth\[allauth\]'"):
        importlib.import_module("jwtauth.contrib.allauth")


def _own(url: str, suffix: str) -> str:
    """The same server, a database of its own: the two runs must not share test databases."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def test_the_allauth_suite_passes_with_allauth_on() -> None:
    """tests/allauth/ need another settings state than this process has, so they run in a
    process with DEMO_ALLAUTH=1, on the same kind of database and cache as this run."""
    env = {**os.environ, "DEMO_ALLAUTH": "1"}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = _own(os.environ["DATABASE_URL"], "_allauth")
    env["CACHE_KEY_PREFIX"] = env.get("CACHE_KEY_PREFIX", "authproject") + "-allauth"
    command = [sys.executable, "-m", "pytest", "tests/allauth", "-p", "no:cacheprovider"]
    run = subprocess.run(  # noqa: S603 - our own interpreter and test directory
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and " skipped" not in run.stdout, run.stdout[-2000:]

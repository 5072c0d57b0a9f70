"""The exception handler lives in the lowest layer: setting it imports no view, service or model."""

import subprocess
import sys
import textwrap
from pathlib import Path

from jwtauth import exceptions, views

ROOT = Path(__file__).resolve().parent.parent


def test_the_handler_imports_no_view_service_or_model() -> None:
    script = textwrap.dedent(
        """
        import sys

        import django
        from django.conf import settings

        settings.configure(
            SECRET_KEY="x" * 50,
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                            "rest_framework"],
            DATABASES={},
            REST_FRAMEWORK={"EXCEPTION_HANDLER": "jwtauth.exceptions.exception_handler"},
        )
        django.setup()
        from rest_framework import exceptions
        from rest_framework.settings import api_settings

        from jwtauth.exceptions import TokenExpired

        handler = api_settings.EXCEPTION_HANDLER
        errors = [exceptions.NotAuthenticated(), exceptions.Throttled(3), TokenExpired()]
        answers = [(r.status_code, r.data["code"]) for r in (handler(e, {}) for e in errors)]
        assert answers == [
            (401, "not_authenticated"), (429, "rate_limited"), (401, "token_expired")
        ], answers
        upper = ["jwtauth.views", "jwtauth.accounts", "jwtauth.families", "jwtauth.models"]
        loaded = [name for name in upper if name in sys.modules]
        assert not loaded, loaded
        print("ok")
        """
    )
    result = subprocess.run(  # noqa: S603  our own interpreter and script
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_documented_older_path_is_the_same_handler() -> None:
    assert views.exception_handler is exceptions.exception_handler

"""The browser tests skip, saying why, where no Chromium is found, and fail if CI requires one."""

import os
import subprocess
import sys

from tests.helpers.servers import ROOT

# One browser test, run in a child pytest: its outcome is what this test checks.
TARGET = "tests/e2e/test_browser.py"


def _run(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium", **env_extra}
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603  our own interpreter and test file
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-x", TARGET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_missing_browser_skips_with_the_reason() -> None:
    result = _run({"JWTAUTH_REQUIRE_BROWSER": ""})
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Chromium not found at /nonexistent/chromium" in result.stdout
    assert "CHROMIUM_PATH" in result.stdout
    assert " skipped" in result.stdout and " passed" not in result.stdout


def test_missing_browser_fails_when_required() -> None:
    result = _run({"JWTAUTH_REQUIRE_BROWSER": "1"})
    assert result.returncode == 1
    assert "Chromium not found at /nonexistent/chromium" in result.stdout

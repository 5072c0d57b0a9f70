"""The README's first hour: its install snippet and its curl walkthrough, run as written."""

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.servers import ROOT

README = (ROOT / "README.md").read_text()


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_install_snippet_brings_what_it_uses() -> None:
    install = _section("Add jwtauth to an existing site")
    assert "pip install 'django-jwtauth[redis]'" in install  # the snippet configures RedisCache
    assert "rest_framework.authentication.SessionAuthentication" in install
    assert 'include("jwtauth.session_urls")' in install
    assert 'include("jwtauth.account_urls")' in install


def test_how_it_works_names_the_codes_the_api_answers() -> None:
    assert "refresh_token_reused" not in _section("How it works")
    assert "`token_reused`" in _section("How it works")


@pytest.mark.django_db(transaction=True)
def test_curl_walkthrough_shows_what_its_comments_say(
    live_server: Any, make_user: Any, tmp_path: Path
) -> None:
    make_user("demo", password="demo-password-2024")
    (script,) = re.findall(r"```sh\n(.*?)```", _section("Walkthrough with curl"), flags=re.S)
    script = script.replace("http://127.0.0.1:8000", live_server.url)
    script = script.replace("/tmp/", f"{tmp_path}/")  # noqa: S108  the README writes there
    result = subprocess.run(  # noqa: S603
        ["/bin/bash", "-eu", "-o", "pipefail", "-c", script],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = re.findall(r"^# (\{.*\}|\d{3})$", script, flags=re.M)
    assert len(expected) == 4
    position = 0
    for answer in expected:  # every commented answer, in order
        found = result.stdout.find(answer, position)
        assert found >= 0, (answer, result.stdout)
        position = found + len(answer)
    assert result.stdout.endswith(expected[-1])  # the last step shows the revocation

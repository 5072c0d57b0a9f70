"""The table of system checks: unique ids, the only source of every jwtauth check message,
the ids the docs name, and tags on every registered check."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error, Tags, Warning, run_checks
from django.core.checks.registry import registry

from jwtauth.check_messages import ALL, TAG, Check, Checks

ROOT = Path(__file__).resolve().parent.parent
TABLE = {check.id for check in ALL}
# A check id as code, docs and tests write it: "jwtauth.E007", or "E007" beside it in a table.
_ID = re.compile(r"\b(?:jwtauth\.)?([EW]\d{3})\b")
_DJANGO_TAGS = {value for name, value in vars(Tags).items() if not name.startswith("_")}


def _ids_in(*patterns: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            for code in _ID.findall(path.read_text()):
                found.setdefault(f"jwtauth.{code}", set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_id_is_unique_and_well_formed() -> None:
    ids = [check.id for check in ALL]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"jwtauth\.[EW]\d{3}", check_id) for check_id in ids)
    assert all(check.msg and check.hint for check in ALL)
    assert len(ALL) == len([value for value in vars(Checks).values() if isinstance(value, Check)])


def test_the_level_follows_the_id() -> None:
    assert type(Checks.UNKNOWN_SETTINGS(names="X")) is Error
    assert type(Checks.PLAIN_HTTP_JWKS()) is Warning
    message = Checks.RATELIMIT_CACHE_ALIAS(alias="nope")
    assert (message.id, message.msg) == (
        "jwtauth.E006",
        "JWTAUTH RATELIMIT_CACHE 'nope' is not a cache alias in CACHES.",
    )


def test_no_module_builds_a_check_message_of_its_own() -> None:
    for path in (ROOT / "jwtauth").rglob("*.py"):
        if path.name == "check_messages.py":
            continue
        text = path.read_text()
        assert not re.search(r"\b(Error|Warning|Critical)\(", text), path
        assert not re.search(r"[\"']jwtauth\.[EW]\d{3}", text), path


def test_every_id_named_in_code_docs_and_tests_is_in_the_table() -> None:
    named = _ids_in("jwtauth/**/*.py", "docs/*.md", "README.md", "tests/**/*.py")
    unknown = {check_id: files for check_id, files in named.items() if check_id not in TABLE}
    assert unknown == {}


def test_every_id_is_in_the_production_docs_table() -> None:
    text = (ROOT / "docs" / "production.md").read_text()
    listed = set(re.findall(r"^\| `(jwtauth\.[EW]\d{3})` \|", text, flags=re.MULTILINE))
    assert listed == TABLE


def test_every_registered_jwtauth_check_is_tagged() -> None:
    checks = [*registry.registered_checks, *registry.deployment_checks]
    ours = [check for check in checks if check.__module__.startswith("jwtauth.")]
    assert len(ours) >= 13
    for check in ours:
        assert TAG in check.tags, check.__name__
        assert set(check.tags) & _DJANGO_TAGS, check.__name__


def test_the_jwtauth_tag_runs_only_jwtauth_checks(settings: Any) -> None:
    settings.JWTAUTH = {"ACCES_TOKEN_LIFETIME": 60}
    messages = run_checks(tags=[TAG], include_deployment_checks=True)
    assert "jwtauth.E001" in {message.id for message in messages}
    assert all(message.id.startswith("jwtauth.") for message in messages)


@pytest.mark.parametrize(
    "config",
    [
        {"ACCES_TOKEN_LIFETIME": 60, "ACCESS_KEYS": [{"kid": "a", "key": "short"}]},
        {"ACCESS_KEYS": [{"kid": "a", "key": "a" * 32}], "REFRESH_KEYS": [{"key": "a" * 32}]},
        {"ALGORITHM": "RS256", "ACCESS_KEYS": [{"kid": "a", "private_key": "nope"}]},
        {"ALGORITHM": "ES256", "REFRESH_KEYS": []},
        {"JWKS_URL": "ftp://x/", "JWKS_LIFETIME": 0, "LOGIN_RATE": "many"},
        {"JWKS_URL": "http://issuer.example/jwks.json", "REVOCATION_FEED_URL": "https://x/"},
        {"VERIFY_ONLY": True, "RATELIMIT_CACHE": "nope", "COOKIE_SECURE": False},
        {"PASSWORD_RESET_URL": "/nowhere/{uid}/{token}/", "LEEWAY": -1},
    ],
)
def test_every_id_emitted_is_in_the_table(settings: Any, config: dict[str, Any]) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.JWTAUTH = {"JWKS_TIMEOUT": timedelta(seconds=1), **config}
    messages = run_checks(include_deployment_checks=True)
    emitted = {message.id for message in messages if message.id.startswith("jwtauth.")}
    assert emitted and emitted <= TABLE

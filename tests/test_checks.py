"""System checks jwtauth.E001-E004: each fires on its bad config and is quiet on a good one."""

from typing import Any

import pytest
from django.core.checks import Error, run_checks

from jwtauth.checks import check_key_config, check_keys, check_settings

GOOD_ACCESS = [{"kid": "a1", "key": "a" * 32}]
GOOD_REFRESH = [{"kid": "r1", "key": "r" * 32}]


def _jwtauth_ids() -> set[str]:
    # Errors only: the cache warning (W002) depends on DEBUG and CACHES, tested apart.
    return {m.id for m in run_checks() if m.id.startswith("jwtauth.") and m.is_serious()}


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"ACCESS_KEYS": GOOD_ACCESS, "REFRESH_KEYS": GOOD_REFRESH},
        {"ACCESS_KEYS": [{"key": b"b" * 32}]},
    ],
)
def test_good_config_is_quiet(settings: Any, config: dict[str, Any]) -> None:
    settings.JWTAUTH = config
    assert check_settings() == []
    assert check_key_config() == []
    assert check_keys() == []
    assert _jwtauth_ids() == set()


def test_e001_unknown_setting(settings: Any) -> None:
    settings.JWTAUTH = {"ACCES_TOKEN_LIFETIME": 60, "ISSUER": "x"}
    errors = check_settings()
    assert [e.id for e in errors] == ["jwtauth.E001"]
    assert isinstance(errors[0], Error)
    assert "ACCES_TOKEN_LIFETIME" in errors[0].msg
    assert "ISSUER" not in errors[0].msg
    assert errors[0].hint
    assert "jwtauth.E001" in _jwtauth_ids()


@pytest.mark.parametrize(
    "config",
    [
        {"ACCESS_KEYS": [{"key": "a" * 31}], "REFRESH_KEYS": GOOD_REFRESH},
        {"ACCESS_KEYS": GOOD_ACCESS, "REFRESH_KEYS": [{"key": b"r" * 16}]},
        {"ACCESS_KEYS": [*GOOD_ACCESS, {"kid": "old", "key": "short"}]},
    ],
)
def test_e002_short_hs_key(settings: Any, config: dict[str, Any]) -> None:
    settings.JWTAUTH = config
    assert [e.id for e in check_keys()] == ["jwtauth.E002"]
    assert "jwtauth.E002" in _jwtauth_ids()


def test_e003_equal_access_and_refresh_keys(settings: Any) -> None:
    settings.JWTAUTH = {"ACCESS_KEYS": GOOD_ACCESS, "REFRESH_KEYS": [{"key": "a" * 32}]}
    assert [e.id for e in check_keys()] == ["jwtauth.E003"]
    assert "jwtauth.E003" in _jwtauth_ids()


def test_e003_catches_a_shared_older_key(settings: Any) -> None:
    settings.JWTAUTH = {
        "ACCESS_KEYS": GOOD_ACCESS,
        "REFRESH_KEYS": [*GOOD_REFRESH, {"kid": "x", "key": "a" * 32}],
    }
    assert [e.id for e in check_keys()] == ["jwtauth.E003"]


@pytest.mark.parametrize(
    ("config", "check_id"),
    [
        # Access keys are reported per entry by the more specific jwtauth.E007.
        ({"ACCESS_KEYS": [{"kid": "no-key"}]}, "jwtauth.E007"),
        ({"ACCESS_KEYS": ["just-a-string-not-a-dict-000000000"]}, "jwtauth.E007"),
        ({"REFRESH_KEYS": []}, "jwtauth.E004"),
        ({"ALGORITHM": "none"}, "jwtauth.E007"),
        ({"ACCESS_KEYS": 42}, "jwtauth.E007"),
    ],
)
def test_e004_bad_key_config(settings: Any, config: dict[str, Any], check_id: str) -> None:
    settings.JWTAUTH = config
    errors = check_key_config()
    assert [e.id for e in errors] == [check_id]
    assert errors[0].hint
    assert check_id in _jwtauth_ids()

"""The jwtauth_cleanup command and cleanup.run: stale rows go, live ones stay."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import jwt
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from jwtauth import cleanup
from jwtauth.models import RefreshToken, TokenFamily

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def sid(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["access"], options={"verify_signature": False})["sid"]


def refresh(api: APIClient, tokens: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/auth/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200
    return response.json()


def logout(api: APIClient, tokens: dict[str, Any]) -> None:
    api.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")


@pytest.fixture
def history(api: APIClient, user: Any, login: Any, time_machine: Any) -> dict[str, str]:
    """Sessions of every kind, seen on day 20; retention 7 days puts the cutoff on day 13."""
    time_machine.move_to(T0, tick=False)
    revoked_long_ago = login(user)
    logout(api, revoked_long_ago)  # 1 token, revoked day 0
    expired = refresh(api, refresh(api, login(user)))  # 3 tokens, expired day 7, idle since day 0
    time_machine.move_to(T0 + timedelta(days=20), tick=False)
    live = refresh(api, login(user))  # 2 tokens, one spent, both valid to day 27
    revoked_recently = login(user)
    logout(api, revoked_recently)  # 1 token, revoked day 20
    return {
        "revoked_long_ago": sid(revoked_long_ago),
        "expired": sid(expired),
        "live": sid(live),
        "revoked_recently": sid(revoked_recently),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("jwtauth_cleanup", *args, stdout=out)
    return out.getvalue()


def test_deletes_stale_rows_and_keeps_the_rest(history: dict[str, str]) -> None:
    output = run()

    assert "Deleted 4 refresh tokens and 2 sessions" in output
    assert {str(pk) for pk in TokenFamily.objects.values_list("pk", flat=True)} == {
        history["live"],
        history["revoked_recently"],
    }
    assert RefreshToken.objects.filter(family_id=history["live"]).count() == 2
    assert RefreshToken.objects.filter(family_id=history["revoked_recently"]).count() == 1


def test_small_batches_give_the_same_result_and_a_progress_line_each(
    history: dict[str, str],
) -> None:
    output = run("--batch-size", "1")

    assert "Deleted 4 refresh tokens and 2 sessions" in output
    # One window per token row (7 rows), one page per stale session (2).
    assert output.count("tokens: ") == 7
    assert "tokens: 4 deleted so far" in output
    assert output.count("sessions: ") == 2
    assert TokenFamily.objects.count() == 2
    assert RefreshToken.objects.count() == 3


def test_retention_days_option(history: dict[str, str], time_machine: Any) -> None:
    assert "Deleted 0 refresh tokens and 0 sessions" in run("--retention-days", "30")
    assert TokenFamily.objects.count() == 4

    time_machine.shift(timedelta(seconds=1))
    output = run("--retention-days", "0")

    # Everything that ended before now goes, the session revoked a second ago too.
    assert "Deleted 5 refresh tokens and 3 sessions" in output
    assert [str(pk) for pk in TokenFamily.objects.values_list("pk", flat=True)] == [history["live"]]


def test_retention_setting(history: dict[str, str], settings: Any) -> None:
    settings.JWTAUTH = {"CLEANUP_RETENTION": timedelta(days=30)}

    assert "Deleted 0 refresh tokens and 0 sessions" in run()


def test_quiet_run_prints_only_the_summary(history: dict[str, str]) -> None:
    out = StringIO()
    call_command("jwtauth_cleanup", "--batch-size", "1", verbosity=0, stdout=out)

    assert out.getvalue().splitlines() == [out.getvalue().strip()]


def test_an_idle_session_waits_until_its_tokens_are_gone(
    api: APIClient, user: Any, login: Any, time_machine: Any, settings: Any
) -> None:
    settings.JWTAUTH = {
        "SESSION_IDLE_TIMEOUT": timedelta(days=1),
        "REFRESH_TOKEN_LIFETIME": timedelta(days=30),
    }
    time_machine.move_to(T0, tick=False)
    login(user)
    time_machine.move_to(T0 + timedelta(days=10), tick=False)

    result = cleanup.run(older_than=T0 + timedelta(days=3))

    assert result == cleanup.CleanupResult(tokens=0, sessions=0)
    assert TokenFamily.objects.count() == 1


def test_empty_tables(db: None) -> None:
    assert cleanup.run(older_than=T0) == cleanup.CleanupResult(tokens=0, sessions=0)


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--batch-size", "0"), "at least 1"), (("--retention-days", "-1"), "negative")],
)
def test_bad_options(db: None, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)

"""Account lockout under concurrent wrong passwords: never more password checks than the limit.

20 logins of one account start at the same moment from 20 addresses (so the per-IP limit is not
what stops them), on PostgreSQL with the configured cache (Redis in CI), with the real bcrypt
hasher so each check takes as long as in production.
"""

from collections import Counter
from functools import partial
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.helpers.hashers import COUNTING_BCRYPT, CountingBCrypt
from tests.helpers.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 20
LIMIT = 5


def _race(user: Any, password: str) -> Counter[tuple[int, str]]:
    def attempt(number: int) -> tuple[int, str]:
        response = APIClient(REMOTE_ADDR=f"198.51.100.{number + 1}").post(
            "/api/auth/login/",
            {"username": user.username, "password": password, "transport": "body"},
            format="json",
        )
        return response.status_code, response.json().get("code", "")

    return Counter(run_together([partial(attempt, n) for n in range(ATTEMPTS)]))


@pytest.fixture
def counted(settings: Any) -> type[CountingBCrypt]:
    settings.PASSWORD_HASHERS = [COUNTING_BCRYPT]
    settings.JWTAUTH = {"LOGIN_FAILURE_RATE": f"{LIMIT}/15m"}
    CountingBCrypt.checks = 0
    return CountingBCrypt


def test_concurrent_wrong_passwords_check_at_most_the_limit(
    make_user: Any, counted: type[CountingBCrypt]
) -> None:
    user = make_user()
    counted.checks = 0

    answers = _race(user, "wrong password")

    assert counted.checks == LIMIT
    assert answers == {
        (401, "invalid_credentials"): LIMIT,
        (429, "account_locked"): ATTEMPTS - LIMIT,
    }

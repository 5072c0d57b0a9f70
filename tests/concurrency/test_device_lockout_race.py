"""A device token's own limit under concurrent wrong passwords: never more checks than the limit.

20 logins presenting one device token start at the same moment from 20 addresses, on
PostgreSQL with the configured cache (Redis in CI), with bcrypt so each check takes its real time.
Meanwhile the account's lockout count is untouched: the owner's other devices are not locked.
"""

from collections import Counter
from functools import partial
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.helpers.accounts import PASSWORD
from tests.helpers.hashers import COUNTING_BCRYPT, CountingBCrypt
from tests.helpers.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 20
LIMIT = 5


def _race(username: str, device: str) -> Counter[tuple[int, str]]:
    def attempt(number: int) -> tuple[int, str]:
        response = APIClient(REMOTE_ADDR=f"198.51.100.{number + 1}").post(
            "/api/auth/login/",
            {
                "username": username,
                "password": "wrong password",
                "transport": "body",
                "device_token": device,
            },
            format="json",
        )
        return response.status_code, response.json().get("code", "")

    return Counter(run_together([partial(attempt, n) for n in range(ATTEMPTS)]))


def test_concurrent_wrong_passwords_on_one_device_check_at_most_its_limit(
    make_user: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = [COUNTING_BCRYPT]
    settings.JWTAUTH = {"DEVICE_FAILURE_RATE": f"{LIMIT}/15m", "LOGIN_FAILURE_RATE": "3/15m"}
    user = make_user()
    device = APIClient(REMOTE_ADDR="192.0.2.1").post(
        "/api/auth/login/",
        {"username": user.username, "password": PASSWORD, "transport": "body"},
        format="json",
    )
    CountingBCrypt.checks = 0

    answers = _race(user.username, device.json()["device_token"])

    assert CountingBCrypt.checks == LIMIT
    assert answers == {
        (401, "invalid_credentials"): LIMIT,
        (429, "account_locked"): ATTEMPTS - LIMIT,
    }
    # The account's own count was not touched: a login without the device still works.
    fresh = APIClient(REMOTE_ADDR="192.0.2.2").post(
        "/api/auth/login/",
        {"username": user.username, "password": PASSWORD, "transport": "body"},
        format="json",
    )
    assert fresh.status_code == 200

"""MAX_SESSIONS_PER_USER holds under concurrent logins of one user (PostgreSQL, real threads)."""

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from jwtauth.models import RevokeReason, TokenFamily
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOGINS = 12
CAP = 3


def test_concurrent_logins_never_exceed_the_cap(make_user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"MAX_SESSIONS_PER_USER": CAP, "RATELIMIT_ENABLED": False}
    user = make_user()
    barrier = threading.Barrier(LOGINS)
    statuses: list[int] = []

    def log_in() -> None:
        try:
            barrier.wait(timeout=10)
            response = APIClient().post(
                "/api/auth/login/",
                {"username": user.username, "password": PASSWORD, "transport": "body"},
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=log_in) for _ in range(LOGINS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [200] * LOGINS
    sessions = TokenFamily.objects.filter(user=user)
    assert sessions.count() == LOGINS
    assert sessions.active().count() == CAP
    assert sessions.filter(revoke_reason=RevokeReason.LIMIT).count() == LOGINS - CAP
    # The survivors are the newest sessions.
    newest = set(sessions.order_by("-created_at").values_list("pk", flat=True)[:CAP])
    assert set(sessions.active().values_list("pk", flat=True)) == newest

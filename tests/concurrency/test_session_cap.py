"""MAX_SESSIONS_PER_USER holds under concurrent logins of one user (PostgreSQL, real threads)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from jwtauth.models import RevokeReason, TokenFamily
from tests.helpers.accounts import PASSWORD
from tests.helpers.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOGINS = 12
CAP = 3


def test_concurrent_logins_never_exceed_the_cap(make_user: Any, settings: Any) -> None:
    settings.JWTAUTH = {"MAX_SESSIONS_PER_USER": CAP, "RATELIMIT_ENABLED": False}
    user = make_user()

    def log_in() -> int:
        response = APIClient().post(
            "/api/auth/login/",
            {"username": user.username, "password": PASSWORD, "transport": "body"},
            format="json",
        )
        return response.status_code

    statuses = run_together([log_in] * LOGINS)

    assert statuses == [200] * LOGINS
    sessions = TokenFamily.objects.filter(user=user)
    assert sessions.count() == LOGINS
    assert sessions.active().count() == CAP
    assert sessions.filter(revoke_reason=RevokeReason.LIMIT).count() == LOGINS - CAP
    # The survivors are the newest sessions.
    newest = set(sessions.order_by("-created_at").values_list("pk", flat=True)[:CAP])
    assert set(sessions.active().values_list("pk", flat=True)) == newest

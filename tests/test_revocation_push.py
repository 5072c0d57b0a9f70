"""Wake-ups by PostgreSQL LISTEN/NOTIFY: a push is only a wake-up, a lost one costs freshness.

A revocation "from another process" is committed here without touching this process's
memory (jwtauth.revocation_store directly), as a revocation made by another server is.
"""

import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jwtauth import revocation, revocation_store
from tests.helpers.http import bearer
from tests.helpers.tokens import access_claims, sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 15.0  # seconds: generous for a loaded machine; the waits end as soon as the event comes


def other_process_revokes(sid: str) -> None:
    with transaction.atomic():
        revocation_store.append(revocation_store.session_rows([sid], timezone.now()))


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)  # polling a thread's state, not waiting for time to pass


def token(user: Any, sid: str) -> str:
    now = int(timezone.now().timestamp())
    return sign(access_claims(user, sid=sid, iat=now, exp=now + 900))


@pytest.fixture
def listening(api: Any, user: Any) -> Any:
    assert api.get("/api/profile/", **bearer(token(user, "warm-up"))).status_code == 200
    listener = revocation.listener()
    assert listener is not None and listener.kind == "postgres"
    assert listener.listening.wait(WAIT)
    return listener


def test_a_notify_wakes_the_process_without_waiting_for_the_poll(
    api: Any, user: Any, listening: Any
) -> None:
    revocation.wakeups().clear()

    other_process_revokes("s-1")

    assert revocation.wakeups().wait(WAIT)
    # The manual clock has not moved: only the push can have made this read due.
    assert api.get("/api/profile/", **bearer(token(user, "s-1"))).json()["code"] == "token_revoked"


def test_a_killed_listener_costs_freshness_never_a_revocation(
    api: Any, user: Any, listening: Any, revocation_clock: Any
) -> None:
    old_pid = listening.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])  # our own listener only
    other_process_revokes("s-1")  # its NOTIFY reaches no one

    revocation_clock.advance(0.25)  # the default REVOCATION_MAX_STALENESS
    response = api.get("/api/profile/", **bearer(token(user, "s-1")))
    assert response.json()["code"] == "token_revoked"

    # The listener comes back on a new connection, and pushes work again.
    wait_until(
        lambda: listening.listening.is_set() and listening.backend_pid != old_pid, "relisten"
    )
    revocation.wakeups().clear()
    other_process_revokes("s-2")
    assert revocation.wakeups().wait(WAIT)
    assert api.get("/api/profile/", **bearer(token(user, "s-2"))).json()["code"] == "token_revoked"


def test_the_listener_uses_its_own_connection_settings(api: Any, user: Any, settings: Any) -> None:
    # Behind PgBouncer the site's DATABASES point at the pooler; LISTEN needs PostgreSQL itself.
    params = connection.settings_dict
    dsn = (
        f"host={params['HOST'] or '127.0.0.1'} port={params['PORT'] or 5432} "
        f"dbname={params['NAME']} user={params['USER']} application_name=direct"
    )
    settings.JWTAUTH = {"REVOCATION_LISTEN_DSN": dsn}
    api.get("/api/profile/", **bearer(token(user, "warm-up")))
    listener = revocation.listener()
    assert listener.listening.wait(WAIT)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND query LIKE 'LISTEN%%'",
            [listener.backend_pid],
        )
        assert cursor.fetchone() == (1,)
    assert "application_name=jwtauth-revocation-listener" in listener.target


def test_polling_alone_meets_the_bound(
    api: Any, user: Any, settings: Any, revocation_clock: Any
) -> None:
    settings.JWTAUTH = {"REVOCATION_PUSH": None}
    api.get("/api/profile/", **bearer(token(user, "warm-up")))
    assert revocation.listener() is None
    other_process_revokes("s-1")

    assert api.get("/api/profile/", **bearer(token(user, "s-1"))).status_code == 200
    revocation_clock.advance(0.25)
    assert api.get("/api/profile/", **bearer(token(user, "s-1"))).json()["code"] == "token_revoked"

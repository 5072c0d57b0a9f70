"""Query budget of a refresh: two statements on PostgreSQL, whatever the table size, and the
spend, the successor, the session's last use and its lineage row stand or fall together."""

from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from jwtauth import families
from jwtauth.models import RefreshToken, SessionUse, TokenFamily

# Transactional, so atomic() opens a real transaction instead of a captured SAVEPOINT.
pytestmark = pytest.mark.django_db(transaction=True)


CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _refresh_queries(api: Any, refresh: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured.captured_queries]


def test_refresh_makes_two_queries_on_postgresql(api: Any, user: Any, login: Any) -> None:
    first = login(user)["refresh"]
    second = api.post("/api/auth/refresh/", {"refresh": first}, format="json").json()["refresh"]

    queries = _refresh_queries(api, second)

    if connection.vendor == "postgresql":
        # select token+session+user with the user's group names (the roles); one statement
        # that spends the token, inserts the successor and the lineage row and notes the
        # session's last use. No BEGIN/COMMIT round trips: that statement is its own
        # transaction.
        assert len(queries) == 2, queries
        assert "jwtauth_group_names" in queries[0], queries
        assert queries[1].startswith("WITH spent AS (UPDATE"), queries
    else:
        writes = [sql for sql in queries if not sql.startswith(CONTROL)]
        assert len(writes) <= 6, writes


def test_a_failed_lineage_write_leaves_the_token_unspent(
    user: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = login(user)["refresh"]
    session = TokenFamily.objects.get()
    monkeypatch.setattr(SessionUse._meta, "db_table", "jwtauth_no_such_table")

    with pytest.raises(DatabaseError):
        families.rotate(refresh_token=first, ip="192.0.2.8", user_agent="Lost/1")

    # Nothing of the refresh was kept: the token can still be spent, once.
    assert RefreshToken.objects.get().used_at is None
    assert TokenFamily.objects.get().last_used_at == session.last_used_at
    monkeypatch.undo()
    families.rotate(refresh_token=first, ip="192.0.2.8", user_agent="Kept/1")
    assert RefreshToken.objects.count() == 2
    uses = SessionUse.objects.filter(kind="refresh")
    assert [(u.ip, u.user_agent) for u in uses] == [("192.0.2.8", "Kept/1")]


def test_spent_token_stays_spent_after_the_single_statement_spend(
    api: Any, user: Any, login: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    first = login(user)["refresh"]
    assert api.post("/api/auth/refresh/", {"refresh": first}, format="json").status_code == 200
    again = api.post("/api/auth/refresh/", {"refresh": first}, format="json")
    assert (again.status_code, again.json()["code"]) == (401, "token_reused")

"""Query budget of a refresh: at most five statements on PostgreSQL, whatever the table size."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Transactional, so atomic() opens a real transaction instead of a captured SAVEPOINT.
pytestmark = pytest.mark.django_db(transaction=True)


def _refresh_queries(api: Any, refresh: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/auth/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 200, response.content
    # Transaction control (BEGIN/COMMIT/SAVEPOINT) is not a query against the token store.
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(control)]


def test_refresh_makes_at_most_five_queries_on_postgresql(api: Any, user: Any, login: Any) -> None:
    first = login(user)["refresh"]
    second = api.post("/api/auth/refresh/", {"refresh": first}, format="json").json()["refresh"]

    queries = _refresh_queries(api, second)

    # select token+session+user, spend token + touch session, insert successor, roles, and the
    # session's lineage row (security events: where each refresh came from)
    budget = 5 if connection.vendor == "postgresql" else 6
    assert len(queries) <= budget, queries


def test_spent_token_stays_spent_after_the_single_statement_spend(
    api: Any, user: Any, login: Any, settings: Any
) -> None:
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    first = login(user)["refresh"]
    assert api.post("/api/auth/refresh/", {"refresh": first}, format="json").status_code == 200
    again = api.post("/api/auth/refresh/", {"refresh": first}, format="json")
    assert (again.status_code, again.json()["code"]) == (401, "token_reused")

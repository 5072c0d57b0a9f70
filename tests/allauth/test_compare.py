"""The behaviour columns of docs/allauth.md's comparison, measured through allauth's API."""

import pytest

from tests.allauth.compare import CANDIDATES, measure

pytestmark = pytest.mark.django_db


def test_jwtauth_strategy_revokes_on_replay_and_logout() -> None:
    result = measure(CANDIDATES["jwtauth strategy"])
    assert result == {
        "replay_status": 400,
        "after_replay_successor_refreshes": False,
        "after_replay_access_accepted": False,
        "bearer_queries": 0,
        "after_logout_access_accepted": False,
    }


def test_allauth_jwt_strategy_keeps_the_session_after_a_replay() -> None:
    result = measure(CANDIDATES["allauth JWTTokenStrategy (default, stateless)"])
    assert result["replay_status"] == 400
    assert result["after_replay_successor_refreshes"] is True
    assert result["after_replay_access_accepted"] is True
    assert result["after_logout_access_accepted"] is True


def test_allauth_stateful_validation_pays_queries_for_logout() -> None:
    result = measure(CANDIDATES["allauth JWTTokenStrategy, stateful validation"])
    assert result["after_replay_successor_refreshes"] is True
    assert result["after_logout_access_accepted"] is False
    assert result["bearer_queries"] >= 2

"""POST /api/auth/refresh/: 60 refreshes per minute per client IP."""

from datetime import UTC, datetime
from typing import Any

URL = "/api/auth/refresh/"


def test_sixty_refreshes_per_minute_then_rate_limited(
    api: Any, user: Any, login: Any, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2031, 5, 4, 12, 0, 3, tzinfo=UTC), tick=False)
    pair = login(user)
    for _ in range(59):
        assert api.post(URL, {"refresh": "garbage"}, format="json").status_code == 401
    fresh = api.post(URL, {"refresh": pair["refresh"]}, format="json")
    assert fresh.status_code == 200
    refused = api.post(URL, {"refresh": fresh.json()["refresh"]}, format="json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    elsewhere = api.post(
        URL, {"refresh": fresh.json()["refresh"]}, format="json", REMOTE_ADDR="192.0.2.8"
    )
    assert elsewhere.status_code == 200
    time_machine.shift(wait)
    assert api.post(URL, {"refresh": elsewhere.json()["refresh"]}).status_code == 200


def test_refresh_rate_is_configurable(api: Any, user: Any, login: Any, settings: Any) -> None:
    settings.JWTAUTH = {"REFRESH_RATE": "1/m"}
    pair = login(user)
    assert api.post(URL, {"refresh": pair["refresh"]}, format="json").status_code == 200
    assert api.post(URL, {"refresh": "x"}, format="json").status_code == 429

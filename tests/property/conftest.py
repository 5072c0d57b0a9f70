"""Property tests send many requests from one client: rate limits would answer 429 to most."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}

"""The tests' fixed moment and the manual revocation clock."""

from datetime import UTC, datetime

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class ManualClock:
    """The revocation freshness clock; it moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

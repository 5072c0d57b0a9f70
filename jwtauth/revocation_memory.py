"""The live part of the revocation log, held in process memory: dict lookups, no I/O."""

from collections import deque
from dataclasses import dataclass

SESSION = "session"
USER = "user"


@dataclass(frozen=True, slots=True)
class Entry:
    """One log row as timestamps: what it refuses and until when that can matter."""

    id: int
    kind: str
    key: str
    not_before: float | None
    created: float
    expires: float


class LiveSet:
    """Revoked sessions and per-user "not before" times whose tokens may still be valid.

    Entries leave in the order they came (their ``expires`` is roughly increasing), so
    pruning costs only what it removes. ``horizon`` is the newest ``created`` of an entry
    that left: a token issued no later than that may belong to a revocation this set no
    longer holds, so it is refused unless it has expired (see ``is_revoked``).
    """

    def __init__(self) -> None:
        self.sessions: dict[str, float] = {}
        self.users: dict[str, tuple[float, float]] = {}
        self._order: deque[tuple[float, float, str, str]] = deque()
        self.horizon = float("-inf")

    def __len__(self) -> int:
        return len(self._order)

    def add(self, entry: Entry, now: float) -> None:
        if entry.expires <= now:
            self.horizon = max(self.horizon, entry.created)
            return
        if entry.kind == SESSION:
            self.sessions[entry.key] = max(
                self.sessions.get(entry.key, entry.expires), entry.expires
            )
        elif entry.kind == USER and entry.not_before is not None:
            old_before, old_expires = self.users.get(entry.key, (entry.not_before, entry.expires))
            self.users[entry.key] = (
                max(old_before, entry.not_before),
                max(old_expires, entry.expires),
            )
        else:
            return
        self._order.append((entry.expires, entry.created, entry.kind, entry.key))

    def prune(self, now: float) -> None:
        order = self._order
        while order and order[0][0] <= now:
            expires, created, kind, key = order.popleft()
            self.horizon = max(self.horizon, created)
            if kind == SESSION:
                if self.sessions.get(key) == expires:
                    del self.sessions[key]
            else:
                held = self.users.get(key)
                if held is not None and held[1] == expires:
                    del self.users[key]

    def is_revoked(self, *, session_id: str, user_id: str, issued_at: float) -> bool:
        if session_id in self.sessions:
            return True
        user = self.users.get(user_id)
        if user is not None and issued_at < int(user[0]):
            return True
        # Issued before a revocation that has left memory, and still valid: its lifetime is
        # longer than the one that revocation was written for, so it cannot be cleared.
        return issued_at <= self.horizon

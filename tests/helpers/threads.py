"""Real threads released at the same moment, for the race tests."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections


def run_together(calls: Sequence[Callable[[], Any]], *, timeout: float = 120) -> list[Any]:
    """Run each of ``calls`` in a thread of its own, all released at once by a barrier.

    Returns what they return, in the order of ``calls``. Each thread closes its database
    connections when done (an open one would keep PostgreSQL from dropping the test database).
    What any thread raised is raised here, once every thread has finished.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # raised again in the calling thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running"
    if errors:
        raise BaseExceptionGroup(f"{len(errors)} of {len(calls)} threads failed", errors)
    return results

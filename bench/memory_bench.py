"""1,000,000 live revocations in one process: bytes of memory per entry and catch-up time.

Writes the rows with one SQL statement, reads them as a starting process does (all pages of
the log), measures the process's resident memory before and after, then deletes the rows.
"""

import gc
import os
import resource
import time

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import machine, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jwtauth import revocation  # noqa: E402
from jwtauth.models import RevocationEntry  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_LIVE_REVOCATIONS", "1000000"))
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


def main() -> None:
    call_command("migrate", verbosity=0)
    table = RevocationEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, key, created_at, expires_at) "
            "SELECT 'session', 'mem-' || gen_random_uuid()::text, now(), now() + interval '1 hour' "
            "FROM generate_series(1, %s)",
            [ENTRIES],
        )
    try:
        revocation.reset()
        gc.collect()
        before = rss()
        start = time.perf_counter()
        revocation.catch_up()
        seconds = time.perf_counter() - start
        gc.collect()
        held = len(revocation._current().live)
        grown = rss() - before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE key LIKE 'mem-%%'")
    print(f"Live revocations in memory ({machine()})")
    print(
        f"{held:,} entries held; catch-up from an empty process {seconds:.2f} s; "
        f"{grown / max(held, 1):.0f} bytes per entry (resident memory grew {grown / 2**20:.0f} MiB; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()

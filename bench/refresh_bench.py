"""Refresh (rotation) on PostgreSQL: jwtauth vs simplejwt with rotation + blacklist, and scale.

Prints per-refresh latency (min / median / max over repeats), refreshes per second, queries per
refresh, and jwtauth's refresh latency with 1,000 and with 1,000,000 refresh-token rows.
"""

import os
import statistics
import time

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import machine, setup_django, summary  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken as SimpleRefreshToken  # noqa: E402

from jwtauth import families  # noqa: E402

CHAIN = int(os.environ.get("BENCH_CHAIN", "200"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BIG = int(os.environ.get("BENCH_ROWS", "1000000"))


def _chain(client: Client, path: str, first: str, count: int) -> list[float]:
    """Latency of each of ``count`` refreshes, each spending the previous answer's token."""
    token, times = first, []
    for _ in range(count):
        start = time.perf_counter()
        response = client.post(path, {"refresh": token}, content_type="application/json")
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content!r}")
        token = response.json()["refresh"]
    return times


def _queries(client: Client, path: str, token: str) -> str:
    """Statements of one refresh, then round trips (transaction control included)."""
    with CaptureQueriesContext(connection) as captured:
        client.post(path, {"refresh": token}, content_type="application/json")
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = sum(not q["sql"].startswith(control) for q in captured.captured_queries)
    return f"{statements} / {len(captured.captured_queries)}"


def _fill(rows: int, user_id: int) -> None:
    """Top the token table up to ``rows`` rows: spent tokens of revoked sessions, 100 per session."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM jwtauth_refreshtoken")
        missing = rows - cursor.fetchone()[0]
        if missing <= 0:
            return
        families_needed = (missing + 99) // 100
        cursor.execute(
            """
            INSERT INTO jwtauth_tokenfamily
                (id, user_id, created_at, last_used_at, expires_at, user_agent, revoked_at,
                 revoke_reason, credential, last_user_agent)
            SELECT gen_random_uuid(), %s, now(), now(), now() + interval '30 days', 'bench', now(),
                   'logout', '', ''
            FROM generate_series(1, %s)
            """,
            [user_id, families_needed],
        )
        cursor.execute(
            """
            INSERT INTO jwtauth_refreshtoken
                (family_id, jti, digest, issued_at, expires_at, used_at, revoked_at)
            SELECT f.id, md5(random()::text || n::text), md5(n::text) || md5(n::text),
                   now(), now() + interval '7 days', now(), now()
            FROM (SELECT id, row_number() OVER () AS r FROM jwtauth_tokenfamily
                  WHERE user_agent = 'bench') f
            CROSS JOIN generate_series(1, 100) n
            LIMIT %s
            """,
            [missing],
        )
        cursor.execute("ANALYZE jwtauth_refreshtoken")
        cursor.execute("ANALYZE jwtauth_tokenfamily")


def _jwtauth_latency(client: Client, user: object) -> list[float]:
    samples = []
    for _ in range(REPEAT):
        first = families.start(user=user).refresh
        samples.append(statistics.median(_chain(client, "/api/auth/refresh/", first, CHAIN)))
    return samples


def main() -> None:
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first() or user_model.objects.create_user(
        "bench", password="bench-password-1234"
    )
    with connection.cursor() as cursor:  # both libraries start from empty token tables
        cursor.execute("TRUNCATE jwtauth_refreshtoken, jwtauth_tokenfamily CASCADE")
        cursor.execute("TRUNCATE token_blacklist_outstandingtoken CASCADE")
    client = Client()
    ours, theirs = [], []
    for _ in range(REPEAT):  # interleaved
        first = families.start(user=user).refresh
        ours.append(statistics.median(_chain(client, "/api/auth/refresh/", first, CHAIN)))
        first = str(SimpleRefreshToken.for_user(user))
        theirs.append(statistics.median(_chain(client, "/bench/simplejwt/refresh/", first, CHAIN)))
    our_q = _queries(client, "/api/auth/refresh/", families.start(user=user).refresh)
    their_q = _queries(client, "/bench/simplejwt/refresh/", str(SimpleRefreshToken.for_user(user)))

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE jwtauth_refreshtoken, jwtauth_tokenfamily CASCADE")
    _fill(1000, user.pk)
    small = _jwtauth_latency(client, user)
    _fill(BIG, user.pk)
    big = _jwtauth_latency(client, user)

    print(
        f"Refresh with rotation on PostgreSQL, in process ({machine()}; "
        f"{REPEAT} chains of {CHAIN} refreshes; figures are per-chain medians)"
    )
    print(f"{'':40} {'min / median / max ms':>28}  {'refresh/s':>9}  statements / round trips")
    for name, samples, queries in (
        ("jwtauth", ours, our_q),
        ("simplejwt rotate + blacklist", theirs, their_q),
        ("jwtauth with 1,000 token rows", small, "-"),
        (f"jwtauth with {BIG:,} token rows", big, "-"),
    ):
        low, mid, high = summary(samples)
        print(
            f"{name:40} {low * 1e3:8.2f} / {mid * 1e3:8.2f} / {high * 1e3:8.2f}  "
            f"{1 / mid:9.0f}  {queries}"
        )
    speed = summary(theirs)[1] / summary(ours)[1]
    scale = summary(big)[1] / summary(small)[1]
    print(
        f"target jwtauth refresh throughput >= simplejwt: {speed:.2f} x {'MET' if speed >= 1 else 'NOT MET'}"
    )
    # The budget of tests/test_refresh_queries.py: the lookup (roles included) and one write.
    statements = int(our_q.split(" / ")[0])
    print(
        f"target statements per refresh <= 2: {statements} {'MET' if statements <= 2 else 'NOT MET'}"
    )
    print(
        f"target latency at {BIG:,} rows <= 1.2 x at 1,000: {scale:.2f} {'MET' if scale <= 1.2 else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()

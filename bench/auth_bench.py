"""In-process cost of Bearer authentication: jwtauth, djangorestframework-simplejwt, PyJWT.

PostgreSQL and Django's stock RedisCache (the production settings; DATABASE_URL / REDIS_URL or
the bench defaults), revocation checked against a log of live revocations. Rounds interleave
the measurements; prints min / median / max per call, the ratio of each median to PyJWT's own
``jwt.decode`` of the same kind of token, and database queries per call.
"""

import os
import uuid

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import fmt_us, machine, per_item, setup_django, summary  # noqa: E402

setup_django()

import jwt  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework_simplejwt.authentication import (  # noqa: E402
    JWTAuthentication as SimpleJWTAuthentication,
)
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from jwtauth import revocation, tokens  # noqa: E402
from jwtauth.authentication import JWTAuthentication  # noqa: E402
from jwtauth.keys import access_keys  # noqa: E402
from jwtauth.settings import jwtauth_settings  # noqa: E402

N = int(os.environ.get("BENCH_TOKENS", "2000"))
REPEAT = int(os.environ.get("BENCH_ROUNDS", "8"))
# Live revocations in the log (other users' sessions) while measuring.
REVOKED = int(os.environ.get("BENCH_REVOKED", "10000"))


def _requests(raw_tokens: list[str]) -> list[Request]:
    factory = RequestFactory()
    return [Request(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {t}")) for t in raw_tokens]


def _queries(authenticate: object, request: Request) -> int:
    """Queries of one call between two reads of the revocation log (the steady state)."""
    revocation.catch_up()
    with CaptureQueriesContext(connection) as captured:
        user, _ = authenticate(request)  # type: ignore[operator]
        _ = user.pk
    return len(captured.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    user = users.filter(username="bench").first() or users.create_user("bench", password="x" * 20)
    now = timezone.now()

    def jwtauth_token() -> str:
        return tokens.issue_access(
            user_id=user.pk, session_id=str(uuid.uuid4()), roles=[], now=now
        ).token

    fresh = [[jwtauth_token() for _ in range(N)] for _ in range(REPEAT)]
    same = [jwtauth_token()] * N
    simple_same = [str(AccessToken.for_user(user))] * N
    key = access_keys().signer.verifying_key

    def decode(raw: str) -> object:
        return jwt.decode(
            raw,
            key,
            algorithms=["HS256"],
            audience=jwtauth_settings.AUDIENCE,
            issuer=jwtauth_settings.ISSUER,
        )

    revocation.revoke_sessions(str(uuid.uuid4()) for _ in range(REVOKED))
    revocation.catch_up()
    ours = JWTAuthentication()
    simple, stateless = SimpleJWTAuthentication(), JWTStatelessUserAuthentication()
    fresh_requests = [_requests(batch) for batch in fresh]
    same_requests, simple_requests = _requests(same), _requests(simple_same)

    def ours_with_user(request: Request) -> object:
        return ours.authenticate(request)[0].username

    def simple_with_user(request: Request) -> object:
        return simple.authenticate(request)[0].username

    measured = {
        "PyJWT jwt.decode (HS256, same token)": (lambda r: decode(same[0]), same_requests),
        "jwtauth, token seen for the first time": (ours.authenticate, None),
        "jwtauth, token already verified": (ours.authenticate, same_requests),
        "jwtauth, verified + request.user loaded": (ours_with_user, same_requests[:200]),
        "simplejwt JWTAuthentication + user": (simple_with_user, simple_requests[:200]),
        "simplejwt JWTStatelessUserAuthentication": (stateless.authenticate, simple_requests),
    }
    samples: dict[str, list[float]] = {name: [] for name in measured}
    for round_number in range(REPEAT):  # interleaved: each round measures everything once
        for name, (fn, items) in measured.items():
            batch = fresh_requests[round_number] if items is None else items
            samples[name] += per_item(fn, batch, repeat=1)
    queries = {
        "jwtauth, token seen for the first time": _queries(
            ours.authenticate, _requests([jwtauth_token()])[0]
        ),
        "jwtauth, token already verified": _queries(ours.authenticate, same_requests[0]),
        "simplejwt JWTStatelessUserAuthentication": _queries(
            stateless.authenticate, simple_requests[0]
        ),
        "jwtauth, verified + request.user loaded": 1,
        "simplejwt JWTAuthentication + user": 1,
    }
    rows = [(name, samples[name], queries.get(name, "-")) for name in measured]
    baseline = samples["PyJWT jwt.decode (HS256, same token)"]
    base_median = summary(baseline)[1]
    print(
        f"Bearer authentication, in process ({machine()}; {REPEAT} interleaved rounds of {N} "
        f"calls; PostgreSQL, stock RedisCache; {REVOKED} live revocations in memory)"
    )
    print(f"{'':44} {'min / median / max per call':>34}  {'x decode':>8}  queries")
    for name, samples, queries in rows:
        ratio = summary(samples)[1] / base_median
        print(f"{name:44} {fmt_us(samples):>34}  {ratio:8.2f}  {queries}")
    first = summary(rows[1][1])[1] / base_median
    cached = summary(rows[2][1])[1] / base_median
    print(f"target first-seen <= 1.30 x decode: {first:.2f} {'MET' if first <= 1.3 else 'NOT MET'}")
    print(
        f"target already-verified <= 0.50 x decode: {cached:.2f} {'MET' if cached <= 0.5 else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()

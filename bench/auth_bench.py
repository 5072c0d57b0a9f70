"""In-process cost of Bearer authentication: jwtauth, djangorestframework-simplejwt, PyJWT.

Prints min / median / max per call, the ratio of each median to PyJWT's own ``jwt.decode`` of
the same kind of token, and database queries per call.
"""

import os
import tempfile
import uuid

os.environ.setdefault("SQLITE_PATH", os.path.join(tempfile.mkdtemp(), "bench.sqlite3"))

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

from jwtauth import tokens  # noqa: E402
from jwtauth.authentication import JWTAuthentication  # noqa: E402
from jwtauth.keys import access_keys  # noqa: E402
from jwtauth.settings import jwtauth_settings  # noqa: E402

N = int(os.environ.get("BENCH_TOKENS", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))


def _requests(raw_tokens: list[str]) -> list[Request]:
    factory = RequestFactory()
    return [Request(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {t}")) for t in raw_tokens]


def _queries(authenticate: object, request: Request) -> int:
    with CaptureQueriesContext(connection) as captured:
        user, _ = authenticate(request)  # type: ignore[operator]
        _ = user.pk
    return len(captured.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="x" * 20)
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

    ours = JWTAuthentication()
    simple, stateless = SimpleJWTAuthentication(), JWTStatelessUserAuthentication()
    fresh_requests = [_requests(batch) for batch in fresh]
    rows = []
    baseline = per_item(decode, same, repeat=REPEAT)
    rows.append(("PyJWT jwt.decode (HS256, same token)", baseline, "-"))

    samples = []
    for batch in fresh_requests:
        samples += per_item(ours.authenticate, batch, repeat=1)
    rows.append(
        (
            "jwtauth, token seen for the first time",
            samples,
            _queries(ours.authenticate, _requests([jwtauth_token()])[0]),
        )
    )
    same_requests = _requests(same)
    rows.append(
        (
            "jwtauth, token already verified",
            per_item(ours.authenticate, same_requests, repeat=REPEAT),
            _queries(ours.authenticate, same_requests[0]),
        )
    )
    simple_requests = _requests(simple_same)
    rows.append(
        (
            "simplejwt JWTAuthentication",
            per_item(simple.authenticate, simple_requests, repeat=REPEAT),
            _queries(simple.authenticate, simple_requests[0]),
        )
    )
    rows.append(
        (
            "simplejwt JWTStatelessUserAuthentication",
            per_item(stateless.authenticate, simple_requests, repeat=REPEAT),
            _queries(stateless.authenticate, simple_requests[0]),
        )
    )

    base_median = summary(baseline)[1]
    print(
        f"Bearer authentication, in process ({machine()}; {N} calls x {REPEAT} repeats; "
        f"revocation cache: {jwtauth_settings.REVOCATION_CACHE} = local memory)"
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

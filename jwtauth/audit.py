"""Self-audit: run the attacks jwtauth defends against on this site, in process, and report.

Every check runs against the site's own settings and URLs through Django's test client, inside
one transaction that is rolled back; mail goes to an in-memory outbox. The one check that needs a
second process commits a revocation of a session that never existed, and deletes it again.
Cache entries it leaves (rate-limit counters) belong to a throwaway account and addresses from
the benchmarking range 198.18.0.0/15, and expire with their windows.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase
from django.test.utils import override_settings

from jwtauth import audit_checks, audit_http, audit_process  # noqa: F401  they register
from jwtauth.audit_base import CHECKS, OWN_TRANSACTION, Failed, Result, Site, host

__all__ = ["CHECKS", "Result", "run"]


def run(only: list[str] | None = None) -> list[Result]:
    """Run the checks (all, or those named) and return their results, in order."""
    names = [name for name in CHECKS if only is None or name in only]
    results: dict[str, Result] = {}
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
        password = secrets.token_urlsafe(24)
        user = get_user_model()._default_manager.create_user(
            **{
                get_user_model().USERNAME_FIELD: f"jwtauth-audit-{secrets.token_hex(6)}",
                get_user_model().get_email_field_name(): "audit@example.invalid",
            },
            password=password,
        )
        site = Site(
            host=host(), https=bool(settings.SECURE_SSL_REDIRECT), user=user, password=password
        )
        for name in names:
            if name not in OWN_TRANSACTION:
                results[name] = _one(name, site)
        transaction.set_rollback(True)
    for name in names:
        if name in OWN_TRANSACTION:
            results[name] = _run(name, site)
    return [results[name] for name in names]


def _one(name: str, site: Site) -> Result:
    # Each check in a savepoint of its own, so one check's rows never affect the next.
    with transaction.atomic(), TestCase.captureOnCommitCallbacks(execute=True):
        result = _run(name, site)
        transaction.set_rollback(True)
    return result


def _run(name: str, site: Site) -> Result:
    try:
        seen = CHECKS[name](site)
    except Failed as failure:
        return Result(name, False, failure.seen, failure.fix)
    return Result(name, True, seen)

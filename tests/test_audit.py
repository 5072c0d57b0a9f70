"""jwtauth_audit: each check passes on the sample site's settings and fails on a weakened one."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from rest_framework.parsers import FormParser
from rest_framework.parsers import JSONParser as DRFJSONParser

from jwtauth import audit, audit_process, revocation, transport
from jwtauth.models import RevocationEntry, TokenFamily
from jwtauth.parsers import JSONParser
from jwtauth.views import LoginView, RefreshView
from tests.helpers.keys import signing_entry, use_keys

pytestmark = pytest.mark.django_db


def result(name: str) -> audit.Result:
    (found,) = audit.run(only=[name])
    assert found.check == name
    return found


def passes(name: str) -> None:
    found = result(name)
    assert found.ok, found


def fails(name: str, *words: str) -> audit.Result:
    found = result(name)
    assert not found.ok, found
    for word in words:
        assert word in found.fix + found.detail, found
    return found


@pytest.fixture
def redis_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Redis server of this test's own, shared by this process and the audit's subprocess."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    original = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "authproject.cache.ReusingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "authproject",
        }
    }
    monkeypatch.setenv("REDIS_URL", url)
    yield url
    # The shared fixtures clear every cache after the test: not this one once it is gone.
    settings.CACHES = original
    process.kill()
    process.wait()


def weak_verifier(monkeypatch: pytest.MonkeyPatch) -> None:
    """A verifier that checks nothing, as a hand-rolled authentication class might."""

    def decode(token: object) -> Any:
        return jwt.decode(str(token), options={"verify_signature": False, "verify_exp": False})

    monkeypatch.setattr("jwtauth.tokens.verify_access", decode)


TOKEN_CHECKS = ["alg none", "tampered token", "wrong iss/aud", "access/refresh swap"]


@pytest.mark.parametrize("name", TOKEN_CHECKS)
def test_token_checks_pass_and_fail_on_a_weak_verifier(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes(name)
    weak_verifier(monkeypatch)
    fails(name)


def test_algorithm_confusion_with_the_sites_public_keys(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "no public key" in result("algorithm confusion").detail  # HS256
    use_keys(settings, "RS256", signing_entry("RS256", "rsa-1"))
    found = result("algorithm confusion")
    assert found.ok and "public key encodings refused" in found.detail
    weak_verifier(monkeypatch)
    fails("algorithm confusion")


def test_access_and_refresh_keys_must_differ(settings: Any) -> None:
    key = {"kid": "same", "key": "k" * 40}
    settings.JWTAUTH = {"ACCESS_KEYS": [key], "REFRESH_KEYS": [key]}
    fails("access/refresh swap", "different keys")


def test_expired_token_fails_with_a_huge_leeway(settings: Any) -> None:
    passes("expired token")
    settings.JWTAUTH = {"LEEWAY": timedelta(hours=2)}
    fails("expired token", "LEEWAY")


def test_refresh_replay_fails_with_a_long_grace_window(settings: Any) -> None:
    passes("refresh replay")
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 0}
    passes("refresh replay")
    settings.JWTAUTH = {"REUSE_GRACE_SECONDS": 3600}
    fails("refresh replay", "REUSE_GRACE_SECONDS")


@pytest.mark.parametrize(
    "weakened, word",
    [
        ({"COOKIE_SECURE": False}, "Secure"),
        ({"COOKIE_SAMESITE": "None"}, "SameSite"),
        ({"COOKIE_PATH": "/"}, "every path"),
    ],
)
def test_cookie_attributes(settings: Any, weakened: dict[str, Any], word: str) -> None:
    passes("cookie attributes")
    settings.JWTAUTH = weakened
    fails("cookie attributes", word)


@pytest.mark.parametrize("name", ["CSRF on cookie refresh", "CSRF on cookie logout"])
def test_csrf_checks_fail_without_the_csrf_check(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes(name)
    monkeypatch.setattr(transport, "enforce_csrf", lambda request: None)
    fails(name, "CSRF")


def test_login_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    # A login that reads JSON only, and refuses cross-site requests, cannot be posted by a form.
    passes("login CSRF")
    monkeypatch.setattr(LoginView, "parser_classes", [JSONParser, FormParser])
    monkeypatch.setattr(transport, "refuse_cross_site", lambda request: None)
    fails("login CSRF", "login CSRF")


def test_odd_headers_fail_when_authentication_crashes(monkeypatch: pytest.MonkeyPatch) -> None:
    passes("odd headers")

    def crash(token: object) -> Any:
        raise TypeError("unhashable type")

    monkeypatch.setattr("jwtauth.tokens.verify_access", crash)
    fails("odd headers")


def test_deep_json_fails_with_drfs_own_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    passes("deep JSON")
    monkeypatch.setattr(RefreshView, "parser_classes", [DRFJSONParser])
    monkeypatch.setattr(RefreshView, "get_exception_handler", lambda self: lambda exc, ctx: None)
    fails("deep JSON", "refresh")


@pytest.fixture
def local_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every process with a cache of its own, as the sample site without REDIS_URL."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.delenv("REDIS_URL", raising=False)


@pytest.mark.parametrize("name", ["rate limits", "account lockout"])
def test_limits_fail_on_a_process_local_cache(name: str, local_cache: None) -> None:
    fails(name, "shared")


def test_rate_limits_and_lockout_on_a_shared_cache(redis_cache: str, settings: Any) -> None:
    passes("rate limits")
    passes("account lockout")
    settings.JWTAUTH = {"RATELIMIT_ENABLED": False}
    fails("rate limits", "off")
    settings.JWTAUTH = {"ACCOUNT_LOCKOUT": False}
    fails("account lockout", "off")


def test_reset_link_origin(settings: Any) -> None:
    passes("reset-link origin")
    # A relative link and no origin to put it on: no reset mail can be sent at all.
    settings.JWTAUTH = {"PASSWORD_RESET_ORIGIN": None}
    fails("reset-link origin", "PASSWORD_RESET_ORIGIN")
    settings.JWTAUTH = {"PASSWORD_RESET_URL": "https://accounts.example/reset/?u={uid}&t={token}"}
    found = result("reset-link origin")
    assert found.ok and "accounts.example" in found.detail, found


def test_reset_link_origin_before_any_mail_was_sent(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Django's in-memory backend creates mail.outbox with the first message sent.
    monkeypatch.delattr(mail, "outbox")
    settings.JWTAUTH = {"PASSWORD_RESET_URL": "https://accounts.example/reset/?u={uid}&t={token}"}
    assert result("reset-link origin").ok


def test_logout_must_refuse_the_access_token(monkeypatch: pytest.MonkeyPatch) -> None:
    passes("logout refuses the access token")
    # A logout that never reaches the revocation log, as before the log existed.
    monkeypatch.setattr("jwtauth.revocation.revoke_sessions", lambda *args, **kwargs: None)
    fails("logout refuses the access token", "revocation log")


SECOND = "revocation seen by a second process"


def test_revocation_must_reach_a_second_process_soon(settings: Any) -> None:
    settings.JWTAUTH = {"REVOCATION_MAX_STALENESS": 60}
    fails(SECOND, "REVOCATION_MAX_STALENESS")


def test_revocation_fails_open(settings: Any) -> None:
    settings.JWTAUTH = {"REVOCATION_FAIL_OPEN": True}
    fails(SECOND, "REVOCATION_FAIL_OPEN")


def test_a_verify_only_service_needs_the_issuers_feed(settings: Any) -> None:
    settings.JWTAUTH = {"VERIFY_ONLY": True}
    fails(SECOND, "REVOCATION_FEED_URL")
    settings.JWTAUTH = {"VERIFY_ONLY": True, "REVOCATION_FEED_URL": "https://issuer.example/f/"}
    assert "issuer" in result(SECOND).detail


def test_an_in_memory_database_has_no_second_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(connection.settings_dict, "NAME", ":memory:")
    assert "in-memory" in result(SECOND).detail


# A real second process (python -m jwtauth.audit_probe) reading this test's database: committed
# rows, so no test transaction around them.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("push", ["auto", None])
def test_a_second_process_refuses_a_revocation_committed_here(
    settings: Any, push: str | None
) -> None:
    settings.JWTAUTH = {"REVOCATION_PUSH": push}
    found = result(SECOND)
    assert found.ok, found
    elapsed = float(found.detail.split(" ms after")[0].rsplit(" ", 1)[1])
    # Within the freshness bound (250 ms) plus the second process's own polling.
    assert elapsed < 1000, found
    # The probe entry is gone again.
    assert not RevocationEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_second_process_check_fails_when_the_revocation_is_not_committed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    def rolled_back(alias: str, session_id: str) -> None:
        def write() -> None:
            with transaction.atomic(using=alias):
                revocation.revoke_sessions([session_id])
                transaction.set_rollback(True, using=alias)

        audit_process._in_thread(alias, write)

    monkeypatch.setattr(audit_process, "_commit_probe", rolled_back)
    found = fails(SECOND, "revocation log")
    assert "still accepted" in found.detail


def test_the_audit_leaves_no_rows_behind(django_user_model: Any) -> None:
    audit.run(only=["refresh replay", "cookie attributes"])
    assert not django_user_model.objects.exists() and not TokenFamily.objects.exists()


def test_the_command_prints_a_table_and_exits_non_zero_on_failure(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    call_command("jwtauth_audit", "--check", "alg none", "--check", "expired token")
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["check", "result", "what", "to", "change"]
    assert "alg none" in out and "PASS" in out and "All 2 checks passed." in out

    settings.JWTAUTH = {"LEEWAY": timedelta(hours=2)}
    with pytest.raises(CommandError, match="1 of 2 checks failed: expired token") as raised:
        call_command("jwtauth_audit", "--check", "alg none", "--check", "expired token")
    assert raised.value.returncode == 1
    assert "FAIL" in capsys.readouterr().out


def test_every_check_is_registered() -> None:
    audit.run(only=[])
    assert set(audit.CHECKS) == {
        "alg none",
        "algorithm confusion",
        "tampered token",
        "expired token",
        "wrong iss/aud",
        "access/refresh swap",
        "refresh replay",
        "cookie attributes",
        "CSRF on cookie refresh",
        "CSRF on cookie logout",
        "login CSRF",
        "odd headers",
        "deep JSON",
        "rate limits",
        "account lockout",
        "reset-link origin",
        "logout refuses the access token",
        "revocation seen by a second process",
    }
    assert os.environ.get("DJANGO_SETTINGS_MODULE")

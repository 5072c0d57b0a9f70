"""What the self-audit's checks share: the site under test, results, the check registry."""

import itertools
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse


@dataclass(frozen=True)
class Result:
    check: str
    ok: bool
    # What was seen, and on failure what to change.
    detail: str
    fix: str = ""


class Failed(Exception):
    """A check saw the site misbehave; the message says what to change."""

    def __init__(self, seen: str, fix: str) -> None:
        super().__init__(seen)
        self.seen, self.fix = seen, fix


@dataclass
class Site:
    """What the checks share: the site's host, a throwaway account, fresh client addresses."""

    host: str
    https: bool
    user: AbstractBaseUser
    password: str
    _addresses: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, name: str) -> str:
        return reverse(f"jwtauth:{name}")

    def address(self) -> str:
        """A client address of its own, so per-IP limits of one check do not leak into another."""
        n = next(self._addresses) + secrets.randbelow(60_000) * 100
        return f"198.{18 + (n >> 16) % 2}.{(n >> 8) % 256}.{n % 256}"

    def client(self, *, csrf: bool = True, address: str | None = None, **headers: Any) -> Client:
        """A browser-like client (CSRF enforced) from its own address."""
        ip = address or self.address()
        return Client(
            enforce_csrf_checks=csrf,
            # A crash is a 500 to report, not an exception that ends the audit.
            raise_request_exception=False,
            REMOTE_ADDR=ip,
            HTTP_X_FORWARDED_FOR=ip,
            HTTP_HOST=self.host,
            **headers,
        )

    def origin(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}"

    def post(self, client: Client, name: str, data: Any = None, **extra: Any) -> Any:
        extra.setdefault("content_type", "application/json")
        return client.post(self.url(name), data or {}, secure=self.https, **extra)

    def login(self, *, transport: str = "body", client: Client | None = None) -> Any:
        body = {"username": self.user.get_username(), "password": self.password}
        if transport == "body":
            body["transport"] = "body"
        response = self.post(client or self.client(csrf=False), "login", body)
        if response.status_code != 200:
            raise Failed(
                f"login of the audit account answered {response.status_code}",
                "fix the login endpoint before auditing",
            )
        return response


Check = Callable[[Site], str]
CHECKS: dict[str, Check] = {}
# Checks that commit what they need (another process must see it), so they run after the
# rolled-back transaction of the others; they clean up after themselves.
OWN_TRANSACTION: set[str] = set()


def check(name: str, *, own_transaction: bool = False) -> Callable[[Check], Check]:
    """Register a check: it returns what it saw, or raises Failed."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        if own_transaction:
            OWN_TRANSACTION.add(name)
        return function

    return register


def host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host not in {"*", ""}:
            return host.lstrip(".")
    return "localhost"


def code(response: Any) -> str:
    try:
        return str(response.json().get("code", ""))
    except (ValueError, TypeError, AttributeError):  # no body, not JSON, not an object
        return ""

"""Fetch and cache a remote JWKS: the verification keys of a service that issues no tokens."""

import http.client
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from jwtauth.exceptions import KeysUnavailable
from jwtauth.settings import jwtauth_settings

logger = logging.getLogger(__name__)

# A JWKS larger than this is refused unparsed; real ones are a few kilobytes.
MAX_JWKS_BYTES = 256 * 1024


class _NoRedirect(HTTPRedirectHandler):
    # A redirect could lead from https to http: the configured URL is the one trusted.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = build_opener(_NoRedirect)


def check_url(url: object) -> str:
    """``url`` if it is an absolute http(s) URL, else ImproperlyConfigured."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"JWTAUTH JWKS_URL {url!r} is not an http(s) URL.")
    return url  # type: ignore[return-value]


def fetch(url: str) -> list[dict[str, Any]]:
    """The ``keys`` of the JWKS at ``url``; ValueError or OSError when it cannot be had."""
    request = Request(check_url(url), headers={"Accept": "application/json"})  # noqa: S310
    # The scheme is checked above: only http(s), never file: or others.
    with _OPENER.open(request, timeout=jwtauth_settings.JWKS_TIMEOUT.total_seconds()) as response:
        body = response.read(MAX_JWKS_BYTES + 1)
    if len(body) > MAX_JWKS_BYTES:
        raise ValueError("JWKS too large")
    document = json.loads(body)
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list):
        raise ValueError("JWKS has no 'keys' list")
    return [jwk for jwk in keys if isinstance(jwk, dict)]


def _elapsed(since: datetime | None, now: datetime) -> float:
    # A clock that went backwards counts as "long ago", so a refresh is never blocked by it.
    if since is None or now < since:
        return float("inf")
    return (now - since).total_seconds()


T = TypeVar("T")


class JWKSClient(Generic[T]):
    """Keys by ``kid`` from a JWKS URL, parsed once per fetch by ``parse`` (None skips a JWK).

    The set is refetched when older than JWKS_LIFETIME, and when a ``kid`` is unknown; never
    more than once per JWKS_REFRESH_INTERVAL, so forged ``kid`` values cannot flood the issuer.
    A failed fetch keeps the keys already known.
    """

    def __init__(self, url: str, parse: Callable[[dict[str, Any]], tuple[str, T] | None]) -> None:
        self.url = check_url(url)
        self._parse = parse
        self._keys: dict[str, T] = {}
        self._fetched_at: datetime | None = None
        self._attempted_at: datetime | None = None
        self._lock = threading.Lock()

    def _expired(self, now: datetime) -> bool:
        return _elapsed(self._fetched_at, now) >= jwtauth_settings.JWKS_LIFETIME.total_seconds()

    def get(self, kid: str) -> T | None:
        """The key of ``kid``; None if the issuer does not publish it; KeysUnavailable if no
        JWKS could be fetched yet."""
        now = timezone.now()
        key = self._keys.get(kid)
        if key is not None and not self._expired(now):
            return key
        with self._lock:
            interval = jwtauth_settings.JWKS_REFRESH_INTERVAL.total_seconds()
            if _elapsed(self._attempted_at, now) >= interval and (
                kid not in self._keys or self._expired(now)
            ):
                self._refresh(now)
            if self._fetched_at is None:
                raise KeysUnavailable()
            return self._keys.get(kid)

    def _refresh(self, now: datetime) -> None:
        self._attempted_at = now
        try:
            published = fetch(self.url)
        # RecursionError: a JWKS nested too deeply for Python's json.
        except (OSError, URLError, ValueError, RecursionError, http.client.HTTPException) as exc:
            logger.warning("Cannot fetch the JWKS at %s: %s", self.url, exc)
            return
        keys = dict(filter(None, map(self._parse, published)))
        if len(keys) < len(published):
            logger.info("Ignored %d unusable keys of %s", len(published) - len(keys), self.url)
        self._keys, self._fetched_at = keys, now

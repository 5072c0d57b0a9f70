"""Self-audit checks over HTTP: cookies, CSRF, hostile headers and bodies, limits, reset links,
logout."""

import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import mail
from django.core.cache import caches

from jwtauth import accounts, ratelimits
from jwtauth.audit_base import Failed, Site, check, code
from jwtauth.settings import jwtauth_settings

PROCESS_LOCAL = ("LocMemCache", "DummyCache")
# How long a reset mail may take to reach the in-memory outbox.
MAIL_SECONDS = 10.0


def _cookie_problems(cookie: Any, name: str) -> list[str]:
    problems = []
    if not cookie["httponly"]:
        problems.append(f"{name} is not HttpOnly")
    if not cookie["secure"]:
        problems.append(f"{name} is not Secure (COOKIE_SECURE, DEBUG)")
    if str(cookie["samesite"]).lower() not in {"strict", "lax"}:
        problems.append(f"{name} has SameSite={cookie['samesite'] or 'unset'} (COOKIE_SAMESITE)")
    if cookie["path"] in {"", "/"}:
        problems.append(f"{name} is sent to every path (COOKIE_PATH)")
    return problems


@check("cookie attributes")
def cookie_attributes(site: Site) -> str:
    if "cookie" not in jwtauth_settings.TRANSPORTS:
        return "cookie transport is off"
    response = site.login(transport="cookie")
    names = [jwtauth_settings.COOKIE_NAME]
    if jwtauth_settings.DEVICE_TOKENS:
        names.append(jwtauth_settings.DEVICE_COOKIE_NAME)
    problems = []
    for name in names:
        if name not in response.cookies:
            problems.append(f"no {name} cookie")
        else:
            problems += _cookie_problems(response.cookies[name], name)
    if problems:
        raise Failed(
            "; ".join(problems),
            "COOKIE_SECURE None or True with DEBUG off, COOKIE_SAMESITE Strict or Lax, "
            "COOKIE_PATH the API prefix",
        )
    return ", ".join(names) + ": HttpOnly, Secure, SameSite, path-limited"


def _csrf(site: Site, endpoint: str) -> str:
    if "cookie" not in jwtauth_settings.TRANSPORTS:
        return "cookie transport is off"
    client = site.client()
    site.login(transport="cookie", client=client)
    response = site.post(client, endpoint, HTTP_ORIGIN="https://attacker.invalid")
    if response.status_code != 403 or code(response) != "csrf_failed":
        raise Failed(
            f"cookie {endpoint} without a CSRF token: {response.status_code} {code(response)}",
            "keep CsrfViewMiddleware and do not exempt jwtauth's views",
        )
    return f"cookie {endpoint} without a CSRF token: 403 csrf_failed"


@check("CSRF on cookie refresh")
def csrf_refresh(site: Site) -> str:
    return _csrf(site, "refresh")


@check("CSRF on cookie logout")
def csrf_logout(site: Site) -> str:
    return _csrf(site, "logout")


@check("login CSRF")
def login_csrf(site: Site) -> str:
    """A cross-site form post (no preflight) must not sign the browser in."""
    client = site.client(HTTP_ORIGIN="https://attacker.invalid", HTTP_SEC_FETCH_SITE="cross-site")
    body = {"username": site.user.get_username(), "password": site.password}
    form = "application/x-www-form-urlencoded"
    response = site.post(client, "login", urlencode(body), content_type=form)
    if response.status_code < 400 or jwtauth_settings.COOKIE_NAME in response.cookies:
        raise Failed(
            f"cross-site form login: {response.status_code}, refresh cookie set",
            "upgrade jwtauth: login must refuse cross-site form posts (login CSRF)",
        )
    return f"cross-site form login: {response.status_code} {code(response)}"


ODD_AUTHORIZATION = [
    "Bearer",
    "Bearer ",
    "Bearer a b",
    "Bearer " + "a" * 100_000,
    "Bearer é.é.é",
    "Bearer a.b.c.d",
    "Bearer ..",
    "Basic dXNlcjpwYXNz",
    "bearer\tx",
]


@check("odd headers")
def odd_headers(site: Site) -> str:
    for value in ODD_AUTHORIZATION:
        client = site.client(csrf=False)
        response = client.get(site.url("me"), secure=site.https, HTTP_AUTHORIZATION=value)
        if response.status_code >= 500 or response.status_code == 200:
            raise Failed(f"Authorization {value[:20]!r}: {response.status_code}", "upgrade jwtauth")
    return f"{len(ODD_AUTHORIZATION)} malformed Authorization headers: 401"


@check("deep JSON")
def deep_json(site: Site) -> str:
    body = "[" * 100_000 + "]" * 100_000
    for endpoint in ("login", "refresh", "password-reset"):
        response = site.post(site.client(csrf=False), endpoint, body)
        if response.status_code != 400:
            raise Failed(
                f"{endpoint} with JSON nested 100,000 deep: {response.status_code}",
                "upgrade jwtauth (deep JSON must be a 400 parse_error)",
            )
    return "JSON nested 100,000 deep: 400 on login, refresh, password reset"


def _shared(alias: str) -> bool:
    return type(caches[alias]).__name__ not in PROCESS_LOCAL


@check("rate limits")
def rate_limits(site: Site) -> str:
    alias = jwtauth_settings.RATELIMIT_CACHE
    fix = "RATELIMIT_ENABLED True, LOGIN_RATE set, RATELIMIT_CACHE a shared cache (Redis)"
    if not ratelimits.enabled() or not jwtauth_settings.LOGIN_RATE:
        raise Failed("rate limits are off", fix)
    if not _shared(alias):
        raise Failed(f"RATELIMIT_CACHE {alias!r} is {type(caches[alias]).__name__}", fix)
    limit = int(str(jwtauth_settings.LOGIN_RATE).split("/")[0])
    address = site.address()
    body = {"username": "jwtauth-audit-nobody", "password": "x", "transport": "body"}
    for _ in range(limit + 1):
        response = site.post(site.client(csrf=False, address=address), "login", body)
    if response.status_code != 429 or code(response) != "rate_limited":
        raise Failed(f"login {limit + 1} times from one address: {response.status_code}", fix)
    return f"login {limit + 1} times from one address: 429 rate_limited ({alias} shared)"


@check("account lockout")
def lockout(site: Site) -> str:
    fix = "ACCOUNT_LOCKOUT True and LOGIN_FAILURE_RATE set, on a shared RATELIMIT_CACHE"
    if not ratelimits.enabled() or not jwtauth_settings.ACCOUNT_LOCKOUT:
        raise Failed("the account lockout is off", fix)
    if not jwtauth_settings.LOGIN_FAILURE_RATE or not _shared(jwtauth_settings.RATELIMIT_CACHE):
        raise Failed("failures are not counted in a shared cache", fix)
    limit = int(str(jwtauth_settings.LOGIN_FAILURE_RATE).split("/")[0])
    body = {"username": site.user.get_username(), "password": "wrong", "transport": "body"}
    for _ in range(limit):
        site.post(site.client(csrf=False), "login", body)
    locked = site.post(site.client(csrf=False), "login", {**body, "password": site.password})
    ratelimits.reset_failures(site.user.get_username())
    if locked.status_code != 429 or code(locked) != "account_locked":
        raise Failed(f"right password after {limit} wrong ones: {locked.status_code}", fix)
    return f"right password after {limit} wrong ones: 429 account_locked"


def _reset_link(site: Site, host: str) -> str | None:
    # The in-memory backend creates mail.outbox with its first message.
    before = len(getattr(mail, "outbox", []))
    client = site.client(csrf=False)
    client.defaults["HTTP_HOST"] = host
    site.post(client, "password-reset", {"email": "audit@example.invalid"})
    # The answer does not wait for the mail: it is sent from a thread of its own.
    for thread in threading.enumerate():
        if thread.name == accounts.MAIL_THREAD:
            thread.join(timeout=MAIL_SECONDS)
    for message in getattr(mail, "outbox", [])[before:]:
        for word in message.body.split():
            if "://" in word:
                return word
    return None


@check("reset-link origin")
def reset_origin(site: Site) -> str:
    """The reset link's origin must come from settings, never from the request's Host."""
    spoofed = "attacker.invalid"
    allowed = [h for h in settings.ALLOWED_HOSTS if h and h != site.host]
    if "*" in settings.ALLOWED_HOSTS or not allowed:
        other = spoofed
    else:
        other = allowed[0].lstrip(".")
    first, second = _reset_link(site, site.host), _reset_link(site, other)
    if first is None:
        raise Failed(
            "no reset mail was sent",
            "set PASSWORD_RESET_ORIGIN (or an absolute PASSWORD_RESET_URL) and reset mail",
        )
    origins = {urlsplit(link).netloc for link in (first, second) if link}
    if len(origins) > 1 or other in origins:
        raise Failed(
            f"the link follows the request's Host ({', '.join(sorted(origins))})",
            "make the reset link absolute from a setting, not from the request",
        )
    return f"links point at {origins.pop()} whatever the Host"


@check("logout refuses the access token")
def logout_refuses(site: Site) -> str:
    body = site.login().json()
    site.post(site.client(csrf=False), "logout", {"refresh": body["refresh"]})
    response = site.client(csrf=False).get(
        site.url("me"), HTTP_AUTHORIZATION=f"Bearer {body['access']}", secure=site.https
    )
    if code(response) != "token_revoked":
        raise Failed(
            f"a logged-out session's access token answered {response.status_code}",
            "upgrade jwtauth: a logout must write the session to the revocation log",
        )
    return "me/ with the logged-out session's access token: 401 token_revoked"

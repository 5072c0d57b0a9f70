"""The client's IP address, trusting X-Forwarded-For only as far as declared proxies."""

import ipaddress

from django.http import HttpRequest

from jwtauth.settings import jwtauth_settings


def _valid(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        # "fe80::1%eth0" (a link-local peer): the zone names an interface of this host, means
        # nothing elsewhere, and PostgreSQL's inet refuses it.
        address = ipaddress.IPv6Address(address.packed)
    return str(address)


def client_ip(request: HttpRequest) -> str | None:
    """``REMOTE_ADDR``, or with N trusted proxies the N-th ``X-Forwarded-For`` entry from the right.

    Each trusted proxy appends the address it received the request from, so
    entries to the left of that one are whatever the client wrote and are ignored.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = int(jwtauth_settings.TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return _valid(entries[-proxies]) or remote

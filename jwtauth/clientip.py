"""The client's IP address, trusting X-Forwarded-For only as far as declared proxies."""

import ipaddress

from django.http import HttpRequest

from jwtauth.settings import jwtauth_settings

# RFC 6052's well-known NAT64 prefix: the IPv4 client is in the last 32 bits.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def unmapped(address: Address) -> Address:
    """The IPv4 address an IPv6 address stands for, if it stands for one, else ``address``.

    A server listening on ``[::]`` sees IPv4 clients as ``::ffff:a.b.c.d``; masked to /64 for
    rate limiting, every IPv4 client would share one bucket. 6to4 (``2002:a.b.c.d::/48``),
    NAT64 (``64:ff9b::a.b.c.d``) and Teredo (``2001:0::/32``, whose /64 is the relay's, shared
    by all its clients) addresses likewise name one IPv4 host.
    """
    if not isinstance(address, ipaddress.IPv6Address):
        return address
    if address.scope_id:
        # "fe80::1%eth0" (a link-local peer): the zone names an interface of this host, means
        # nothing elsewhere, and PostgreSQL's inet refuses it.
        address = ipaddress.IPv6Address(address.packed)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(address.packed[-4:])
    return address


def _valid(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return str(unmapped(address))


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

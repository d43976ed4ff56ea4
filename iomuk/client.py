"""The address a request came from, seen through the proxies the portal trusts.

Every proxy in front of the portal appends the address of its own peer to X-Forwarded-For, so
with N trusted proxies the client is the Nth entry from the right. Entries further left were
written by the client itself and prove nothing. With no trusted proxy (the default) the header
is ignored: anyone could send it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_THROTTLE_PREFIX = 64  # one household or one server usually holds a whole /64


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _client_ip(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        entries = forwarded.split(",")
        if len(entries) >= hops:
            address = _ip(entries[-hops])
            if address is not None:
                return address
    # No header, a short one (the request did not come through every proxy) or garbage.
    return _ip(peer)


def client_address(request: HttpRequest) -> str:
    """The client's address as the outermost trusted proxy saw it; "" when there is none."""
    address = _client_ip(request)
    return str(address) if address is not None else ""


def client_key(request: HttpRequest) -> str:
    """What throttles count by: the address for IPv4, its /64 network for IPv6 (one host may
    hold billions of addresses in its /64, so counting single ones would limit nothing)."""
    address = _client_ip(request)
    if address is None:
        return ""
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_THROTTLE_PREFIX}", strict=False)
        return str(network)
    return str(address)


def client_lockout_address(request: HttpRequest) -> str | None:
    """django-axes' address (AXES_CLIENT_IP_CALLABLE): like `client_key`, written as one
    address, since axes stores it in an IP field; an IPv6 /64 is named by its first address."""
    key = client_key(request)
    if not key:
        return None
    return key.split("/", 1)[0]

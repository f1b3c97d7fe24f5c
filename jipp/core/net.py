"""The client's address behind zero or more trusted proxies.

`TRUSTED_PROXY_COUNT` (settings, env var of the same name) says how many proxies we run in front
of the app servers. With 0 (the default) the address is REMOTE_ADDR and X-Forwarded-For is
ignored, since anyone can send that header. With N, each of our proxies appended one address to
X-Forwarded-For, so the client is the N-th entry from the right; entries further left were sent
by the client and are not trusted.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as a string ("" when even REMOTE_ADDR is missing or malformed)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not chain:
        return remote
    # Fewer entries than proxies: the request did not come through all of them, so nothing in the
    # header is vouched for (the client may forge anything to the left of our proxies' entries).
    if len(chain) < count:
        return remote
    return _valid(chain[-count]) or remote

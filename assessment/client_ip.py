"""The client's address, the one place it is worked out (sign-in lock-out, API throttles, audit).

Behind TRUSTED_PROXY_COUNT reverse proxies, each of which appends the address it received the
request from to X-Forwarded-For, the client is the entry that many places from the right
(REMOTE_ADDR being the last proxy). Anything further left was written by the client and is
never trusted. TRUSTED_PROXY_COUNT=0 (the default) uses REMOTE_ADDR and ignores the header.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    # chain[-1] is the nearest proxy; each trusted proxy vouches for the entry to its left.
    index = max(len(chain) - 1 - trusted, 0)
    return _valid(chain[index]) or remote

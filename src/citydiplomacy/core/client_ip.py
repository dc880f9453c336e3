"""The client's address, the one rule for it: REMOTE_ADDR, unless settings.TRUSTED_PROXY says how
many reverse proxies in front of the application append to X-Forwarded-For.

Used by the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE) and by every throttle
(core.throttling), so that a client cannot pick its own address with a forged header and, behind
a proxy, the proxy's address is not everybody's.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    if not forwarded:
        return remote
    # each trusted proxy appended the address it was talking to: the client's is `proxies`
    # entries from the end; entries further left were written by the client and are not trusted
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]

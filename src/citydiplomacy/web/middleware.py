"""Response headers about privacy and the idle timeout of web sessions.

- PrivacyHeadersMiddleware: `Permissions-Policy` (settings.PERMISSIONS_POLICY) on every
  response; `Cache-Control: private, no-store` on every response to a signed-in user and on
  every download (Content-Disposition: attachment), so that neither a shared proxy nor the
  browser's back button keeps a copy of internal records.
- IdleSessionMiddleware: a session lasts SESSION_COOKIE_AGE seconds after the user's last
  request. Its expiry is renewed at most every SESSION_RENEW_AFTER_SECONDS (a session write per
  request would cost a database write on every page view), after the view, and only when the
  request loaded the session.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.cache import patch_cache_control

RENEWED_AT = "_renewed_at"


class PrivacyHeadersMiddleware:
    """First in MIDDLEWARE, so that it also sees the answers of the middleware after it
    (static files, redirects, lockout pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # already private (and a cheap 429 need not load the user to know)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if signed_in or download:
            patch_cache_control(response, private=True, no_store=True)
        return response


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # only a session the request used (every signed-in page loads it): an answer given
        # without loading it (core.throttling.BusySessionMiddleware) does not renew it
        if session is not None and session.accessed and session.session_key and "_auth_user_id" in session:
            now = int(time.time())
            if now - int(session.get(RENEWED_AT, 0)) >= settings.SESSION_RENEW_AFTER_SECONDS:
                session[RENEWED_AT] = now  # SessionMiddleware then saves it with a new expiry
        return response

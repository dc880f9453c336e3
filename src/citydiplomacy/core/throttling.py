"""Rate limits and the one-heavy-request-per-user rule, for the API and the web pages.

- API: every call is counted per signed-in user (`user` rate) or, anonymous, per client address
  (`anon` rate); REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] holds the rates (env knobs in settings).
- Heavy work (PDF reports, exports, reconciliation, network statistics, recommendations) has its
  own, lower rate (`heavy` per user, `heavy_anon` per address) and, for signed-in users, a single
  slot: while one heavy request of a user runs, the user's next one is answered at once with 429,
  "a report is already being prepared for you", and Retry-After, instead of taking another
  worker. So one user can occupy at most one worker process whatever they fire. A browser
  session repeating itself meanwhile is answered by BusySessionMiddleware before its session
  is loaded (a 429 costs about as much as /health/).
  Web views use the `heavy` decorator; API views the `HeavyAPIMixin`. Report PDFs are made
  by the task runner: their download is heavy, and the page that waits for one counts against
  the heavy rate only when it starts a production (`rate_wait`).

Counts and slots live in Django's default cache, which is shared by all worker processes
(settings.CACHES: a folder under var/ with an atomic `add`, or a cache server via CACHE_URL).
Client addresses come from core.client_ip (TRUSTED_PROXY).
"""

from __future__ import annotations

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings

from citydiplomacy.core.client_ip import client_ip

# A slot outlives a request only if its worker died mid-request (gunicorn's timeout is 120 s).
SLOT_SECONDS = 130
SLOT_RETRY_AFTER = 3


class _SharedRate:
    """Rates read at call time (tests and deployments may change them) and the trusted address."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class AnonThrottle(_SharedRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserThrottle(_SharedRate, throttling.UserRateThrottle):
    scope = "user"


class ScopedThrottle(_SharedRate, throttling.ScopedRateThrottle):
    """The view's `throttle_scope` (e.g. the token endpoint's `token` rate)."""


class HeavyUserThrottle(_SharedRate, throttling.UserRateThrottle):
    scope = "heavy"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous callers are counted by HeavyAnonThrottle
        return super().get_cache_key(request, view)


class HeavyAnonThrottle(_SharedRate, throttling.AnonRateThrottle):
    scope = "heavy_anon"


def _heavy_throttles():
    return [HeavyUserThrottle(), HeavyAnonThrottle()]


def busy_message() -> str:
    return _("A report is already being prepared for you. Please retry in a moment.")


def rate_message(seconds: int) -> str:
    return _("Too many requests for reports and exports; please retry in %(seconds)d seconds.") % {
        "seconds": seconds}


def _slot_key(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"heavy-slot:user:{user.pk}"
    return None  # anonymous heavy pages are rate-limited per address only


def _busy_key(request) -> str | None:
    session_key = getattr(request, "COOKIES", {}).get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None
    # hashed: the cookie comes from the client (any characters, any length); a cache key must not
    return "heavy-busy:" + hashlib.sha256(session_key.encode("utf-8", "replace")).hexdigest()


def acquire_slot(request) -> str | None | bool:
    """Take the user's heavy slot: its key, None when no slot applies, False when taken.
    The browser session holding it is noted too, for BusySessionMiddleware."""
    key = _slot_key(request)
    if key is None:
        return None
    if not cache.add(key, 1, SLOT_SECONDS):
        return False
    busy = _busy_key(request)
    if busy:
        cache.set(busy, key, SLOT_SECONDS)
        return f"{key}|{busy}"
    return key


def release_slot(key) -> None:
    if key:
        cache.delete_many(key.split("|"))


def rate_wait(request, view=None) -> int | None:
    """Seconds to wait when a heavy rate is exceeded, else None (the request is counted)."""
    waits = [t.wait() for t in _heavy_throttles() if not t.allow_request(request, view)]
    if not waits:
        return None
    return max(1, math.ceil(max((w or 1) for w in waits)))


def too_many(request, message: str, retry_after: int):
    """429 in the user's language: JSON in the API's error shape under /api/, else a page."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"status": 429, "code": "throttled", "message": message,
                                           "details": {}}}, status=429)
    else:
        # render_to_string without the request: no context processors, a page for ~1 ms
        response = HttpResponse(render_to_string("core/too_many.html", {"message": message,
                                                                       "retry_after": retry_after}),
                                status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def heavy(view):
    """Web views doing heavy work: one running request per user (checked first: the cheapest
    answer for a client that repeats itself), then the heavy rate."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = acquire_slot(request)
        if key is False:
            return too_many(request, busy_message(), SLOT_RETRY_AFTER)
        wait = rate_wait(request)
        if wait is not None:
            release_slot(key)
            return too_many(request, rate_message(wait), wait)
        try:
            return view(request, *args, **kwargs)
        finally:
            release_slot(key)

    wrapper.heavy_view = True
    return wrapper


class BusySessionMiddleware:
    """A browser that repeats a heavy request while its report is being made is answered before
    its session and user are even loaded: the cheapest possible 429, so that a burst of them
    does not keep the workers from the login page and everybody else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        heavy_view = getattr(view_func, "heavy_view", False) or getattr(
            getattr(view_func, "cls", None), "heavy_view", False)
        if not heavy_view:
            return None
        busy = _busy_key(request)
        if busy and cache.get(busy):
            return too_many(request, busy_message(), SLOT_RETRY_AFTER)
        return None


class HeavyAPIMixin:
    """DRF views doing heavy work: the user's slot first (the cheapest answer for a client that
    repeats itself), then the heavy rates on top of the usual ones."""

    heavy_view = True

    def get_throttles(self):
        return [*super().get_throttles(), *_heavy_throttles()]

    def check_throttles(self, request):
        key = acquire_slot(request)
        if key is False:
            raise exceptions.Throttled(wait=SLOT_RETRY_AFTER, detail=busy_message())
        try:
            super().check_throttles(request)
        except exceptions.Throttled:
            release_slot(key)
            raise
        self._heavy_slot = key

    def finalize_response(self, request, response, *args, **kwargs):
        release_slot(getattr(self, "_heavy_slot", None))
        self._heavy_slot = None
        return super().finalize_response(request, response, *args, **kwargs)

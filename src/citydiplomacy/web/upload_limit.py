"""Refuse an upload that is too large before its body is read (issue 19 item 6, F13).

Django reads a multipart body in full (to disk) before a view can look at the file's size, so
a 60 MB upload took 1.5 s of the worker before "the limit is 10 MB". This middleware answers
413 from the declared Content-Length alone (Django never reads beyond it), before the
session, the database or the body are touched (in the language the browser asks for): JSON in the API's error shape under /api/,
else a short page.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape

from citydiplomacy.agreements.uploads import upload_too_large

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            with translation.override(translation.get_language_from_request(request)):
                message = upload_too_large(length)
            if message:
                return self._refuse(request, message)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": {"status": 413, "code": "upload_too_large",
                                               "message": message, "details": {}}}, status=413)
        else:
            response = HttpResponse(f"<!doctype html><title>413</title><p>{escape(message)}</p>",
                                    status=413)
        return response

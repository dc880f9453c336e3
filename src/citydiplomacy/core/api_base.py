"""API foundations shared by every app: pagination and one JSON error shape.

Every error answer has the shape
    {"error": {"status": 400, "code": "invalid", "message": "...", "details": {...}}}
Django's ValidationError and PermissionDenied raised by services are translated here,
so services never need to know about HTTP.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler


class StandardPagination(PageNumberPagination):
    """`page` from 1 (past the last page: 404), `page_size` from 1 to 500; anything else is a 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        from citydiplomacy.core.api_contract import int_param

        return int_param(request, self.page_size_query_param, maximum=self.max_page_size,
                         default=self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        from citydiplomacy.core.api_contract import int_param

        int_param(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        from citydiplomacy.core.api_contract import MAX_DATABASE_INT

        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_DATABASE_INT)
        return parameters


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


def _is_nul_in_text(exc) -> bool:
    """PostgreSQL refuses NUL characters in text; a query parameter carrying one is bad input."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc)


def _django_to_drf(exc):
    if _is_nul_in_text(exc):
        return exceptions.ValidationError(
            {"non_field_errors": [_("Text must not contain NUL (\\x00) characters.")]})
    if isinstance(exc, OverflowError):  # a number beyond 64 bits reached the database
        return exceptions.ValidationError(
            {"non_field_errors": [_("A number is too large; ids and counts fit in 64 bits.")]})
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail=detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(detail=str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def field_rule(rule, value, field: str):
    """Run a service's validator on one serializer field: the service's error for `field`
    becomes this field's error, with the message the web forms show."""
    try:
        return rule(value)
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict[field]) from exc


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            text = _first_message(value)
            return text if key in ("detail", "non_field_errors") else f"{key}: {text}"
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def uniform_exception_handler(exc, context):
    exc = _django_to_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    extra = getattr(exc, "extra", None)
    body = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": _first_message(detail),
            "details": detail if isinstance(detail, dict) and set(detail) != {"detail"} else {},
        }
    }
    if extra:
        body["error"].update(extra)
    return Response(body, status=response.status_code, headers=dict(response.items()))

"""The API's published contract: the router every app registers on, the OpenAPI post-processing
that documents what the API really answers, and the checked reading of integer query parameters.

- `ApiRouter`: record ids in paths match digits only (`/api/agreements/abc/` is a 404, never a
  500) and there are no format-suffix routes (`/api/reminders.json` is a 404; `?format=json`
  still works). A viewset with a non-numeric key sets its own `lookup_value_regex`.
- `contract_hook`: every operation documents the JSON error shape for 400/401/403/404/429/503
  (409 on writes), nullable nested objects get a `type`, `oneOf` branches that overlap become
  `anyOf`, and create operations link to their record's operations (schemathesis' stateful
  phase follows these links).
- `int_param`: an integer query parameter within its documented bounds, else a 400.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

# The largest value a 64-bit signed column holds (SQLite INTEGER, PostgreSQL bigint).
MAX_DATABASE_INT = 2**63 - 1


class ApiRouter(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not getattr(viewset, "lookup_value_regex", None):
            viewset.lookup_value_regex = r"[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)


def int_param(request, name: str, *, minimum: int = 1, maximum: int = MAX_DATABASE_INT,
              default: int | None = None) -> int | None:
    """The integer query parameter `name`, or `default` when it is absent; 400 otherwise."""
    value = request.query_params.get(name)
    if value is None:
        return default
    text = value.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or not minimum <= int(text) <= maximum:
        raise serializers.ValidationError({name: [
            _("Give a whole number from %(minimum)s to %(maximum)s.") % {"minimum": minimum,
                                                                         "maximum": maximum}]})
    return int(text)


def parse_date_param(request, name: str) -> dt.date | None:
    """A date query parameter (YYYY-MM-DD) or None when absent; an empty or malformed one is a 400."""
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise serializers.ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from exc


def parse_choice_param(request, name: str, choices) -> str | None:
    """One of `choices`, or None when absent; any other value (also empty) is a 400."""
    value = request.query_params.get(name)
    if value is not None and value not in choices:
        raise serializers.ValidationError({name: [_("Unknown value “%(value)s”; one of: %(choices)s") % {
            "value": value, "choices": ", ".join(choices)}]})
    return value


BOOLEAN_VALUES = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def bool_param(request, name: str, default: bool = False) -> bool:
    """true/false (also 1/0, yes/no); absent is `default`; anything else is a 400."""
    value = request.query_params.get(name)
    if value is None:
        return default
    if value.lower() not in BOOLEAN_VALUES:
        raise serializers.ValidationError({name: [_("Give true or false.")]})
    return BOOLEAN_VALUES[value.lower()]


def int_schema(minimum: int = 1, maximum: int = MAX_DATABASE_INT) -> dict:
    """The OpenAPI schema of an integer query parameter read by `int_param`."""
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this shape. `details` maps a field (or `non_field_errors`) to "
                   "its messages; a 409 adds `rule` and `violations` (a blocked lifecycle step) or "
                   "`current_version` (someone saved the record since you read it).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
                "rule": {"type": "string"},
                "violations": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"rule": {"type": "string"}, "message": {"type": "string"}},
                }},
                "current_version": {"type": "integer"},
            },
            "required": ["status", "code", "message", "details"],
        },
    },
    "required": ["error"],
}

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: a parameter or field is missing, malformed or out of range.",
    "401": "Not signed in: send `Authorization: Token …` (POST /api/auth/token/ gives one).",
    "403": "Your role may not do this.",
    "404": "No such record, or it belongs to another organisation; also a page past the last one.",
    "409": "A rule of the lifecycle blocks this step, or the record changed since you read it.",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
    "503": "The database is not reachable for a moment; retry after `Retry-After` seconds.",
}

# create operation → the operations on the record it made, by path parameter
_LINKED_METHODS = ("get", "patch", "put", "delete")


def _error_response(code: str) -> dict:
    return {"description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _fix_schema(node) -> None:
    """Nullable objects written as {allOf: [$ref], nullable: true} need a type (OAS 3.0.3);
    `oneOf` of two strings (a URL or blank) matches "" twice: it is an `anyOf`."""
    if isinstance(node, dict):
        if node.get("nullable") and "type" not in node and ("allOf" in node or "$ref" in node):
            node["type"] = "object"
        one_of = node.get("oneOf")
        if one_of and all(isinstance(b, dict) and b.get("type") == "string" for b in one_of):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _fix_schema(value)
    elif isinstance(node, list):
        for value in node:
            _fix_schema(value)


def _add_links(paths: dict) -> None:
    for path, item in paths.items():
        create = item.get("post")
        detail = f"{path}{{id}}/"
        if not create or detail not in paths or "201" not in create.get("responses", {}):
            continue
        links = {}
        for method in _LINKED_METHODS:
            operation = paths[detail].get(method)
            if operation:
                links[f"{method.title()}Created"] = {
                    "operationId": operation["operationId"],
                    "parameters": {"id": "$response.body#/id"},
                }
        if links:
            create["responses"]["201"]["links"] = links


def contract_hook(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = copy.deepcopy(ERROR_SCHEMA)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429", "503"]
            if method != "get":
                codes.append("409")
            for code in codes:
                responses.setdefault(code, _error_response(code))
            for parameter in operation.get("parameters", []):
                # the router matches record ids as digits only (ApiRouter)
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    parameter["schema"] = {"type": "integer"}
    for name, component in result["components"]["schemas"].items():
        # optimistic locking: every edit sends the version it read (a missing one is a 400)
        if name.startswith("Patched") and "version" in component.get("properties", {}):
            component["required"] = sorted({*component.get("required", []), "version"})
    _fix_schema(result.get("components", {}).get("schemas", {}))
    _fix_schema(result.get("paths", {}))
    _add_links(result.get("paths", {}))
    return result


class StrictCharField(serializers.CharField):
    """Text where text is expected: a number or a boolean sent for a text field is a 400, not
    silently turned into text (DRF's CharField converts them)."""

    def to_internal_value(self, data):
        if isinstance(data, bool | int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


# Model text columns become strict text fields in every ModelSerializer of the API.
serializers.ModelSerializer.serializer_field_mapping[models.CharField] = StrictCharField
serializers.ModelSerializer.serializer_field_mapping[models.TextField] = StrictCharField

"""OpenAPI post-processing: document the error answers every operation can give.

drf-spectacular documents the success answer only, so a client (and schemathesis) meets undocumented
400s (bad filter or page, invalid body), 401/403 (not allowed), 404 (no such object or not visible)
and 429 (rate limit). This hook adds them to every operation with one shared `Error` schema.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused: `detail`, or one list of messages per field.",
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input: a filter, the page, or the body (messages per field).",
    "401": "Authentication required (or the token is invalid).",
    "403": "Not allowed for this account.",
    "404": "No such object, or not visible to this account.",
    "429": "Too many requests from this address (see Retry-After).",
}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result


# ---------------------------------------------------------------------------------------
# Field types as the data really is
# ---------------------------------------------------------------------------------------

from django.core.exceptions import FieldDoesNotExist  # noqa: E402
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema  # noqa: E402
from rest_framework import serializers  # noqa: E402


def _model_field(field):
    """The model field behind a ModelSerializer field (None for computed or nested sources)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


class AutoSchema(SpectacularAutoSchema):
    """Read-only fields say what the model allows: nullable when the column is, "" allowed (in enums,
    URLs and emails too) when the field may be blank. drf-spectacular infers both only for writable
    fields, so read-only foreign keys were typed as plain strings and blank choices failed their enum."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        model_field = _model_field(field)
        if model_field is not None and field.read_only:
            if getattr(model_field, "null", False):
                field.allow_null = True
            if getattr(model_field, "blank", False) and isinstance(
                field, serializers.CharField | serializers.ChoiceField
            ):
                field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if getattr(field, "allow_blank", False) and schema.get("format") in ("uri", "email"):
            text = {k: v for k, v in schema.items() if k not in ("readOnly", "writeOnly", "description", "title")}
            outer = {k: v for k, v in schema.items() if k in ("readOnly", "writeOnly", "description", "title")}
            schema = {"anyOf": [text, {"type": "string", "maxLength": 0}], **outer}
        return schema

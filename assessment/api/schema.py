"""OpenAPI additions: the error body, documented on every operation, and path converters."""

from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

ERROR_ITEM = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable machine-readable code."},
        "message": {"type": "string", "description": "In the caller's language."},
        "field": {
            "type": "string",
            "description": "Path of the offending input (e.g. answers[3].value), or empty.",
        },
    },
    "required": ["code", "message", "field"],
}
ERROR = {
    "type": "object",
    "properties": {
        **ERROR_ITEM["properties"],
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/ErrorItem"},
            "description": "Every error, when the input had several.",
        },
        "detail": {
            "type": "object",
            "additionalProperties": True,
            "description": "Machine-readable detail where there is some, e.g. for an answer "
            "version conflict the current value, version, author and time of each answer.",
        },
    },
    "required": ["code", "message", "field"],
}
_ERROR_RESPONSES = {
    "400": _("The input is invalid (see field)."),
    "401": _("No valid credentials (session or API token)."),
    "403": _("Your role may not do this."),
    "404": _("It does not exist or is outside your scope."),
    "429": _("Too many requests; wait for Retry-After seconds."),
}
_WRITE_ERROR_RESPONSES = {
    "409": _("The state or a version changed meanwhile; re-read and retry."),
    "415": _("Unsupported media type."),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the Error component on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorItem"] = ERROR_ITEM
    schemas["Error"] = ERROR
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            wanted = dict(_ERROR_RESPONSES)
            if method in ("post", "put", "patch", "delete"):
                wanted.update(_WRITE_ERROR_RESPONSES)
            for status, description in wanted.items():
                responses.setdefault(
                    status,
                    {
                        "description": str(description),
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result


class IdConverter:
    """A database id: 1 to 18 digits (larger numbers are not ids; they 404 like any other)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

"""One error format for the whole API: {"code", "message", "field"} (+ "errors" for several).

`code` is stable and machine-readable, `message` is translated into the caller's language
(Accept-Language or the language cookie), `field` is the path of the offending input
(`answers[3].value`) or "" when the error is not about one field.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from assessment.errors import ApplicationError

NON_FIELD = "non_field_errors"


def error_body(code: str, message, field: str = "") -> dict:
    return {"code": str(code), "message": str(message), "field": field}


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key in (NON_FIELD, "detail"):
        return path
    return f"{path}.{key}" if path else str(key)


def flatten_validation_errors(detail, path: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of errors with field paths."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in flatten_validation_errors(value, _join(path, key))
        ]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [
                error_body(getattr(item, "code", None) or "invalid", item, path) for item in detail
            ]
        # A list of per-item errors (a list serializer): empty dicts are items without errors.
        return [
            error
            for index, value in enumerate(detail)
            if value
            for error in flatten_validation_errors(value, _join(path, index))
        ]
    return [error_body(getattr(detail, "code", None) or "invalid", detail, path)]


def _validation_response(detail) -> dict:
    errors = flatten_validation_errors(detail) or [error_body("invalid", _("Invalid input."))]
    if len(errors) == 1:
        return {**errors[0], "errors": errors}
    return {
        "code": "invalid",
        "message": _("%(count)d fields are invalid; see errors.") % {"count": len(errors)},
        "field": "",
        "errors": errors,
    }


def api_exception_handler(exc, context):
    """REST_FRAMEWORK['EXCEPTION_HANDLER']: every refusal in the one format, never a 500."""
    headers = {}
    if isinstance(exc, ApplicationError):
        body, code = error_body(exc.code, exc.message, exc.field), exc.status
        if exc.params:
            body["detail"] = exc.params
        if getattr(exc, "errors", None):
            body["errors"] = exc.errors
    elif isinstance(exc, Http404):
        body = error_body("not_found", _("That resource does not exist or you may not see it."))
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, DjangoPermissionDenied):
        body = error_body("permission_denied", _("You may not do this."))
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, exceptions.ValidationError):
        body, code = _validation_response(exc.detail), status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, (list, dict)):
            body = _validation_response(detail)
            body["code"] = exc.default_code
        else:
            body = error_body(getattr(detail, "code", None) or exc.default_code, detail)
        code = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    set_rollback()
    return Response(body, status=code, headers=headers)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that matches nothing: a JSON 404, not the HTML page."""
    return JsonResponse(
        error_body("not_found", _("That resource does not exist or you may not see it.")),
        status=404,
    )

"""The one application error type: a machine code, a translatable message, an optional field."""

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A refused request. Views turn it into a message on the page; the API into its error body.

    `code` is stable (clients branch on it); `message` is a lazily translated string, rendered
    in the reader's language; `field` is the path of the offending input where there is one.
    """

    status = 400

    def __init__(self, code: str, message: str | Promise, *, field: str = "", params=None):
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field
        self.params = params or {}

    def __str__(self):
        return str(self.message)


class PermissionDenied(ApplicationError):
    status = 403


class NotFound(ApplicationError):
    status = 404


class Conflict(ApplicationError):
    """A write based on a stale version."""

    status = 409


class TooManyRequests(ApplicationError):
    """A quota or rate was reached; the client may try again later."""

    status = 429

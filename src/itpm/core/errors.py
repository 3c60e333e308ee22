"""Errors raised by services; the API, the pages and the CLI each translate them once."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """Does not exist, or exists in a project the caller may not see: the two are indistinguishable."""

    status = 404

    def __init__(self, what: str = "object") -> None:
        super().__init__(f"{what} not found")


class Forbidden(ServiceError):
    """The caller may see the object but may not do this to it."""

    status = 403


class Invalid(ServiceError):
    """Bad input; `field` names the field at fault, `errors` holds every field's messages."""

    status = 422

    def __init__(self, message: str, field: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message, field)
        self.errors = errors or ({field: [message]} if field else {})


class Conflict(ServiceError):
    status = 409

"""Service errors become pages here, once: NotFound → 404, Forbidden → 403, Invalid → form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from itpm.core.errors import Forbidden, Invalid, NotFound

View = TypeVar("View", bound=Callable[..., Any])


def service_errors(view: View) -> View:
    """Raise Django's own 404/403, so a hidden project gets the very page a missing one gets."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotFound as missing:
            raise Http404 from missing
        except Forbidden as refused:
            raise PermissionDenied from refused

    return wrapper  # type: ignore[return-value]


def _form_field(form: forms.BaseForm, name: str) -> str | None:
    """The form field for a service field name (manager_id → manager); None for a form-wide error."""
    for candidate in (name, name.removesuffix("_id")):
        if candidate in form.fields:
            return candidate
    return None


def _without_prefix(name: str, message: str) -> str:
    """Services prefix single-field messages with the field ("budget: ..."); the form shows the field."""
    for prefix in (f"{name}: ", f"{name.removesuffix('_id')}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def apply_invalid(form: forms.BaseForm, error: Invalid) -> None:
    """Show each of the service's messages next to the field it names."""
    errors = error.errors or {"__all__": [error.message]}
    for name, messages in errors.items():
        field = None if name == "__all__" else _form_field(form, name)
        for message in messages:
            form.add_error(field, _without_prefix(name, message))

"""One way to validate and save a model from user input, so every channel gets the same checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from itpm.core.errors import Invalid

M = TypeVar("M", bound=models.Model)


def invalid_from(error: ValidationError) -> Invalid:
    """Turn Django's ValidationError into Invalid, naming the first field at fault."""
    errors: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            errors[field] = [str(p) for p in problems]
    else:
        errors["__all__"] = [str(m) for m in error.messages]
    field, problems = next(iter(errors.items()))
    label = "" if field == "__all__" else f"{field}: "
    return Invalid(f"{label}{problems[0]}", field=None if field == "__all__" else field, errors=errors)


def assign_fields(instance: M, data: Mapping[str, Any], writable: set[str]) -> M:
    """Copy writable fields onto the instance; anything else in the input is refused by name."""
    for name in data:
        if name not in writable:
            raise Invalid(f"{name}: this field cannot be set", field=name)
    for name, value in data.items():
        setattr(instance, name, value)
    return instance


def validate_and_save(instance: M, exclude: list[str] | None = None) -> M:
    """Run model validation (field types, choices, constraints), then save."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise invalid_from(error) from error
    instance.save()
    instance.refresh_from_db()  # answer with what was stored (decimals quantised, defaults set)
    return instance

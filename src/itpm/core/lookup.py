"""Fetching one object through a user's visible queryset: the services' `access_*` helpers share it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from itpm.core.errors import NotFound


def one_visible(queryset: QuerySet[Any], pk: int, what: str) -> Any:
    """The object `pk` of `queryset` (already narrowed to what the user may see); NotFound naming
    `what` otherwise, so an invisible object answers exactly as a missing one."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(what)
    return found

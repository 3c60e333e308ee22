"""Shared API machinery: authentication, error shape, pagination and a CRUD route builder.

Every error the API returns has the same JSON shape: {"detail": "<field>: <problem>",
"field": "<field or null>", "errors": {...}}. Handlers stay a few lines: parse, call one
service, serialise.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations of the
# handlers built below at definition time, and they refer to closure variables.
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth
from pydantic import ConfigDict, Field, create_model

from itpm.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """Authorization: Bearer itpm_… for scripts."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user  # so history rows record who made the change
        return user


API_AUTH = [TokenAuth(), SessionAuth(csrf=True)]


class InputSchema(Schema):
    """Input bodies refuse unknown and server-owned fields by name instead of ignoring them."""

    model_config = ConfigDict(extra="forbid")


class Pagination(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=settings.ITPM_API_MAX_PAGE_SIZE)


def page_of(queryset: QuerySet[Any], pagination: Pagination) -> dict[str, Any]:
    count = queryset.count()
    offset = (pagination.page - 1) * pagination.page_size
    return {
        "count": count,
        "page": pagination.page,
        "page_size": pagination.page_size,
        "pages": max(1, math.ceil(count / pagination.page_size)),
        "results": list(queryset[offset : offset + pagination.page_size]),
    }


def page_schema(item: type[Schema]) -> type[Schema]:
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        pages=(int, ...),
        results=(list[item], ...),  # type: ignore[valid-type]
    )


def acting_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Crud:
    """The five operations of one resource, each a service call."""

    name: str
    out: type[Schema]
    create_in: type[Schema]
    update_in: type[Schema]
    filters: type[FilterSchema]
    visible: Callable[[Any], QuerySet[Any]]
    access: Callable[[Any, int], Any]
    create: Callable[[Any, dict[str, Any]], Any]
    update: Callable[[Any, Any, dict[str, Any]], Any]
    delete: Callable[[Any, Any], None]
    order_by: tuple[str, ...] = ("id",)


def add_crud(router: Router, path: str, crud: Crud) -> None:
    """Register list/get/create/update/delete routes for one resource on the router."""
    page_out = page_schema(crud.out)
    out, create_in, update_in, filters = crud.out, crud.create_in, crud.update_in, crud.filters
    tag = [crud.name]

    @router.get(
        path, response=page_out, summary=f"List {crud.name}", tags=tag, operation_id=f"list_{crud.name}"
    )
    def list_items(request: HttpRequest, filter: Query[filters], paging: Query[Pagination]):  # type: ignore[valid-type]
        queryset = filter.filter(crud.visible(acting_user(request))).order_by(*crud.order_by)  # type: ignore[attr-defined]
        return page_of(queryset, paging)

    @router.get(
        f"{path}/{{item_id}}",
        response=out,
        summary=f"Get one of {crud.name}",
        tags=tag,
        operation_id=f"get_{crud.name}",
    )
    def get_item(request: HttpRequest, item_id: int):
        return crud.access(acting_user(request), item_id)

    @router.post(
        path,
        response={201: out},
        summary=f"Create one of {crud.name}",
        tags=tag,
        operation_id=f"create_{crud.name}",
    )
    def create_item(request: HttpRequest, payload: create_in):  # type: ignore[valid-type]
        return Status(201, crud.create(acting_user(request), payload.dict(exclude_unset=True)))  # type: ignore[attr-defined]

    @router.patch(
        f"{path}/{{item_id}}",
        response=out,
        summary=f"Update one of {crud.name}",
        tags=tag,
        operation_id=f"update_{crud.name}",
    )
    def update_item(request: HttpRequest, item_id: int, payload: update_in):  # type: ignore[valid-type]
        user = acting_user(request)
        return crud.update(user, crud.access(user, item_id), payload.dict(exclude_unset=True))  # type: ignore[attr-defined]

    @router.delete(
        f"{path}/{{item_id}}",
        response={204: None},
        summary=f"Delete one of {crud.name}",
        tags=tag,
        operation_id=f"delete_{crud.name}",
    )
    def delete_item(request: HttpRequest, item_id: int):
        user = acting_user(request)
        crud.delete(user, crud.access(user, item_id))
        return Status(204, None)


def versioned(update: Callable[..., Any]) -> Callable[[Any, Any, dict[str, Any]], Any]:
    """Adapt an update service taking lock_version as its own argument to the Crud shape."""

    def call(user: Any, item: Any, data: dict[str, Any]) -> Any:
        version = data.pop("lock_version", None)
        return update(user, item, data, version)

    return call

"""REST routes for the caller's own account: who am I, and API tokens."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from itpm.accounts import services
from itpm.core.api import InputSchema, acting_user

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    is_admin: bool


class TokenIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    days_valid: int | None = Field(None, ge=1, le=3650)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked: bool


class NewTokenOut(TokenOut):
    token: str = Field(..., description="Shown once; only a hash is stored.")


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user = acting_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "is_admin": user.is_superuser,
    }


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> Any:
    return list(services.my_tokens(acting_user(request)))


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = services.check_create_token(acting_user(request), payload.name, payload.days_valid)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    services.check_revoke_token(acting_user(request), token_id)
    return Status(204, None)

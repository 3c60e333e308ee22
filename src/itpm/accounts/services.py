"""API tokens: created for a user, shown once, stored hashed, revocable, optionally expiring."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from itpm.accounts.models import ApiToken, hash_token
from itpm.core.errors import Invalid, NotFound

TOKEN_PREFIX = "itpm_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for, not a secret


def check_create_token(user: Any, name: str, days_valid: int | None = None) -> tuple[ApiToken, str]:
    """Returns the stored token and the raw secret, which is never stored and shown only now."""
    if not name or not name.strip():
        raise Invalid("name: a token needs a name", field="name")
    if len(name) > 100:
        raise Invalid("name: at most 100 characters", field="name")
    if days_valid is not None and not 1 <= days_valid <= 3650:
        raise Invalid("days_valid: between 1 and 3650 days", field="days_valid")
    return do_create_token(user, name.strip(), days_valid)


@transaction.atomic
def do_create_token(user: Any, name: str, days_valid: int | None = None) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=days_valid) if days_valid else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw), expires_at=expires
    )
    return token, raw


def user_for_token(raw: str) -> Any | None:
    """The active user owning a valid, unrevoked, unexpired token; None otherwise."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def my_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def check_revoke_token(user: Any, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user).update(revoked=True)
    if not updated:
        raise NotFound("token")

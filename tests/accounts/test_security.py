"""Account security basics: argon2id hashes, lockout, session rotation, response headers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import PASSWORD, World


def test_passwords_are_stored_as_argon2id(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("hashme", password="canary-password-8812")
    algorithm, variant, *_ = user.password.split("$")
    assert algorithm == "argon2" and variant == "argon2id"
    assert "canary-password-8812" not in user.password


def test_ten_failures_lock_the_account(world: World) -> None:
    client = Client()
    for _ in range(10):
        response = client.post("/login/", {"username": "pm", "password": "wrong-password"})
        assert response.status_code in (200, 403, 429)
    locked = client.post("/login/", {"username": "pm", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert locked.status_code in (403, 429)


def test_a_good_login_rotates_the_session(world: World) -> None:
    client = Client()
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    response = client.post("/login/", {"username": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"
    assert client.session["_auth_user_id"] == str(world.pm.pk)


@pytest.mark.parametrize("path", ["/login/", "/api/v1/openapi.json", "/api/v1/projects", "/no-such-page/"])
def test_security_headers_on_every_response(world: World, path: str) -> None:
    response = Client().get(path)
    policy = response.headers.get("Content-Security-Policy", "")
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy and "frame-ancestors" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only(world: World) -> None:
    client = Client()
    client.post("/login/", {"username": "pm", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

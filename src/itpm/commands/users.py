"""itpm createuser: add a user who can sign in, the password checked by Django's validators."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from itpm.commands.errors import EXIT_OK, EXIT_USAGE, CommandError
from itpm.commands.server import setup_django


def cmd_createuser(options: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    user_model = get_user_model()
    candidate = user_model(username=options.username, email=options.email)
    _validate_identity(candidate)
    if user_model._default_manager.filter(username=options.username).exists():
        raise CommandError(f"a user named {options.username!r} already exists", EXIT_USAGE)
    password = _read_password(options.password_stdin)
    _validate_password(password, candidate)
    try:
        with transaction.atomic():
            manager: Any = user_model._default_manager
            create = manager.create_superuser if options.admin else manager.create_user
            create(options.username, options.email, password)
    except IntegrityError as error:
        raise CommandError(f"a user named {options.username!r} already exists", EXIT_USAGE) from error
    role = "administrator" if options.admin else "user"
    print(f"Created {role} {options.username!r}.")
    return EXIT_OK


def _validate_identity(candidate: Any) -> None:
    from django.core.exceptions import ValidationError

    try:
        candidate.clean_fields(exclude=["password"])
    except ValidationError as error:
        problems = [f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
        raise CommandError("; ".join(problems), EXIT_USAGE) from error


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input", EXIT_USAGE)
        return password
    import getpass

    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        raise CommandError("the two passwords differ", EXIT_USAGE)
    return password


def _validate_password(password: str, candidate: Any) -> None:
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise CommandError("password refused: " + " ".join(error.messages), EXIT_USAGE) from error

"""`itpm check` and the health checks `itpm serve` runs before it starts.

Django is imported inside each function: importing this module costs nothing, so the CLI can
import it at start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from itpm import __version__


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def database_label() -> str:
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {config['NAME']}"
    where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 'default port'}"
    return f"{connection.display_name} database {config['NAME']!r} on {where}"


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


_SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
# pragma, whether the value is acceptable, what is required (rule 13 of SECURITY-TESTS.md)
_SQLITE_REQUIREMENTS: tuple[tuple[str, Callable[[Any], bool], str], ...] = (
    ("journal_mode", lambda value: str(value).lower() == "wal", "wal"),
    ("synchronous", lambda value: int(value) >= 2, "2 = FULL"),
    ("foreign_keys", lambda value: int(value) == 1, "1 = on"),
    ("busy_timeout", lambda value: int(value) > 0, "more than 0 ms"),
)
_POSTGRESQL_REQUIREMENTS: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("fsync", lambda value: value == "on", "on"),
    # every value but "off" flushes the WAL to the local disk before a commit returns
    ("synchronous_commit", lambda value: value != "off", "on"),
    ("full_page_writes", lambda value: value == "on", "on"),
)


@dataclass
class Health:
    """What `itpm check` found: lines to report, and problems that make the exit status 1."""

    report: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def setting(self, vendor: str, name: str, value: object, acceptable: bool, required: str) -> None:
        self.report.append(f"  {name}: {value} ({'ok' if acceptable else 'must be ' + required})")
        if not acceptable:
            self.problems.append(f"{vendor} {name} is {value}; it must be {required}")


def check_database(health: Health) -> bool:
    """Checks the database's durability settings; returns whether it could be reached."""
    from django.db import DatabaseError, connection

    health.report.append(f"database: {database_label()}")
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        health.problems.append(f"cannot connect to the database: {one_line(error)}")
        return False
    if connection.vendor == "sqlite":
        _check_sqlite(health)
    elif connection.vendor == "postgresql":
        _check_postgresql(health)
    else:
        health.problems.append(f"unsupported database {connection.vendor!r}: use SQLite or PostgreSQL")
    return True


def _check_sqlite(health: Health) -> None:
    import sqlite3

    from django.db import connection

    health.report.append(f"  SQLite version: {sqlite3.sqlite_version}")
    with connection.cursor() as cursor:
        for name, acceptable, required in _SQLITE_REQUIREMENTS:
            cursor.execute(f"PRAGMA {name}")  # names come from the constant table above
            value = cursor.fetchone()[0]
            shown = f"{value} = {_SYNCHRONOUS.get(value, '?')}" if name == "synchronous" else value
            health.setting("SQLite", name, shown, acceptable(value), required)


def _check_postgresql(health: Health) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        health.report.append(f"  reachable: yes, PostgreSQL {cursor.fetchone()[0]}")
        cursor.execute("SHOW server_version_num")
        if int(cursor.fetchone()[0]) < 150000:
            health.problems.append("PostgreSQL 15 or later is required")
        for name, acceptable, required in _POSTGRESQL_REQUIREMENTS:
            cursor.execute(f"SHOW {name}")  # names come from the constant table above
            value = cursor.fetchone()[0]
            health.setting("PostgreSQL", name, value, acceptable(value), required)


def check_migrations(health: Health) -> None:
    pending = pending_migrations()
    health.report.append(f"migrations: {len(pending)} not applied" if pending else "migrations: all applied")
    if pending:
        health.problems.append(f"{len(pending)} migration(s) not applied: run 'itpm migrate'")


def check_app_loads(health: Health) -> bool:
    """Imports every view now: a missing module must stop `serve`, not fail each request."""
    from django.urls import get_resolver

    try:
        get_resolver().url_patterns  # noqa: B018 - the import is the check
    except Exception as error:
        health.problems.append(f"the app does not load: {one_line(error)}")
        return False
    health.report.append("app: every view imports")
    return True


def check_django(health: Health) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    output = StringIO()
    try:
        call_command("check", stdout=output, stderr=output)
    except SystemCheckError as error:
        output.write(str(error))
        health.problems.append("Django's system checks found errors (listed above)")
    except Exception as error:
        health.problems.append(f"Django's system checks could not run: {one_line(error)}")
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    health.report.append("system checks:" + "".join(f"\n  {line}" for line in lines or ["no issues"]))


def print_settings() -> None:
    from django.conf import settings

    print(f"itpm {__version__}")
    print(f"data folder: {settings.DATA_DIR}")
    secret = "ITPM_SECRET_KEY" if os.environ.get("ITPM_SECRET_KEY") else "secret.key in the data folder"
    print(f"secret key: from {secret}")
    print(f"debug: {'on' if settings.DEBUG else 'off'}")
    print(f"allowed hosts: {', '.join(settings.ALLOWED_HOSTS) or '(none)'}")
    print(f"secure cookies: {'on' if settings.SESSION_COOKIE_SECURE else 'off'}")
    print(f"time zone: {settings.TIME_ZONE}")


def run_check() -> int:
    print_settings()
    health = Health()
    if check_database(health):
        check_migrations(health)
    if check_app_loads(health):
        check_django(health)
    print("\n".join(health.report))
    print("healthy" if not health.problems else f"{len(health.problems)} problem(s) found", flush=True)
    print_problems(health)
    return 1 if health.problems else 0


def print_problems(health: Health) -> None:
    for problem in health.problems:
        print(f"problem: {problem}", file=sys.stderr)


def warn_pending_migrations() -> None:
    pending = pending_migrations()
    if pending:
        print(
            f"itpm: warning: {len(pending)} migration(s) not applied: run 'itpm migrate'",
            file=sys.stderr,
        )

"""The `itpm` command: serve, demo, migrate, createuser, check and manage.

Django is imported only inside the commands that need it, so that commands which do
not (--help, --version, and later `itpm schedule`) start in a few milliseconds.
Exit codes: 0 success, 1 a problem found or an operation failed, 2 bad input,
130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from itpm import __version__

SETTINGS_MODULE = "itpm.config.settings"
EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class CommandError(Exception):
    """A failure told in one line on stderr; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_PROBLEM) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """Reports bad input in one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(message, EXIT_USAGE)


class _HelpFormatter(argparse.HelpFormatter):
    """Keeps each command's help on its line: argparse forgets that commands are indented."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction):
            self._action_max_length += 2


# ---------------------------------------------------------------- arguments


def _port(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, not {text!r}")
    return value


def _workers(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port, 1-65535 (8000)")
    parser.add_argument("--workers", type=_workers, default=2, help="worker processes (2)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="itpm",
        description="itpm: plan, track, forecast, warn and report across a portfolio of IT projects.",
        allow_abbrev=False,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"itpm {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(name: str, summary: str, handler: Callable[[argparse.Namespace], int]) -> Any:
        sub = commands.add_parser(name, help=summary, description=summary, allow_abbrev=False)
        sub.set_defaults(handler=handler)
        return sub

    _add_server_options(command("serve", "serve the web app and the API", _cmd_serve))
    demo = command("demo", "migrate, load a demo portfolio with logins, and serve it", _cmd_demo)
    _add_server_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="load the demo data, then stop")
    command("migrate", "create or update the database tables", _cmd_migrate)
    user = command("createuser", "add a user who can sign in", _cmd_createuser)
    user.add_argument("username")
    user.add_argument("--email", default="", help="e-mail address")
    user.add_argument("--admin", action="store_true", help="make the user an administrator")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    command("check", "check the configuration and the database's health", _cmd_check)
    # main() hands `manage ...` to Django before parsing, so that Django sees every option.
    manage = command("manage", "run a Django management command (itpm manage help)", _cmd_manage)
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["manage"]:
            return _manage(arguments[1:])
        options = build_parser().parse_args(arguments)
        if options.command is None:
            raise CommandError("a command is required; see 'itpm --help'", EXIT_USAGE)
        return int(options.handler(options))
    except CommandError as error:
        print(f"itpm: error: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        if sys.stderr.isatty():
            print(file=sys.stderr)  # end the line that ^C was echoed on
        return EXIT_INTERRUPTED
    except SystemExit as stop:  # --help, --version, gunicorn and Django's own exits
        return _exit_status(stop.code)
    except Exception as error:
        if os.environ.get("ITPM_DEBUG") == "1":
            raise
        print(f"itpm: error: {_one_line(error)} (ITPM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_PROBLEM


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_PROBLEM


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# ---------------------------------------------------------------- Django helpers


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def _database_label() -> str:
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {config['NAME']}"
    where = f"{config.get('HOST') or 'local socket'}:{config.get('PORT') or 'default port'}"
    return f"{connection.display_name} database {config['NAME']!r} on {where}"


def _pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _migrate() -> str:
    from django.core.management import call_command

    pending = _pending_migrations()
    call_command("migrate", interactive=False, verbosity=0)
    if not pending:
        return f"The database is up to date ({_database_label()})."
    return f"Applied {len(pending)} migration(s) to {_database_label()}."


# ---------------------------------------------------------------- database health


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


def _check_database(health: Health) -> bool:
    """Checks the database's durability settings; returns whether it could be reached."""
    from django.db import DatabaseError, connection

    health.report.append(f"database: {_database_label()}")
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        health.problems.append(f"cannot connect to the database: {_one_line(error)}")
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


def _check_migrations(health: Health) -> None:
    pending = _pending_migrations()
    health.report.append(f"migrations: {len(pending)} not applied" if pending else "migrations: all applied")
    if pending:
        health.problems.append(f"{len(pending)} migration(s) not applied: run 'itpm migrate'")


def _check_app_loads(health: Health) -> bool:
    """Imports every view now: a missing module must stop `serve`, not fail each request."""
    from django.urls import get_resolver

    try:
        get_resolver().url_patterns  # noqa: B018 - the import is the check
    except Exception as error:
        health.problems.append(f"the app does not load: {_one_line(error)}")
        return False
    health.report.append("app: every view imports")
    return True


def _check_django(health: Health) -> None:
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
        health.problems.append(f"Django's system checks could not run: {_one_line(error)}")
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    health.report.append("system checks:" + "".join(f"\n  {line}" for line in lines or ["no issues"]))


def _print_settings() -> None:
    from django.conf import settings

    print(f"itpm {__version__}")
    print(f"data folder: {settings.DATA_DIR}")
    secret = "ITPM_SECRET_KEY" if os.environ.get("ITPM_SECRET_KEY") else "secret.key in the data folder"
    print(f"secret key: from {secret}")
    print(f"debug: {'on' if settings.DEBUG else 'off'}")
    print(f"allowed hosts: {', '.join(settings.ALLOWED_HOSTS) or '(none)'}")
    print(f"secure cookies: {'on' if settings.SESSION_COOKIE_SECURE else 'off'}")
    print(f"time zone: {settings.TIME_ZONE}")


# ---------------------------------------------------------------- commands


def _cmd_check(options: argparse.Namespace) -> int:
    _setup_django()
    _print_settings()
    health = Health()
    if _check_database(health):
        _check_migrations(health)
    if _check_app_loads(health):
        _check_django(health)
    print("\n".join(health.report))
    print("healthy" if not health.problems else f"{len(health.problems)} problem(s) found", flush=True)
    _print_problems(health)
    return EXIT_PROBLEM if health.problems else EXIT_OK


def _print_problems(health: Health) -> None:
    for problem in health.problems:
        print(f"problem: {problem}", file=sys.stderr)


def _cmd_migrate(options: argparse.Namespace) -> int:
    _setup_django()
    print(_migrate())
    return EXIT_OK


def _cmd_manage(options: argparse.Namespace) -> int:
    return _manage(options.arguments)


def _manage(arguments: list[str]) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["itpm manage", *arguments])
    return EXIT_OK


def _cmd_createuser(options: argparse.Namespace) -> int:
    _setup_django()
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


def _cmd_serve(options: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command
    from django.db import connections

    health = Health()  # rule 13: refuse to serve from a database that could lose commits
    if _check_database(health):
        _warn_pending_migrations()
    _check_app_loads(health)
    if health.problems:
        _print_problems(health)
        raise CommandError("not serving; see 'itpm check'")
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # each worker opens its own connections after the fork
    _run_gunicorn(options.host, options.port, options.workers)
    return EXIT_OK


def _warn_pending_migrations() -> None:
    pending = _pending_migrations()
    if pending:
        print(
            f"itpm: warning: {len(pending)} migration(s) not applied: run 'itpm migrate'",
            file=sys.stderr,
        )


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn import arbiter as gunicorn_arbiter
    from gunicorn.app.base import BaseApplication

    url = _url(host, port)

    def when_ready(server: Any) -> None:
        print(f"itpm is running at {url}", flush=True)

    options = {
        "bind": url.removeprefix("http://").rstrip("/"),
        "workers": workers,
        "timeout": 60,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "itpm",
        "when_ready": when_ready,
        # gunicorn >= 25.1 opens a control socket at one shared path per user; several
        # itpm servers on one machine would fight over it, and itpm does not use it.
        "control_socket_disable": True,
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from itpm.config.wsgi import application

            return application

    class Arbiter(gunicorn_arbiter.Arbiter):  # type: ignore[misc]
        interrupted = False

        def handle_int(self) -> None:
            # Like SIGTERM: let the workers finish the requests in hand, then exit 130.
            Arbiter.interrupted = True
            self.handle_term()

    try:
        Arbiter(Server()).run()  # shuts the workers down gracefully, then exits
    except SystemExit:
        if Arbiter.interrupted:  # Ctrl-C: report it like any other command does
            raise KeyboardInterrupt from None
        raise


def _cmd_demo(options: argparse.Namespace) -> int:
    _setup_django()
    print(_migrate())
    from itpm.demo import load_demo

    summary = load_demo()
    verb = "Loaded" if summary.created else "Kept the already loaded"
    print(
        f"{verb} demo portfolio: {summary.projects} projects, {summary.tasks} tasks, {summary.people} people."
    )
    print(f"Open {_url(options.host, options.port)} and sign in as one of:")
    _print_table(("username", "password", "who"), summary.logins)
    if options.no_serve:
        print(f"Start the server with: itpm serve{_server_options(options)}")
        return EXIT_OK
    return _cmd_serve(options)


def _server_options(options: argparse.Namespace) -> str:
    defaults = {"host": "127.0.0.1", "port": 8000, "workers": 2}
    changed = [
        f" --{name} {getattr(options, name)}"
        for name, value in defaults.items()
        if getattr(options, name) != value
    ]
    return "".join(changed)


def _print_table(header: tuple[str, ...], rows: Sequence[Sequence[str]]) -> None:
    table = [header, *[tuple(str(cell) for cell in row) for row in rows]]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    for number, row in enumerate(table):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  " + "  ".join("-" * width for width in widths))

"""The commands that run on the database: check, migrate, manage, serve (gunicorn) and demo."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import Any

from itpm.commands.errors import EXIT_OK, CommandError

SETTINGS_MODULE = "itpm.config.settings"


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def migrate() -> str:
    from django.core.management import call_command

    from itpm.health import database_label, pending_migrations

    pending = pending_migrations()
    call_command("migrate", interactive=False, verbosity=0)
    if not pending:
        return f"The database is up to date ({database_label()})."
    return f"Applied {len(pending)} migration(s) to {database_label()}."


def cmd_check(options: argparse.Namespace) -> int:
    setup_django()
    from itpm.health import run_check

    return run_check()


def cmd_migrate(options: argparse.Namespace) -> int:
    setup_django()
    print(migrate())
    return EXIT_OK


def cmd_manage(options: argparse.Namespace) -> int:
    return manage(options.arguments)


def manage(arguments: list[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["itpm manage", *arguments])
    return EXIT_OK


def cmd_serve(options: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connections

    from itpm.health import Health, check_app_loads, check_database, print_problems, warn_pending_migrations

    health = Health()  # rule 13: refuse to serve from a database that could lose commits
    if check_database(health):
        warn_pending_migrations()
    check_app_loads(health)
    if health.problems:
        print_problems(health)
        raise CommandError("not serving; see 'itpm check'")
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # each worker opens its own connections after the fork
    _run_gunicorn(options.host, options.port, options.workers)
    return EXIT_OK


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _gunicorn_options(url: str, workers: int) -> dict[str, Any]:
    def when_ready(server: Any) -> None:
        print(f"itpm is running at {url}", flush=True)

    return {
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


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn import arbiter as gunicorn_arbiter
    from gunicorn.app.base import BaseApplication

    options = _gunicorn_options(_url(host, port), workers)

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


def cmd_demo(options: argparse.Namespace) -> int:
    setup_django()
    print(migrate())
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
    return cmd_serve(options)


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

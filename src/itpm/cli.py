"""The `itpm` command: serve, demo, migrate, createuser, check, manage and schedule.

Django is imported only inside the commands that need it, so that commands which do
not (--help, --version, `itpm schedule`) start in a few milliseconds. The handlers live in
itpm.commands; this module parses the command line and runs one of them.
Exit codes: 0 success, 1 a problem found or an operation failed, 2 bad input,
130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from itpm import __version__
from itpm.commands.arguments import (
    add_bench_sets,
    add_createuser_options,
    add_schedule_options,
    add_server_options,
    add_simulate_options,
)
from itpm.commands.engine import cmd_bench, cmd_schedule, cmd_simulate
from itpm.commands.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, CommandError
from itpm.commands.server import cmd_check, cmd_demo, cmd_manage, cmd_migrate, cmd_serve, manage
from itpm.commands.users import cmd_createuser


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


Command = Callable[[str, str, Callable[[argparse.Namespace], int]], Any]


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

    _add_server_commands(command)
    _add_engine_commands(command)
    # main() hands `manage ...` to Django before parsing, so that Django sees every option.
    manage_command = command("manage", "run a Django management command (itpm manage help)", cmd_manage)
    manage_command.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    return parser


def _add_server_commands(command: Command) -> None:
    add_server_options(command("serve", "serve the web app and the API", cmd_serve))
    demo = command("demo", "migrate, load a demo portfolio with logins, and serve it", cmd_demo)
    add_server_options(demo)
    demo.add_argument("--no-serve", action="store_true", help="load the demo data, then stop")
    command("migrate", "create or update the database tables", cmd_migrate)
    add_createuser_options(command("createuser", "add a user who can sign in", cmd_createuser))
    command("check", "check the configuration and the database's health", cmd_check)


def _add_engine_commands(command: Command) -> None:
    summary = "schedule a project file and print its dates and critical path"
    add_schedule_options(command("schedule", summary, cmd_schedule))
    summary = "simulate a project file's schedule and cost risk (Monte Carlo)"
    add_simulate_options(command("simulate", summary, cmd_simulate))
    summary = "run a benchmark set and print how close each schedule is"
    add_bench_sets(command("bench", summary, cmd_bench))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["manage"]:
            return manage(arguments[1:])
        options = build_parser().parse_args(arguments)
        if options.command is None:
            raise CommandError("a command is required; see 'itpm --help'", EXIT_USAGE)
        code = int(options.handler(options))
        if argv is None and getattr(options, "leave_at_once", False):
            _leave(code)
        return code
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
        if _misconfigured(error):  # a bad environment variable: the operator's input
            print(f"itpm: error: {' '.join(str(error).split())}", file=sys.stderr)
            return EXIT_USAGE
        from itpm.health import one_line

        print(f"itpm: error: {one_line(error)} (ITPM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_PROBLEM


def _misconfigured(error: Exception) -> bool:
    """Django's ImproperlyConfigured, without importing Django for commands that never load it."""
    exceptions = sys.modules.get("django.core.exceptions")
    return exceptions is not None and isinstance(error, exceptions.ImproperlyConfigured)


def _leave(code: int) -> NoReturn:
    """End the process now, output flushed: for a command run from the shell that has built a
    large schedule, freeing its objects one by one at exit would take longer than scheduling."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_PROBLEM

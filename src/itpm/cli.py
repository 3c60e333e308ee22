"""The `itpm` command: serve, demo, migrate, createuser, check, manage and schedule.

Django is imported only inside the commands that need it, so that commands which do
not (--help, --version, `itpm schedule`) start in a few milliseconds.
Exit codes: 0 success, 1 a problem found or an operation failed, 2 bad input,
130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
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


def _whole(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0, not {text!r}")
    return int(text)


def _positive_whole(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e9:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.date.fromisoformat("invalid")
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {text!r}") from None


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="TCP port, 1-65535 (8000)")
    parser.add_argument("--workers", type=_workers, default=2, help="worker processes (2)")


def _add_levelling_options(parser: argparse.ArgumentParser, title: str) -> None:
    group = parser.add_argument_group(title)
    method = group.add_mutually_exclusive_group()
    method.add_argument("--level", action="store_true", help="level with the heuristic (docs/levelling.md)")
    method.add_argument(
        "--optimize", action="store_true", help="level optimally with CP-SAT, with a proven bound"
    )
    group.add_argument("--seed", type=_whole, help="--level/--optimize: the random seed (0)")
    group.add_argument(
        "--budget-ms", type=_positive_whole, metavar="N", help="--level: stop after N milliseconds"
    )
    group.add_argument("--time-limit", type=_seconds, metavar="SECONDS", help="--optimize: seconds (10)")
    group.add_argument("--workers", type=_positive_whole, metavar="N", help="--optimize: solver threads (2)")


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
    plan = command("schedule", "schedule a project file and print its dates and critical path", _cmd_schedule)
    plan.set_defaults(leave_at_once=True)
    plan.add_argument("file", help="itpm project file (.json) or PSPLIB file (.sm); - reads standard input")
    plan.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (table)")
    plan.add_argument(
        "--status-date", type=_date, metavar="DATE", help="progress is as of this day, YYYY-MM-DD"
    )
    _add_levelling_options(plan, "level the resources")
    _add_simulate(command)
    bench = command("bench", "run a benchmark set and print how close each schedule is", _cmd_bench)
    sets = bench.add_subparsers(dest="benchmark", title="sets", metavar="SET", required=True)
    psplib = sets.add_parser(
        "psplib",
        allow_abbrev=False,
        help="level every PSPLIB .sm file in a folder",
        description="level every PSPLIB .sm file in a folder",
    )
    psplib.add_argument("directory", help="folder of PSPLIB .sm files")
    psplib.add_argument(
        "--optimum", metavar="CSV", help="optimum or best-known makespans: problem,optimum rows"
    )
    psplib.add_argument("--format", choices=("table", "json"), default="table", help="output (table)")
    _add_levelling_options(psplib, "how to schedule each file (--level)")
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
        from itpm.health import one_line

        print(f"itpm: error: {one_line(error)} (ITPM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_PROBLEM


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


# ---------------------------------------------------------------- Django helpers


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def _migrate() -> str:
    from django.core.management import call_command

    from itpm.health import database_label, pending_migrations

    pending = pending_migrations()
    call_command("migrate", interactive=False, verbosity=0)
    if not pending:
        return f"The database is up to date ({database_label()})."
    return f"Applied {len(pending)} migration(s) to {database_label()}."


# ---------------------------------------------------------------- commands


def _cmd_check(options: argparse.Namespace) -> int:
    _setup_django()
    from itpm.health import run_check

    return run_check()


def _cmd_schedule(options: argparse.Namespace) -> int:
    from itpm.schedule_command import run_schedule

    return run_schedule(options.file, options.format, options.status_date, _levelling(options))


def _add_simulate(command: Callable[..., Any]) -> None:
    risk = command(
        "simulate", "simulate a project file's schedule and cost risk (Monte Carlo)", _cmd_simulate
    )
    risk.set_defaults(leave_at_once=True)
    risk.add_argument("file", help="itpm project file (.json); - reads standard input")
    risk.add_argument("--iterations", type=_workers, default=10_000, metavar="N", help="runs (10000)")
    risk.add_argument("--seed", type=_seed, default=1, metavar="N", help="random seed, 0 or more (1)")
    risk.add_argument("--format", choices=("table", "json"), default="table", help="output (table)")
    risk.add_argument(
        "--deadline", type=_date, metavar="DATE", help="chance of finishing by this day, YYYY-MM-DD"
    )
    risk.add_argument("--budget", type=_money, metavar="X", help="chance of costing at most this amount")
    risk.add_argument(
        "--level", action="store_true", help="level each iteration against the file's resources"
    )


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of 0 or more, not {text!r}")
    return int(text)


def _money(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"must be an amount such as 250000.00, not {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"must be an amount of 0 or more, not {text!r}")
    return amount


def _cmd_simulate(options: argparse.Namespace) -> int:
    from itpm.simulate_command import run_simulate

    return run_simulate(
        options.file,
        options.iterations,
        options.seed,
        options.format,
        options.deadline,
        options.budget,
        options.level,
    )


def _cmd_bench(options: argparse.Namespace) -> int:
    from itpm.bench_command import run_bench_psplib

    options.level = options.level or not options.optimize  # levelling is what a bench measures
    levelling = _levelling(options)
    return run_bench_psplib(options.directory, options.optimum, options.format, levelling)


def _levelling(options: argparse.Namespace) -> Any:
    """The levelling asked for (a schedule_command.Levelling), or None; refuses an option that
    belongs to the other method, or to none."""
    wanted = "optimize" if options.optimize else "level" if options.level else None
    belongs = {"budget_ms": "level", "time_limit": "optimize", "workers": "optimize", "seed": wanted}
    for name, method in belongs.items():
        if getattr(options, name) is not None and (wanted is None or method != wanted):
            flag = "--" + name.replace("_", "-")
            needs = f"--{method}" if method else "--level or --optimize"
            raise CommandError(f"{flag} needs {needs}", EXIT_USAGE)
    if wanted is None:
        return None
    from itpm.schedule_command import Levelling

    given = {name: getattr(options, name) for name in belongs if getattr(options, name) is not None}
    return Levelling(method=wanted, **given)


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

"""The `itpm` command's argument types (each refusing bad input in words) and option groups."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal


def port_number(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, not {text!r}")
    return value


def whole_number(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0, not {text!r}")
    return int(text)


def positive_whole(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e9:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.date.fromisoformat("invalid")
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {text!r}") from None


def seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of 0 or more, not {text!r}")
    return int(text)


def money(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"must be an amount such as 250000.00, not {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"must be an amount of 0 or more, not {text!r}")
    return amount


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8000, help="TCP port, 1-65535 (8000)")
    parser.add_argument("--workers", type=positive_whole, default=2, help="worker processes (2)")


def add_levelling_options(parser: argparse.ArgumentParser, title: str) -> None:
    group = parser.add_argument_group(title)
    method = group.add_mutually_exclusive_group()
    method.add_argument("--level", action="store_true", help="level with the heuristic (docs/levelling.md)")
    method.add_argument(
        "--optimize", action="store_true", help="level optimally with CP-SAT, with a proven bound"
    )
    group.add_argument("--seed", type=whole_number, help="--level/--optimize: the random seed (0)")
    group.add_argument(
        "--budget-ms", type=positive_whole, metavar="N", help="--level: stop after N milliseconds"
    )
    group.add_argument("--time-limit", type=seconds, metavar="SECONDS", help="--optimize: seconds (10)")
    group.add_argument("--workers", type=positive_whole, metavar="N", help="--optimize: solver threads (2)")


def add_createuser_options(user: argparse.ArgumentParser) -> None:
    user.add_argument("username")
    user.add_argument("--email", default="", help="e-mail address")
    user.add_argument("--admin", action="store_true", help="make the user an administrator")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def add_schedule_options(plan: argparse.ArgumentParser) -> None:
    plan.set_defaults(leave_at_once=True)
    plan.add_argument("file", help="itpm project file (.json) or PSPLIB file (.sm); - reads standard input")
    plan.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output (table)")
    plan.add_argument(
        "--status-date", type=iso_date, metavar="DATE", help="progress is as of this day, YYYY-MM-DD"
    )
    add_levelling_options(plan, "level the resources")


def add_simulate_options(risk: argparse.ArgumentParser) -> None:
    risk.set_defaults(leave_at_once=True)
    risk.add_argument("file", help="itpm project file (.json); - reads standard input")
    risk.add_argument("--iterations", type=positive_whole, default=10_000, metavar="N", help="runs (10000)")
    risk.add_argument("--seed", type=seed, default=1, metavar="N", help="random seed, 0 or more (1)")
    risk.add_argument("--format", choices=("table", "json"), default="table", help="output (table)")
    risk.add_argument(
        "--deadline", type=iso_date, metavar="DATE", help="chance of finishing by this day, YYYY-MM-DD"
    )
    risk.add_argument("--budget", type=money, metavar="X", help="chance of costing at most this amount")
    risk.add_argument(
        "--level", action="store_true", help="level each iteration against the file's resources"
    )


def add_bench_sets(bench: argparse.ArgumentParser) -> None:
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
    add_levelling_options(psplib, "how to schedule each file (--level)")

"""The commands that need no database: schedule, simulate and bench. Each imports its module,
and through it the engine, only when it runs; none imports Django."""

from __future__ import annotations

import argparse
from typing import Any

from itpm.commands.errors import EXIT_USAGE, CommandError


def cmd_schedule(options: argparse.Namespace) -> int:
    from itpm.schedule_command import run_schedule

    return run_schedule(options.file, options.format, options.status_date, levelling(options))


def cmd_simulate(options: argparse.Namespace) -> int:
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


def cmd_bench(options: argparse.Namespace) -> int:
    from itpm.bench_command import run_bench_psplib

    options.level = options.level or not options.optimize  # levelling is what a bench measures
    return run_bench_psplib(options.directory, options.optimum, options.format, levelling(options))


def levelling(options: argparse.Namespace) -> Any:
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

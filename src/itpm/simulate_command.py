"""`itpm simulate FILE`: Monte Carlo schedule and cost risk of a native project file.

Reads the plan and its simulation keys (three-point estimates, categories, costs, risks,
correlations: docs/file-formats.md), runs the engine's simulation and prints the finish and
cost distributions, the chances of meeting a deadline and a budget, the tasks and risks that
drive them, and whether the run converged. No Django. Bad input exits 2 with one line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from decimal import Decimal
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as in schedule_command: no linear algebra here

from itpm.commands.errors import EXIT_OK, EXIT_USAGE, CommandError  # after the setting above: numpy
from itpm.engine import EngineError, WorkCalendar
from itpm.engine.formats import FormatError, ProjectFile, engine_arrays, read_project_text
from itpm.engine.formats.native_levelling import native_problem, read_levelling
from itpm.engine.formats.native_simulation import SimulationFile, read_simulation
from itpm.engine.formats.project import EngineArrays
from itpm.engine.formats.values import UNITS_PER_DAY
from itpm.engine.montecarlo import SimulationResult, simulate
from itpm.engine.montecarlo_levelled import LevelledSimulation, simulate_levelled
from itpm.schedule_command import STDIN, _read

MAX_ITERATIONS = 1_000_000
TOP = 10


def run_simulate(
    path: str,
    iterations: int,
    seed: int,
    output_format: str,
    deadline: dt.date | None = None,
    budget: Decimal | None = None,
    level: bool = False,
) -> int:
    """Print the simulation of the project in `path` (`-` is standard input); with `level`, each
    iteration is levelled against the file's resources (docs/forecasting.md)."""
    source = "<stdin>" if path == STDIN else path
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise CommandError(f"--iterations must be from 1 to {MAX_ITERATIONS:,}, not {iterations}", EXIT_USAGE)
    try:
        text = _read(path, source)
        project = read_project_text(text, source)
        if not isinstance(project, ProjectFile):
            raise CommandError(
                f"{source}: itpm simulate reads itpm project files (.json), not PSPLIB", EXIT_USAGE
            )
        inputs = read_simulation(text, source, project)
        laid_out = engine_arrays(project)
        due = (deadline, _deadline_unit(project, laid_out.calendar, deadline, source))
        report = _simulate(project, laid_out, inputs, source, iterations, seed, due, budget)
        if level:
            report = _levelled(text, project, laid_out, inputs, source, report, seed, due[1])
    except FormatError as error:
        raise CommandError(error.describe(), EXIT_USAGE) from None
    except (EngineError, ValueError) as error:
        raise CommandError(f"{source}: {error}", EXIT_USAGE) from None
    text = json.dumps(report, indent=2) + "\n" if output_format == "json" else render_table(report)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_OK


def _deadline_unit(
    project: ProjectFile, calendar: WorkCalendar, deadline: dt.date | None, source: str
) -> float | None:
    """The end of the deadline's day in engine units; None without a deadline."""
    if deadline is None:
        return None
    if deadline < project.start:
        raise CommandError(
            f"{source}: --deadline {deadline} is before the project start {project.start}", EXIT_USAGE
        )
    return float(calendar.to_unit(deadline + dt.timedelta(days=1)))


def _simulate(
    project: ProjectFile,
    laid_out: EngineArrays,
    inputs: SimulationFile,
    source: str,
    iterations: int,
    seed: int,
    deadline: tuple[dt.date | None, float | None],
    budget: Decimal | None,
) -> dict[str, Any]:
    calendar = laid_out.calendar
    deadline_day, deadline_unit = deadline
    ignored = _not_simulated(project)
    if ignored:
        message = (
            f"not simulated: {', '.join(ignored)}; every iteration plans each task from the project start"
        )
        print(f"itpm: warning: {source}: {message}", file=sys.stderr)
    result = simulate(
        laid_out.arrays,
        inputs.uncertainty,
        iterations=iterations,
        seed=seed,
        risks=inputs.risks,
        correlations=inputs.correlations,
        costs=inputs.costs,
        deadline=deadline_unit,
        budget=budget,
    )
    return report(project, result, calendar, deadline_day, inputs.costs is not None or bool(inputs.risks))


def _levelled(
    text: str,
    project: ProjectFile,
    laid_out: EngineArrays,
    inputs: SimulationFile,
    source: str,
    plain: dict[str, Any],
    seed: int,
    deadline_unit: float | None,
) -> dict[str, Any]:
    """The report with the finish of each iteration levelled against the file's resources; costs,
    tornado and risks stay those of the unlevelled runs of the same samples."""
    native = native_problem(project, read_levelling(text, source, project), source)
    if not native.problem.resources:
        raise CommandError(f"{source}: --level needs resources and task assignments in the file", EXIT_USAGE)
    result = simulate_levelled(
        native.problem, laid_out.arrays, inputs.uncertainty, iterations=plain["iterations"], seed=seed,
        risks=inputs.risks, correlations=inputs.correlations, deadline=deadline_unit, period=UNITS_PER_DAY,
    )  # fmt: skip
    return {**plain, **levelled_finish(result, laid_out.calendar, plain["percentiles"]), "levelled": True}


def levelled_finish(
    result: LevelledSimulation, calendar: WorkCalendar, percentiles: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The finish figures of the report, levelled (the costs of `percentiles` kept)."""
    days = lambda unit: round(unit / UNITS_PER_DAY, 2)  # noqa: E731
    return {
        "planned_finish": finish_date(calendar, result.deterministic_finish).isoformat(),
        "planned_working_days": days(result.deterministic_finish),
        "chance_of_planned_finish": round(
            float((result.finish <= result.deterministic_finish + 1e-9).mean()), 4
        ),
        "percentiles": {
            f"P{p}": {
                **percentiles[f"P{p}"],
                "finish": finish_date(calendar, unit).isoformat(),
                "working_days": days(unit),
            }
            for p, unit in result.finish_percentiles.items()
        },
        "mean_working_days": days(result.mean_finish),
        "chance_of_deadline": _rounded(result.probability_deadline),
    }


def _not_simulated(project: ProjectFile) -> list[str]:
    """What the file says that the simulation leaves out (docs/forecasting.md), to say so."""
    tasks = project.tasks
    found = {
        "constraints and deadlines": any(task.constraint or task.deadline for task in tasks),
        "progress": project.status_date is not None
        or any(
            task.actual_start or task.actual_finish or task.percent_complete or task.remaining
            for task in tasks
        ),
        "backward scheduling": project.finish is not None,
        "task calendars": any(task.calendar is not None for task in tasks),
    }
    return [what for what, present in found.items() if present]


def finish_date(calendar: WorkCalendar, unit: float) -> dt.date:
    """The working day on which work ending at `unit` ends (a start at 0 is the first day)."""
    return calendar.to_date(max(math.ceil(unit - 1e-9) - 1, 0))


def report(
    project: ProjectFile,
    result: SimulationResult,
    calendar: WorkCalendar,
    deadline: dt.date | None,
    costed: bool,
) -> dict[str, Any]:
    """The simulation as plain data: what the JSON output prints, and the table shows."""
    names = {task.id: task.name for task in project.tasks}
    days = lambda unit: round(unit / UNITS_PER_DAY, 2)  # noqa: E731
    percentiles = {
        f"P{p}": {"finish": finish_date(calendar, unit).isoformat(), "working_days": days(unit)}
        for p, unit in result.finish_percentiles.items()
    }
    if costed:
        for p, amount in result.cost_percentiles.items():
            percentiles[f"P{p}"]["cost"] = str(amount)
    criticality = result.criticality
    index = {task_id: n for n, task_id in enumerate(result.ids)}
    return {
        "project": project.name,
        "iterations": result.iterations,
        "seed": result.seed,
        "planned_finish": finish_date(calendar, result.deterministic_finish).isoformat(),
        "planned_working_days": days(result.deterministic_finish),
        "chance_of_planned_finish": round(result.probability_deterministic, 4),
        "percentiles": percentiles,
        "mean_working_days": days(result.mean_finish),
        "mean_cost": str(result.mean_cost) if costed else None,
        "deadline": None if deadline is None else deadline.isoformat(),
        "chance_of_deadline": _rounded(result.probability_deadline),
        "budget": None if result.budget is None else str(result.budget),
        "chance_of_budget": _rounded(result.probability_budget),
        "tornado": [
            {
                "task": task,
                "name": names.get(task, ""),
                "spearman": round(rho, 3),
                "criticality": round(float(criticality[index[task]]), 3),
            }
            for task, rho in result.tornado(TOP)
        ],
        "risks": [
            {
                "risk": driver.id,
                "occurred": round(driver.occurred, 4),
                "mean_delay_days": days(driver.mean_delay),
                "mean_cost": str(driver.mean_cost),
                "spearman_finish": _rounded(driver.finish_correlation, 3),
                "spearman_cost": _rounded(driver.cost_correlation, 3),
            }
            for driver in result.risk_drivers
        ],
        "convergence": {
            "p80_standard_error_days": None
            if result.convergence.p80_standard_error is None
            else days(result.convergence.p80_standard_error),
            "converged": result.convergence.converged,
        },
    }


def _rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None or math.isnan(value) else round(value, places)


def render_table(data: dict[str, Any]) -> str:
    lines = [
        f"{data['project'] or 'Project'}: {data['iterations']:,} iterations, seed {data['seed']}"
        + (", each levelled against the resources" if data.get("levelled") else ""),
        f"Planned finish (most likely durations): {data['planned_finish']}"
        f" ({data['planned_working_days']} working days),"
        f" {_percent(data['chance_of_planned_finish'])} chance",
        "",
        f"{'':6}{'finish':12}{'working days':>14}" + (f"{'cost':>18}" if data["mean_cost"] else ""),
    ]
    for label, row in data["percentiles"].items():
        cost = f"{Decimal(row['cost']):>18,.2f}" if "cost" in row else ""
        lines.append(f"{label:6}{row['finish']:12}{row['working_days']:>14}{cost}")
    if data["deadline"]:
        lines.append(f"Deadline {data['deadline']}: {_percent(data['chance_of_deadline'])} chance")
    if data["budget"]:
        lines.append(f"Budget {Decimal(data['budget']):,.2f}: {_percent(data['chance_of_budget'])} chance")
    error, converged = data["convergence"]["p80_standard_error_days"], data["convergence"]["converged"]
    state = "converged" if converged else "not converged: run more iterations"
    lines.append(f"P80 standard error: {error if error is not None else 'n/a'} working days ({state})")
    if data["tornado"]:
        lines += ["", "Tasks that drive the finish (Spearman ρ, criticality)"]
        lines += [
            f"  {row['task']:<16}{row['spearman']:>7.3f}{_percent(row['criticality']):>7}  {row['name']}"
            for row in data["tornado"]
        ]
    if data["risks"]:
        lines += ["", "Risks (occurred, mean delay in working days, mean cost when it occurs)"]
        for row in data["risks"]:
            occurred, spent = _percent(row["occurred"]), Decimal(row["mean_cost"])
            lines.append(f"  {row['risk']:<16}{occurred:>7}{row['mean_delay_days']:>9}{spent:>16,.2f}")
    return "\n".join(lines) + "\n"


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"

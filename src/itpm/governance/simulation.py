"""Run the engine's Monte Carlo simulation on a project and summarise it for storage.

The summary is what a SimulationRun keeps and the Forecast page and API show: percentiles as
dates and money, a histogram and a cumulative curve of each, the chances of meeting the deadline
and budget, criticality per task, the tornado of drivers, the risks, and convergence. Dates are
ISO strings and money decimal strings, so the JSON reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm.engine.montecarlo import SimulationResult, simulate
from itpm.governance.inputs import SimulationInputs, load_inputs
from itpm.planning.scheduling.dating import UNITS_PER_DAY
from itpm.portfolio.models import Project

if TYPE_CHECKING:
    from itpm.governance.forecasting import RunRequest

BINS = 40
CURVE_POINTS = 51  # the cumulative curve at every 2 %
TORNADO_SIZE = 10
PERCENTILES = (10, 50, 80, 90)


def simulate_project(project: Project, request: RunRequest) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(results summary, parameters, milliseconds taken) of a run of the project."""
    began = time.perf_counter()
    inputs = load_inputs(project)
    result = simulate(
        inputs.network,
        inputs.uncertainty,
        iterations=request.iterations,
        seed=request.seed,
        risks=inputs.risks,
        correlations=inputs.correlations,
        costs=inputs.costs,
        deadline=None if request.deadline is None else float(inputs.unit_of(request.deadline)),
        budget=request.budget,
        project_start_unit=inputs.floor,
    )
    results = summarise(inputs, result, request)
    if request.level:
        results = _levelled(project, inputs, request, results)
    elapsed = int((time.perf_counter() - began) * 1000)
    return results, parameters(project, inputs, request), elapsed


def _levelled(
    project: Project, inputs: SimulationInputs, request: RunRequest, results: dict[str, Any]
) -> dict[str, Any]:
    """The summary with the finish figures of each run levelled; the rest stays unlevelled."""
    from itpm.governance.levelled import LEVELLED_NOTE, simulate_project_levelled

    levelled, shift = simulate_project_levelled(project, inputs, request)
    finish = levelled.finish + shift
    planned = levelled.deterministic_finish + shift
    return {
        **results,
        "finish": _finish_block(inputs, finish),
        "deterministic_finish": inputs.date_of(planned).isoformat(),
        "probability_deterministic": float((finish <= planned + 1e-9).mean()),
        "probability_deadline": levelled.probability_deadline,
        "notes": [note for note in results["notes"] if "unlevelled pass" not in note] + [LEVELLED_NOTE],
    }


def parameters(project: Project, inputs: SimulationInputs, request: RunRequest) -> dict[str, Any]:
    return {
        "iterations": request.iterations,
        "seed": request.seed,
        "deadline": request.deadline.isoformat() if request.deadline else None,
        "budget": None if request.budget is None else str(request.budget),
        "as_of": inputs.status_date.isoformat() if inputs.status_date else None,
        "tasks": len(inputs.rows),
        "risks": len(inputs.risks),
        "correlation_groups": [len(group.tasks) for group in inputs.correlations],
        "correlation": inputs.correlations[0].correlation if inputs.correlations else 0.0,
        "cost_source": inputs.cost_source,
        "levelled": request.level,
    }


def summarise(inputs: SimulationInputs, result: SimulationResult, request: RunRequest) -> dict[str, Any]:
    task_costs = bool(inputs.cost_source)
    any_costs = task_costs or any(r.cost_impact for r in inputs.risks)
    return {
        "finish": _finish_block(inputs, result.finish),
        "cost": _cost_block(result) if any_costs else None,
        "deterministic_finish": inputs.date_of(result.deterministic_finish).isoformat(),
        "probability_deterministic": result.probability_deterministic,
        "deadline": request.deadline.isoformat() if request.deadline else None,
        "probability_deadline": result.probability_deadline,
        "budget": None if request.budget is None else str(request.budget),
        "probability_budget": result.probability_budget if task_costs else None,
        "criticality": _criticality(inputs, result),
        "tornado": _tornado(inputs, result),
        "risks": _risk_table(inputs, result),
        "convergence": _convergence(inputs, result),
        "notes": _notes(inputs),
    }


def _finish_dates(inputs: SimulationInputs, finish: np.ndarray) -> np.ndarray:
    """Each iteration's finish as a day number (proleptic ordinal)."""
    ends = np.maximum(np.ceil(finish - 1e-9).astype(np.int64), inputs.floor)
    days = inputs.dating.work.finish_dates(np.full(len(ends), inputs.floor, dtype=np.int64), ends)
    return days.astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL


EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): numpy counts days from 1970


def _iso(ordinal: Any) -> str:
    return dt.date.fromordinal(round(ordinal)).isoformat()


def _finish_block(inputs: SimulationInputs, finish: np.ndarray) -> dict[str, Any]:
    days = _finish_dates(inputs, finish)
    first, last = int(days.min()), int(days.max())
    width = max(1, -(-(last - first + 1) // BINS))
    if width > 1:  # whole weeks from a Monday: work ends on working days, so days would comb
        width = 7 * -(-width // 7)
        first -= dt.date.fromordinal(first).weekday()
    edges = np.arange(first, last + width + 1, width)
    counts, _ = np.histogram(days, bins=edges)
    levels = np.linspace(0, 100, CURVE_POINTS)
    curve = np.percentile(days, levels, method="inverted_cdf")
    block = {f"p{p}": _iso(np.percentile(days, p, method="inverted_cdf")) for p in PERCENTILES}
    return {
        **block,
        "mean": _iso(float(days.mean())),
        "histogram": {"edges": [_iso(e) for e in edges], "counts": counts.tolist()},
        "cumulative": [[_iso(d), round(float(q) / 100, 4)] for d, q in zip(curve, levels, strict=True)],
    }


def _cost_block(result: SimulationResult) -> dict[str, Any]:
    cost = result.cost
    edges = np.linspace(float(cost.min()), float(cost.max()) or 1.0, BINS + 1)
    counts, _ = np.histogram(cost, bins=edges)
    levels = np.linspace(0, 100, CURVE_POINTS)
    curve = np.percentile(cost, levels)
    return {
        **{f"p{p}": str(result.cost_percentiles[p]) for p in PERCENTILES},
        "mean": str(result.mean_cost),
        "histogram": {"edges": [_cents(e) for e in edges], "counts": counts.tolist()},
        "cumulative": [[_cents(c), round(float(q) / 100, 4)] for c, q in zip(curve, levels, strict=True)],
    }


def _cents(value: float) -> str:
    return str(Decimal(repr(float(value))).quantize(Decimal("0.01")))


def _label(row: Any) -> str:
    return f"{row.wbs_code} {row.name}".strip()


def _criticality(inputs: SimulationInputs, result: SimulationResult) -> list[dict[str, Any]]:
    rows = [
        {"task_id": row.pk, "name": _label(row), "index": round(float(result.criticality[place]), 4)}
        for place, row in enumerate(inputs.rows)
        if not row.is_summary
    ]
    return sorted(rows, key=lambda item: (-item["index"], item["name"]))


def _tornado(inputs: SimulationInputs, result: SimulationResult) -> list[dict[str, Any]]:
    """Tasks and risks together, by the size of their rank correlation with the finish."""
    names = {str(row.pk): _label(row) for row in inputs.rows}
    drivers: list[dict[str, Any]] = [
        {"kind": "task", "id": int(task), "name": names[task], "value": round(value, 4)}
        for task, value in result.tornado(TORNADO_SIZE)
    ]
    for risk in result.risk_drivers:
        if not np.isnan(risk.finish_correlation):
            name = inputs.risk_names.get(risk.id, risk.id)
            drivers.append(
                {"kind": "risk", "id": int(risk.id), "name": name, "value": round(risk.finish_correlation, 4)}
            )
    drivers.sort(key=lambda item: -abs(item["value"]))
    return drivers[:TORNADO_SIZE]


def _risk_table(inputs: SimulationInputs, result: SimulationResult) -> list[dict[str, Any]]:
    return [
        {
            "id": int(risk.id),
            "name": inputs.risk_names.get(risk.id, risk.id),
            "occurred": round(risk.occurred, 4),
            "mean_delay_days": round(risk.mean_delay / UNITS_PER_DAY, 2),
            "mean_cost": str(risk.mean_cost),
        }
        for risk in result.risk_drivers
    ]


def _convergence(inputs: SimulationInputs, result: SimulationResult) -> dict[str, Any]:
    convergence = result.convergence
    error = convergence.p80_standard_error
    return {
        "converged": convergence.converged,
        "p80_standard_error_days": None if error is None else round(error / UNITS_PER_DAY, 3),
        "running_p80_days": [
            [count, round((p80 - inputs.floor) / UNITS_PER_DAY, 2)] for count, _, p80 in convergence.running
        ],
    }


def _notes(inputs: SimulationInputs) -> list[str]:
    notes = []
    if not inputs.cost_source:
        notes.append(
            "No planned cost per task from finance: the cost distribution holds the risks' cost impacts only."
        )
    notes.append(
        "Each run is an unlevelled pass: task constraints and resource levelling are not simulated"
        " (tick 'Level each run' to level every run against the people assigned)."
    )
    return notes

"""The finance reports as plain data for the API: money rounded to the cent, indices to four
places, dates as dates. The pages read the dataclasses themselves."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from itpm.engine import evm
from itpm.finance.budget import (
    BudgetSummary,
    CategoryLine,
    PortfolioBudget,
    budget_summary,
    portfolio_budget,
    program_budget,
)
from itpm.finance.earned import EarnedValueReport, Row, earned_value_report, rag
from itpm.finance.rates import cents
from itpm.finance.services import access_money_project, check_choose_baseline, measurement_baseline

INDEX = Decimal("0.0001")
MONEY_FIELDS: tuple[str, ...] = (
    "pv",
    "ev",
    "ac",
    "bac",
    "sv",
    "cv",
    "eac_atypical",
    "eac_cpi",
    "eac_cpi_spi",
)
MONEY_FIELDS += ("eac_bottom_up", "eac", "etc", "vac")
INDEX_FIELDS = ("spi", "cpi", "tcpi_bac", "tcpi_eac", "percent_complete", "percent_spent")


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else cents(value)


def _index(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    shown = value.quantize(INDEX, rounding=ROUND_HALF_UP)
    return abs(shown) if shown == 0 else shown  # a rounding residue is no "-0.0000"


def indicators_json(ind: evm.EarnedValue) -> dict[str, Any]:
    data: dict[str, Any] = {name: _money(getattr(ind, name)) for name in MONEY_FIELDS}
    data.update({name: _index(getattr(ind, name)) for name in INDEX_FIELDS})
    data["rag"] = {"cpi": rag(ind.cpi), "spi": rag(ind.spi), "tcpi": rag(ind.tcpi_bac, inverse=True)}
    return data


def schedule_json(report: EarnedValueReport) -> dict[str, Any] | None:
    es = report.schedule
    if es is None:
        return None
    return {
        "es": _index(es.es),
        "actual_time": _index(es.actual_time),
        "planned_duration": _index(es.planned_duration),
        "spi_t": _index(es.spi_t),
        "sv_t": _index(es.sv_t),
        "ieac_t": _index(es.ieac_t),
        "earned_date": report.earned_date,
        "forecast_finish": report.forecast_finish,
        "rag": rag(es.spi_t),
    }


def _row_json(row: Row) -> dict[str, Any]:
    m = row.measures
    return {
        "level": row.level,
        "wbs_code": row.wbs_code,
        "name": row.name,
        "percent_complete": row.percent_complete,
        **{name: cents(getattr(m, name)) for name in ("pv", "ev", "ac", "bac")},
        "cpi": _index(row.indicators.cpi),
        "spi": _index(row.indicators.spi),
    }


def earned_value_json(user: Any, project_id: int, period: str) -> dict[str, Any]:
    report = earned_value_report(user, project_id, period)
    return {
        "project_id": report.project.pk,
        "currency": report.currency,
        "period": report.period,
        "status_date": report.status_date,
        "baseline": report.baseline_name,
        "planned_finish": report.planned_finish,
        "committed": cents(report.committed),
        "eac_bottom_up": cents(report.indicators.ac + report.bottom_up_etc),
        "indicators": indicators_json(report.indicators),
        "earned_schedule": schedule_json(report),
        "series": [
            {
                "date": p.day,
                "pv": cents(p.pv),
                "current": cents(p.current),
                "ev": _money(p.ev),
                "ac": _money(p.ac),
            }
            for p in report.points
        ],
        "rows": [_row_json(row) for row in report.rows],
        "missing_rates": report.missing_rates,
    }


def _line_json(line: CategoryLine) -> dict[str, Any]:
    money = ("budget", "planned", "actual", "committed", "forecast", "variance")
    return {"category": line.category, "label": line.label, **{n: cents(getattr(line, n)) for n in money}}


def budget_json(user: Any, project_id: int) -> dict[str, Any]:
    summary: BudgetSummary = budget_summary(user, project_id)
    return {
        "project_id": summary.project.pk,
        "currency": summary.currency,
        "status_date": summary.status_date,
        "approved_budget": cents(summary.approved_budget),
        "categories": [_line_json(line) for line in summary.lines],
        "total": _line_json(summary.total),
        "cost_types": [
            {"cost_type": s.cost_type, "budget": cents(s.budget), "actual": cents(s.actual)}
            for s in summary.split
        ],
        "missing_rates": summary.missing_rates,
    }


def portfolio_json(user: Any, portfolio_id: int) -> dict[str, Any]:
    return _rollup_json(portfolio_budget(user, portfolio_id))


def program_json(user: Any, program_id: int) -> dict[str, Any]:
    roll = program_budget(user, program_id)
    assert roll.program is not None
    return {"program_id": roll.program.pk, "program": roll.program.name, **_rollup_json(roll)}


def _rollup_json(roll: PortfolioBudget) -> dict[str, Any]:
    return {
        "portfolio_id": roll.portfolio.pk,
        "currency": roll.currency,
        "projects": [
            {
                "project_id": line.project.pk,
                "code": line.project.code,
                "name": line.project.name,
                "project_currency": line.project.currency,
                "converted": not line.rate_missing,
                "budget": cents(line.budget),
                "committed": cents(line.committed),
                **indicators_json(line.indicators),
            }
            for line in roll.lines
        ],
        "total_budget": cents(roll.total_budget),
        "total_eac": cents(roll.total_eac),
        "total_committed": cents(roll.total_committed),
        "total": indicators_json(roll.indicators),
        "hidden_projects": roll.hidden_projects,
    }


def choose_baseline_json(user: Any, project_id: int, baseline_id: int | None) -> dict[str, Any]:
    project = access_money_project(user, project_id)
    check_choose_baseline(user, project, baseline_id)
    chosen = measurement_baseline(project)
    return {
        "project_id": project.pk,
        "baseline_id": chosen.pk if chosen else None,
        "chosen": baseline_id is not None,
    }

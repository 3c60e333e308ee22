"""What the money pages show, made from the finance reports: indicator tiles with their RAG
colour, the S-curve, and the EAC variants. Pure: reports in, plain rows and markup out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from itpm.finance.earned import EarnedValueReport, rag
from itpm.web.charts import SCurve, Series, s_curve_svg
from itpm.web.templatetags.itpm_web import money


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str
    rag: str = "none"  # green, amber, red, or none for figures that are not judged


def _index(value: Decimal | None) -> str:
    if value is None:
        return "—"
    shown = value.quantize(Decimal("0.01"))
    return f"{abs(shown) if shown == 0 else shown}"  # a rounding residue is no "-0.00"


def _signed(amount: Decimal, currency: str) -> str:
    """+€1,200 or −€1,200 (a true minus, before the symbol), as variances are written."""
    sign = "+" if amount > 0 else "−" if amount < 0 else ""
    return sign + money(abs(amount), currency)


signed_money = _signed


def indicator_tiles(report: EarnedValueReport) -> list[Tile]:
    ind, cur = report.indicators, report.currency
    es = report.schedule
    spi_t = es.spi_t if es else None
    finish = report.forecast_finish
    return [
        Tile("CPI", _index(ind.cpi), "cost performance: EV ÷ AC", rag(ind.cpi)),
        Tile("SPI", _index(ind.spi), "schedule performance: EV ÷ PV", rag(ind.spi)),
        Tile("SPI(t)", _index(spi_t), "earned schedule ÷ actual time", rag(spi_t)),
        Tile(
            "TCPI",
            _index(ind.tcpi_bac),
            "efficiency needed to finish on budget",
            rag(ind.tcpi_bac, inverse=True),
        ),
        Tile("Planned value", money(ind.pv, cur), f"BAC {money(ind.bac, cur)}"),
        Tile("Earned value", money(ind.ev, cur), f"{_index(ind.percent_complete)} % of BAC earned"),
        Tile("Actual cost", money(ind.ac, cur), f"committed {money(report.committed, cur)} more"),
        Tile(
            "EAC",
            money(ind.eac, cur),
            f"VAC {_signed(ind.vac, cur)}" if ind.vac is not None else "no cost yet",
        ),
        Tile("CV / SV", f"{_signed(ind.cv, cur)}", f"SV {_signed(ind.sv, cur)}"),
        Tile("SV(t)", "—" if es is None else f"{es.sv_t:+.1f} {report.period}s", _earned_note(report)),
        Tile("Forecast finish", "—" if finish is None else f"{finish:%d %b %Y}", _finish_note(report)),
    ]


def _earned_note(report: EarnedValueReport) -> str:
    if report.earned_date is None:
        return "nothing planned yet"
    return f"work planned by {report.earned_date:%d %b %Y} is done"


def _finish_note(report: EarnedValueReport) -> str:
    planned = report.planned_finish
    return "IEAC(t) = AT + (PD − ES) ÷ SPI(t)" if planned is None else f"planned {planned:%d %b %Y}"


@dataclass(frozen=True)
class Estimate:
    name: str
    formula: str
    value: str
    meaning: str


def eac_variants(report: EarnedValueReport) -> list[Estimate]:
    ind, cur = report.indicators, report.currency
    return [
        Estimate(
            "EAC (atypical)",
            "AC + (BAC − EV)",
            money(ind.eac_atypical, cur),
            "the variance so far was a one-off",
        ),
        Estimate("EAC (CPI)", "BAC ÷ CPI", money(ind.eac_cpi, cur), "cost efficiency so far continues"),
        Estimate(
            "EAC (CPI × SPI)",
            "AC + (BAC − EV) ÷ (CPI × SPI)",
            money(ind.eac_cpi_spi, cur),
            "cost and schedule both weigh",
        ),
        Estimate(
            "EAC (bottom-up)",
            "AC + committed + work not yet done",
            money(ind.ac + report.bottom_up_etc, cur),
            "the plan's prices for what is left",
        ),
        Estimate("ETC", "EAC − AC", money(ind.etc, cur), "still to spend at the CPI so far"),
    ]


def s_curve(report: EarnedValueReport) -> str:
    points = report.points
    status = report.status_date
    series = [
        Series(
            "PV (baseline)" if report.baseline_name else "PV (schedule)",
            "pv",
            [(p.day, p.pv) for p in points],
        ),
        Series("EV", "ev", [(p.day, p.ev) for p in points if p.ev is not None]),
        Series("AC", "ac", [(p.day, p.ac) for p in points if p.ac is not None]),
    ]
    if report.baseline_name and any(p.current != p.pv for p in points):
        series.insert(1, Series("Current schedule", "current", [(p.day, p.current) for p in points]))
    forecast = _forecast_line(report)
    if forecast:
        series.append(Series("Forecast to EAC", "forecast", forecast))
    chart = SCurve(series, status, report.indicators.bac, f"S-curve of {report.project.code}")
    return s_curve_svg(chart)


def _forecast_line(report: EarnedValueReport) -> list[tuple[dt.date, Decimal]]:
    """From today's AC to the EAC at the forecast finish (else the planned finish)."""
    eac = report.indicators.eac
    finish = report.forecast_finish or report.planned_finish
    if eac is None or finish is None or finish <= report.status_date:
        return []
    return [(report.status_date, report.indicators.ac), (finish, eac)]


def row_rag(row: Any) -> str:
    return rag(row.indicators.cpi)


def rollup_tiles(roll: Any) -> list[Tile]:
    """A program's (or portfolio's) indicators, from the summed PV, EV and AC of its projects."""
    ind, cur, total = roll.indicators, roll.currency, roll.total
    vac = total.bac - roll.total_eac
    return [
        Tile("CPI", _index(ind.cpi), "cost performance: EV ÷ AC", rag(ind.cpi)),
        Tile("SPI", _index(ind.spi), "schedule performance: EV ÷ PV", rag(ind.spi)),
        Tile("Planned value", money(total.pv, cur), f"BAC {money(total.bac, cur)}"),
        Tile("Earned value", money(total.ev, cur), f"{_index(ind.percent_complete)} % of BAC earned"),
        Tile("Actual cost", money(total.ac, cur), f"committed {money(roll.total_committed, cur)} more"),
        Tile("EAC", money(roll.total_eac, cur), f"VAC {_signed(vac, cur)}: the projects' EACs summed"),
        Tile("CV / SV", _signed(ind.cv, cur), f"SV {_signed(ind.sv, cur)}"),
    ]

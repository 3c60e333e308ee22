"""Reference-class forecasting: quantiles computed by hand, small classes flagged, plans uplifted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm.engine import WorkCalendar
from itpm.engine.forecast import (
    PastProject,
    apply_uplift,
    forecast_finish,
    quantiles,
    reference_class,
    uplift,
)
from itpm.engine.model import Calendar

# Six ERP projects, each planned at 100, that cost 90, 100, 110, 120, 150 and 200; one CRM
# project; one ERP project that recorded no cost (left out of the cost class).
HISTORY = [
    PastProject(f"erp{n}", "ERP", D(10), D(actual // 10), D(100), D(actual))
    for n, actual in enumerate([150, 90, 200, 110, 100, 120])
] + [
    PastProject("crm1", "CRM", D(10), D(30), D(100), D(400)),
    PastProject("erp-open", "ERP", D(10), D(12)),
]


def test_quantiles_by_hand() -> None:
    """Sorted ratios 0.9, 1.0, 1.1, 1.2, 1.5, 2.0 (n = 6); Q(p) at place (n − 1)·p = 5p:
    P10 at 0.5: 0.9 + 0.5 × 0.1 = 0.95; P50 at 2.5: 1.1 + 0.5 × 0.1 = 1.15;
    P80 at 4.0: 1.5; P90 at 4.5: 1.5 + 0.5 × 0.5 = 1.75."""
    erp = reference_class(HISTORY, "cost", "ERP")
    assert erp.count == 6
    assert erp.quantiles == {10: D("0.95"), 50: D("1.15"), 80: D("1.5"), 90: D("1.75")}
    assert erp.uplift(80) == D("0.5") and erp.uplift(10) == D("-0.05")
    assert erp.share_overrun == D(4) / D(6)
    ratios = np.array([float(r) for r in erp.ratios])
    assert [float(erp.quantile(p)) for p in (10, 50, 80, 90)] == pytest.approx(  # type: ignore[arg-type]
        np.percentile(ratios, [10, 50, 80, 90])
    )


def test_small_class_says_so_and_empty_class_has_no_figures() -> None:
    erp = reference_class(HISTORY, "cost", "ERP")
    assert not erp.sufficient
    assert "only 6 closed projects of type 'ERP' record cost (at least 10 are needed)" in erp.note
    assert reference_class(HISTORY, "cost", "ERP", minimum=6).note == ""
    crm = reference_class(HISTORY, "cost", "CRM")
    assert "only 1 closed project of type 'CRM'" in crm.note and crm.quantile(80) == 4
    empty = reference_class(HISTORY, "scope", "ERP")
    assert empty.count == 0 and empty.quantile(80) is None and empty.uplift(80) is None
    assert "no closed projects of type 'ERP' record planned and actual scope" in empty.note
    assert apply_uplift(D(100), empty) == {50: None, 80: None, 90: None}


def test_all_types_and_durations() -> None:
    everyone = reference_class(HISTORY, "cost")
    assert everyone.count == 7 and everyone.project_type is None and "all types" in everyone.note
    durations = reference_class(HISTORY, "duration", "ERP")  # the open project counts here
    assert durations.count == 7 and durations.ratios[-1] == 2


def test_uplift_applied_to_a_budget() -> None:
    erp = reference_class(HISTORY, "cost", "ERP")
    assert apply_uplift(D("1000000"), erp) == {50: D("1150000.00"), 80: D("1500000.0"), 90: D("1750000.00")}


def test_uplift_applied_to_a_finish_date_in_calendar_and_working_days() -> None:
    erp = reference_class(HISTORY, "cost", "ERP")
    start, finish = dt.date(2026, 1, 5), dt.date(2026, 3, 6)  # 60 days
    assert forecast_finish(start, finish, erp, 80) == dt.date(2026, 4, 5)  # 90 days
    weekdays = WorkCalendar.build(Calendar(), start)
    # Monday 5 to Friday 16 January: 10 working days; × 1.5 = 15: Friday 23 January.
    assert forecast_finish(start, dt.date(2026, 1, 16), erp, 80, weekdays) == dt.date(2026, 1, 23)
    with pytest.raises(ValueError, match="before the start"):
        forecast_finish(finish, start, erp, 80)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="measure 'money'"):
        reference_class(HISTORY, "money")
    with pytest.raises(ValueError, match="certainty must be from 0 to 100"):
        reference_class(HISTORY, "cost").quantile(120)
    with pytest.raises(ValueError, match="planned cost must be > 0"):
        reference_class([PastProject("x", "ERP", planned_cost=D(0), actual_cost=D(5))], "cost")
    with pytest.raises(ValueError, match="minimum"):
        reference_class(HISTORY, "cost", minimum=0)


@given(st.lists(st.decimals(min_value=D("0.5"), max_value=D(10), places=2), min_size=1, max_size=40))
def test_quantiles_are_numpys_and_rise_with_certainty(actuals: list[D]) -> None:
    history = [PastProject(str(n), "T", planned_cost=D(1), actual_cost=a) for n, a in enumerate(actuals)]
    group = reference_class(history, "cost")
    values = [group.quantile(p) for p in range(0, 101, 5)]
    assert values == sorted(values)  # type: ignore[type-var]
    assert values[0] == min(actuals) and values[-1] == max(actuals)
    expected = np.percentile([float(a) for a in actuals], [10, 50, 80, 90])
    assert [float(group.quantile(p)) for p in (10, 50, 80, 90)] == pytest.approx(expected)  # type: ignore[arg-type]


def test_float_helpers_give_the_same_quantiles_of_overruns() -> None:
    overruns = [0.5, -0.1, 1.0, 0.1, 0.0, 0.2]  # the ERP cost overruns above
    assert quantiles(overruns, [0.1, 0.5, 0.8, 0.9]) == pytest.approx([-0.05, 0.15, 0.5, 0.75])
    assert uplift(overruns, 0.8) == pytest.approx(0.5)
    assert quantiles([], [0.5]) is None and uplift([], 0.8) is None
    with pytest.raises(ValueError, match="from 0 to 1"):
        quantiles(overruns, [80])

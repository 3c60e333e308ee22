"""Earned value and earned schedule against published worked examples, and their properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm.engine.evm import (
    Measures,
    earned_schedule,
    earned_value,
    evm_series,
    roll_up,
    roll_up_tree,
)


def near(value: D | None, expected: str, places: int = 2) -> bool:
    assert value is not None
    return round(value, places) == D(expected)


# ------------------------------------------------------------------ worked examples


def test_design_build_test_example_behind_schedule_and_over_budget() -> None:
    """'Earned Value' course slides, Design/Build/Test sample project
    (https://www.wnwk.com/doc/3476926.html): BAC 500, PV 300, EV 200, AC 250 give CV −50,
    SV −100, CPI 0.80, SPI 0.67, EAC = BAC / CPI = 625, ETC = 375, VAC = −125."""
    result = earned_value(300, 200, 250, 500)
    assert result.cv == -50 and result.sv == -100
    assert result.cpi == D("0.8") and near(result.spi, "0.67")
    assert result.eac_cpi == 625 and result.eac == 625
    assert result.etc == 375 and result.vac == -125
    # The other standard estimates on the same figures (PMBOK Guide formulas):
    assert result.eac_atypical == 550  # AC + BAC − EV
    assert result.eac_cpi_spi == D("812.5")  # 250 + 300 / (0.8 × 2/3)
    assert result.tcpi_bac == D("1.2")  # (500 − 200) / (500 − 250)
    assert result.tcpi_eac == D("0.8")  # to BAC / CPI, the TCPI equals the CPI
    assert result.percent_complete == 40 and result.percent_spent == 50


def test_website_redesign_example_on_schedule_under_budget() -> None:
    """XYZ Website Redesign, 'Determine project progress performance'
    (https://coda.io/@seagram-kern-xyz-wsrd/xyz-website-redesign/determine-project-progress-performance-16):
    BAC $105,430, EV = PV $15,595, AC $14,866 give CV $729, CPI 1.04904, SPI 1.00, SV $0,
    EAC $100,501.60, ETC $85,635.60, VAC $4,928.40."""
    result = earned_value(D("15595"), D("15595"), D("14866"), D("105430"))
    assert result.cv == 729 and result.sv == 0 and result.spi == 1
    assert near(result.cpi, "1.04904", 5)
    assert near(result.eac, "100501.60") and near(result.etc, "85635.60") and near(result.vac, "4928.40")


def test_software_modules_example_late_finish_earned_schedule() -> None:
    """MPUG, 'Earned Schedule Management (ESM)' (https://mpug.com/articles/earned-schedule-management-esm):
    10 modules of $100,000 planned over 10 months finish in 12 months for $1.3M. At the end the
    cost-based indicators read SV $0 and SPI 1.0, as if on time; earned schedule reads ES 10
    months, SV(t) −2 months and SPI(t) 10 / 12 = 0.83."""
    baseline = [D(100_000) * month for month in range(1, 11)]
    value = earned_value(D(1_000_000), D(1_000_000), D(1_300_000), D(1_000_000))
    assert value.sv == 0 and value.spi == 1
    assert near(value.cpi, "0.77") and value.cv == -300_000
    schedule = earned_schedule(baseline, D(1_000_000), 12)
    assert schedule.es == 10 and schedule.sv_t == -2
    assert near(schedule.spi_t, "0.83")
    assert schedule.ieac_t == 12 and schedule.forecast_slip == 2  # finished: the forecast is AT


def test_lipke_interpolation_between_may_and_june() -> None:
    """Lipke, 'Earned Schedule Concept' (the figure of Lipke 2003, 'Schedule is Different',
    The Measurable News; https://www.scribd.com/doc/47929652/Earned-Schedule-Concept):
    at AT = 7 (end of July) all PV through May is earned and part of June, so
    ES = 5 + (EV − PV(May)) / (PV(June) − PV(May)). The figure shows no amounts; with a
    baseline of 10, 25, 45, 70, 100, 130, 160, 185, 205, 220 and EV 118:
    ES = 5 + 18 / 30 = 5.6, SV(t) = −1.4, SPI(t) = 0.8, IEAC(t) = PD / SPI(t) = 10 / 0.8 = 12.5."""
    baseline = [10, 25, 45, 70, 100, 130, 160, 185, 205, 220]
    result = earned_schedule(baseline, 118, 7)
    assert result.es == D("5.6") and result.sv_t == D("-1.4") and result.spi_t == D("0.8")
    assert result.planned_duration == 10 and result.ieac_t == D("12.5")
    at_plan_speed = earned_schedule(baseline, 118, 7, performance_factor=1)
    assert at_plan_speed.ieac_t == D("11.4")  # AT + (PD − ES): the rest goes to plan


# ------------------------------------------------------------------ edges and bad input


def test_nothing_planned_spent_or_earned_yet_is_not_defined_not_a_crash() -> None:
    result = earned_value(0, 0, 0, 1000)
    assert result.spi is None and result.cpi is None
    assert result.eac_cpi is None and result.eac_cpi_spi is None and result.eac is None
    assert result.eac_atypical == 1000 and result.tcpi_bac == 1
    spent = earned_value(500, 0, 1000, 1000)
    assert spent.cpi == 0 and spent.eac_cpi is None and spent.tcpi_bac is None  # budget gone
    assert earned_value(0, 0, 0, 0).percent_complete is None


def test_bottom_up_estimate_drives_eac_etc_vac_and_tcpi() -> None:
    result = earned_value(300, 200, 250, 500, etc_bottom_up=350)
    assert result.eac_bottom_up == 600 and result.eac == 600
    assert result.etc == 350 and result.vac == -100
    assert result.tcpi_eac == D(300) / D(350)
    assert result.eac_cpi == 625  # still reported beside it


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((-1, 0, 0, 100), "pv must be 0 or more"),
        ((0, 1.5, 0, 100), "ev must be a Decimal"),
        ((0, 0, "abc", 100), "ac must be a number"),
        ((0, 0, 0, D("NaN")), "bac must be finite"),
        ((0, 0, 0, True), "bac must be a Decimal"),
    ],
)
def test_bad_amounts_are_refused_by_name(arguments: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        earned_value(*arguments)  # type: ignore[arg-type]


def test_bad_baselines_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one period"):
        earned_schedule([], 1, 1)
    with pytest.raises(ValueError, match="less than the period before"):
        earned_schedule([10, 5, 20], 1, 1)
    with pytest.raises(ValueError, match="plans no value"):
        earned_schedule([0, 0], 0, 1)
    with pytest.raises(ValueError, match="planned_duration must be more than 0"):
        earned_schedule([10], 1, 1, 0)


def test_earned_schedule_at_time_zero_has_no_spi_t_or_forecast() -> None:
    result = earned_schedule([10, 20], 0, 0)
    assert result.es == 0 and result.spi_t is None and result.ieac_t is None


def test_flat_baseline_periods_count_as_earned_as_lipke_counts_them() -> None:
    # Nothing is planned in period 2: EV of 10 has earned periods 1 and 2.
    assert earned_schedule([10, 10, 20], 10, 3).es == 2
    assert earned_schedule([10, 10, 20], 15, 3).es == D("2.5")


def test_series_gives_each_period_and_holds_pv_at_bac_past_the_plan() -> None:
    series = evm_series([100, 200, 300], [80, 150, 250, 300], [90, 170, 280, 340])
    assert [point.period for point in series] == [1, 2, 3, 4]
    assert [point.earned_value.pv for point in series] == [100, 200, 300, 300]
    assert series[1].earned_value.cv == -20 and series[1].earned_schedule.es == D("1.5")
    assert series[3].earned_schedule.es == 3 and series[3].earned_schedule.sv_t == -1
    assert series[3].earned_value.sv == 0  # the quirk earned schedule fixes
    with pytest.raises(ValueError, match="one per period"):
        evm_series([100], [1, 2], [1])


def test_roll_up_tree_sums_tasks_into_phases_project_program_portfolio() -> None:
    leaves = {
        "t1": Measures(D(100), D(80), D(90), D(200)),
        "t2": Measures(D(50), D(50), D(40), D(100)),
        "t3": Measures(D(30), D(10), D(20), D(60)),
    }
    parent = {"t1": "design", "t2": "design", "t3": "build", "design": "p", "build": "p", "p": "prog"}
    parent["prog"] = "portfolio"
    totals = roll_up_tree(leaves, parent)
    assert totals["design"] == Measures(D(150), D(130), D(130), D(300))
    assert totals["portfolio"] == totals["p"] == Measures(D(180), D(140), D(150), D(360))
    assert totals["portfolio"].earned_value().cpi == D(140) / D(150)  # recomputed, not averaged
    with pytest.raises(ValueError, match="cycle"):
        roll_up_tree({"a": Measures()}, {"a": "b", "b": "a"})


# ------------------------------------------------------------------ properties

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(value=st.decimals(min_value=D("0.01"), max_value=10**9, places=2), bac=amounts)
def test_on_plan_and_on_budget_every_estimate_is_the_budget(value: D, bac: D) -> None:
    result = earned_value(value, value, value, bac)
    assert result.spi == 1 and result.cpi == 1
    assert result.eac_atypical == bac and result.eac_cpi == bac and result.eac_cpi_spi == bac


@given(pv=amounts, ev=amounts, ac=amounts, bac=amounts, etc=st.none() | amounts)
def test_any_amounts_compute_without_an_exception(pv: D, ev: D, ac: D, bac: D, etc: D | None) -> None:
    result = earned_value(pv, ev, ac, bac, etc_bottom_up=etc)
    assert result.cv == ev - ac and result.sv == ev - pv
    if result.eac is not None:
        assert result.etc == result.eac - ac and result.vac == bac - result.eac


baselines = st.lists(st.integers(0, 1000), min_size=1, max_size=24).map(
    lambda steps: [sum(steps[: n + 1]) + n + 1 for n in range(len(steps))]  # strictly rising
)


@given(baseline=baselines, data=st.data())
def test_behind_schedule_earned_schedule_is_not_after_actual_time(
    baseline: list[int], data: st.DataObject
) -> None:
    actual = data.draw(st.integers(1, len(baseline)))
    ev = data.draw(st.integers(0, baseline[actual - 1] - 1))  # SV < 0 at AT
    result = earned_schedule(baseline, ev, actual)
    assert result.es <= actual and result.sv_t <= 0
    assert earned_schedule(baseline, baseline[actual - 1], actual).es == actual  # on plan: ES = AT


leaf_measures = st.builds(Measures, amounts, amounts, amounts, amounts, st.none() | amounts)


@given(leaves=st.lists(leaf_measures, min_size=1, max_size=30), data=st.data())
def test_roll_up_of_any_tree_equals_the_flat_sum(leaves: list[Measures], data: st.DataObject) -> None:
    groups = data.draw(st.integers(1, 5))
    named = {f"task{n}": item for n, item in enumerate(leaves)}
    parent: dict[str, str | None] = {task: f"phase{data.draw(st.integers(0, groups - 1))}" for task in named}
    parent.update({f"phase{n}": "project" for n in range(groups)})
    flat = roll_up(leaves)
    totals = roll_up_tree(named, parent)
    assert totals["project"] == flat
    assert totals["project"].earned_value() == flat.earned_value()
    assert sum((totals[f"phase{n}"].ev for n in range(groups)), D(0)) == flat.ev

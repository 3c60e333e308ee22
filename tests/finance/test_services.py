"""Planned, earned and actual cost of the tiny project in conftest.py, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from itpm.core.errors import Forbidden, NotFound
from itpm.finance.earned import earned_value_report, rag
from tests.conftest import World
from tests.finance.conftest import STATUS

D = Decimal


def test_planned_value_is_time_phased_by_week(tiny: World) -> None:
    report = earned_value_report(tiny.pm, tiny.project.pk, "week")
    by_day = {p.day: p for p in report.points}
    # Period ends (Sundays) and the status date: design by the 11th; five build days (5 × 960),
    # the licence and the servers by the 18th; everything by the 25th.
    assert by_day[dt.date(2026, 1, 11)].pv == D(3200)
    assert by_day[STATUS].pv == D(3200 + 4800 + 1000 + 2000)
    assert by_day[dt.date(2026, 1, 18)].pv == D(11000)
    assert by_day[dt.date(2026, 1, 25)].pv == D(16300)
    assert report.indicators.bac == D(16300)
    assert by_day[dt.date(2026, 1, 25)].ev is None  # nothing is earned after the status date


def test_earned_value_and_actual_cost_at_the_status_date(tiny: World) -> None:
    ind = earned_value_report(tiny.pm, tiny.project.pk).indicators
    # EV: design 3,200 + 40 % of build's 10,600 + the received servers 2,000.
    assert ind.ev == D(9440)
    # AC without approved time: the licence (build has started) and the received servers.
    assert ind.ac == D(3000)
    assert ind.pv == D(11000)
    assert ind.sv == D(-1560) and ind.cv == D(6440)
    assert ind.spi.quantize(D("0.0001")) == D("0.8582")
    assert ind.eac_atypical == D(3000 + 16300 - 9440)


def test_earned_schedule_in_weeks(tiny: World) -> None:
    report = earned_value_report(tiny.pm, tiny.project.pk)
    es = report.schedule
    assert es is not None
    # Cumulative PV by week: 3,200 | 11,000 | 16,300. EV 9,440 lies in week 2:
    # ES = 1 + (9,440 − 3,200) / (11,000 − 3,200) = 1.8; AT = 1 + 5/7 (Mon–Fri of week 2).
    assert es.es == D("1.8")
    assert es.actual_time.quantize(D("0.0001")) == D("1.7143")
    assert es.spi_t.quantize(D("0.001")) == D("1.050")
    assert report.earned_date == dt.date(2026, 1, 17)  # the 11th + 0.8 × 7 days, rounded


def test_monthly_periods_put_everything_in_january(tiny: World) -> None:
    report = earned_value_report(tiny.pm, tiny.project.pk, "month")
    assert [p.day for p in report.points] == [dt.date(2025, 12, 31), STATUS, dt.date(2026, 1, 31)]
    assert report.points[-1].pv == D(16300)


def test_cost_rate_changes_on_its_effective_date(tiny: World) -> None:
    from itpm.finance.models import CostRate

    # From Thursday the 8th Mia costs 100/h: design = 3 × 8 × 80 + 2 × 8 × 100 = 3,520.
    CostRate.objects.create(
        resource=tiny.member_resource, standard_rate=D(100), effective_from=dt.date(2026, 1, 8)
    )
    assert earned_value_report(tiny.pm, tiny.project.pk).points[1].pv == D(3520)
    # A rate for her role (Developer) fills the days before her own rate starts, not after:
    # 3 × 8 × 60 + 2 × 8 × 100 = 3,040.
    CostRate.objects.create(role="Developer", standard_rate=D(60), effective_from=dt.date(2025, 1, 1))
    assert earned_value_report(tiny.pm, tiny.project.pk).points[1].pv == D(3040)


def test_a_role_rate_change_mid_task_leaves_the_resource_own_rate(tiny: World) -> None:
    from itpm.finance.models import CostRate

    # Labour is priced per run of days until the next rate change of the person or the role;
    # the role's change on Wednesday the 7th ends a run but Mia's own 100/h still holds.
    CostRate.objects.create(
        resource=tiny.member_resource, standard_rate=D(100), effective_from=dt.date(2025, 1, 1)
    )
    CostRate.objects.create(role="Developer", standard_rate=D(60), effective_from=dt.date(2026, 1, 7))
    assert earned_value_report(tiny.pm, tiny.project.pk).points[1].pv == D(5 * 8 * 100)


def test_labour_in_another_currency_converts_each_day(tiny: World) -> None:
    from itpm.finance.models import CostRate, ExchangeRate

    # Mia at 100 USD/h = 800 USD a day; the euro goes from 1.25 to 2 dollars on Thursday the
    # 8th: design = 3 × 800 / 1.25 + 2 × 800 / 2 = 1,920 + 800.
    CostRate.objects.create(
        resource=tiny.member_resource,
        standard_rate=D(100),
        currency="USD",
        effective_from=dt.date(2025, 1, 1),
    )
    for rate, day in ((D("1.25"), "2026-01-01"), (D(2), "2026-01-08")):
        ExchangeRate.objects.create(base_currency="EUR", quote_currency="USD", rate=rate, effective_from=day)
    assert earned_value_report(tiny.pm, tiny.project.pk).points[1].pv == D(2720)


def test_role_rate_applies_when_the_resource_has_none(tiny: World) -> None:
    from itpm.finance.models import CostRate

    CostRate.objects.create(role="Developer", standard_rate=D(50), effective_from=dt.date(2025, 1, 1))
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.points[1].pv == D(5 * 8 * 50)


def test_other_currencies_convert_on_the_day(tiny: World) -> None:
    from itpm.finance.models import ExchangeRate, Purchase

    ExchangeRate.objects.create(
        base_currency="EUR", quote_currency="USD", rate=D("1.25"), effective_from="2026-01-01"
    )
    Purchase.objects.create(
        project=tiny.project,
        description="Cloud credits",
        category="software",
        date=dt.date(2026, 1, 21),
        amount=D(1000),
        currency="USD",
        status="planned",
    )
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.indicators.bac == D(16300 + 800)  # 1,000 USD / 1.25 (the pair read backwards)
    assert report.missing_rates == []


def test_a_currency_without_a_rate_is_reported_not_guessed(tiny: World) -> None:
    from itpm.finance.models import Purchase

    Purchase.objects.create(
        project=tiny.project,
        description="Swiss consultancy",
        date=dt.date(2026, 1, 21),
        amount=D(10),
        currency="CHF",
    )
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.missing_rates == ["CHF→EUR"]
    assert report.indicators.bac == D(16300)


def test_phase_rows_roll_up_their_tasks(tiny: World) -> None:
    rows = earned_value_report(tiny.pm, tiny.project.pk).rows
    assert rows[0].level == 0 and rows[0].measures.bac == D(16300 - 2500)  # purchases are apart
    assert [r.name for r in rows[1:]] == ["Design", "Build", "Go-live"]
    build = rows[2]
    assert build.measures.ev == D(4240) and build.measures.ac == D(1000)


@pytest.mark.parametrize(
    ("index", "colour"), [("1.2", "green"), ("0.95", "green"), ("0.9", "amber"), ("0.89", "red")]
)
def test_rag_thresholds(index: str, colour: str) -> None:
    assert rag(D(index)) == colour


def test_rag_thresholds_come_from_settings(settings: object) -> None:
    settings.ITPM_EVM_THRESHOLDS = {"green": "1.0", "amber": "0.8"}  # type: ignore[attr-defined]
    assert rag(D("0.95")) == "amber" and rag(D("1.1"), inverse=True) == "amber" and rag(None) == "none"


@pytest.mark.parametrize("persona", ["member", "supplier"])
def test_roles_that_may_not_see_the_budget_are_refused(tiny: World, persona: str) -> None:
    with pytest.raises(Forbidden):
        earned_value_report(tiny.persona(persona), tiny.project.pk)


def test_a_project_you_cannot_see_does_not_exist(tiny: World) -> None:
    with pytest.raises(NotFound):
        earned_value_report(tiny.pm, tiny.other.pk)


def _sheet(world: World, resource: object, task: object, status: str, hours: dict[str, str]) -> None:
    from itpm.timesheets.models import TimeEntry, Timesheet

    sheet = Timesheet.objects.create(
        resource=resource, project=world.project, week_start=dt.date(2026, 1, 12), status=status
    )
    for day, amount in hours.items():
        TimeEntry.objects.create(timesheet=sheet, task=task, day=day, hours=D(amount))


def test_approved_time_is_actual_labour_cost_at_the_rate_of_its_day(tiny: World) -> None:
    from itpm.finance.models import CostRate

    # Sam's rate rises from 120 to 150 on Thursday the 15th: 3 × 8 × 120 + 2 × 7.5 × 150 = 5,130.
    CostRate.objects.create(
        resource=tiny.supplier_resource, standard_rate=D(150), effective_from=dt.date(2026, 1, 15)
    )
    week = {"2026-01-12": "8", "2026-01-13": "8", "2026-01-14": "8", "2026-01-15": "7.5", "2026-01-16": "7.5"}
    _sheet(tiny, tiny.supplier_resource, tiny.build, "approved", week)
    _sheet(tiny, tiny.member_resource, tiny.build, "submitted", {"2026-01-12": "8"})  # not approved
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.indicators.ac == D(3000 + 5130)
    build = next(row for row in report.rows if row.name == "Build")
    assert build.measures.ac == D(1000 + 5130)
    # The PV of build is priced at the new rate too, from the 15th: 3 × 960 + 2 × 1,200 + 1,000.
    assert report.indicators.pv == D(3200 + 2880 + 2400 + 1000 + 2000)


def test_a_cross_rate_goes_through_a_shared_currency(tiny: World) -> None:
    from itpm.finance.models import ExchangeRate, Purchase

    tiny.project.currency = "GBP"
    tiny.project.save()
    ExchangeRate.objects.create(
        base_currency="EUR", quote_currency="GBP", rate=D("0.8"), effective_from="2026-01-01"
    )
    ExchangeRate.objects.create(
        base_currency="EUR", quote_currency="USD", rate=D("1.25"), effective_from="2026-01-01"
    )
    Purchase.objects.create(
        project=tiny.project, description="US licences", category="software", date=dt.date(2026, 1, 21),
        amount=D(1000), currency="USD",
    )  # fmt: skip
    report = earned_value_report(tiny.pm, tiny.project.pk)
    # Everything else is in EUR (× 0.8); the 1,000 USD are 800 EUR, so 640 GBP.
    assert report.indicators.bac == D(16300) * D("0.8") + D(640)
    assert report.missing_rates == []


def test_no_earned_schedule_before_the_baseline_starts(tiny: World) -> None:
    tiny.project.status_date = dt.date(2025, 12, 1)  # a month before the first task
    tiny.project.save()
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.schedule is None and report.forecast_finish is None and report.earned_date is None
    assert report.indicators.pv == 0 and report.indicators.spi is None


def test_earned_schedule_counts_from_the_baseline_start_not_from_early_hours(tiny: World) -> None:
    from itpm.timesheets.models import TimeEntry, Timesheet

    # Hours booked a week before the plan starts widen the chart, not the schedule clock.
    sheet = Timesheet.objects.create(
        resource=tiny.member_resource,
        project=tiny.project,
        week_start=dt.date(2025, 12, 29),
        status="approved",
    )
    TimeEntry.objects.create(timesheet=sheet, task=tiny.design, day=dt.date(2025, 12, 30), hours=D(4))
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.points[0].day == dt.date(2025, 12, 28) and report.indicators.ac == D(3000 + 320)
    assert report.schedule is not None and report.schedule.es == D("1.8")  # as without them


def test_a_finished_project_is_measured_on_the_day_it_finished(tiny: World) -> None:
    from itpm.planning.models import Task

    tiny.project.status_date = None
    tiny.project.save()
    Task.objects.filter(project=tiny.project).update(percent_complete=100)
    Task.objects.filter(pk=tiny.build.pk).update(actual_finish="2026-01-23")
    Task.objects.filter(pk=tiny.golive.pk).update(actual_start="2026-01-23", actual_finish="2026-01-23")
    report = earned_value_report(tiny.pm, tiny.project.pk, today=dt.date(2026, 11, 2))
    assert report.status_date == dt.date(2026, 1, 23)
    assert report.schedule is not None and report.schedule.spi_t is not None
    assert report.schedule.spi_t > D("0.9")  # on time, not ten months late


def test_earned_value_is_the_baseline_budget_times_progress(tiny: World) -> None:
    from itpm.finance.models import CostRate
    from itpm.planning.models import Task
    from itpm.planning.services.baselines import do_set_baseline

    do_set_baseline(tiny.project, "Approved plan")
    # Build slips into February, where Sam's rate is 150 instead of 120: the current schedule
    # now costs more, but what 40 % of build earns is 40 % of its budget in the baseline.
    CostRate.objects.create(
        resource=tiny.supplier_resource, standard_rate=D(150), effective_from=dt.date(2026, 2, 1)
    )
    Task.objects.filter(pk=tiny.build.pk).update(start="2026-02-02", finish="2026-02-13")
    report = earned_value_report(tiny.pm, tiny.project.pk)
    assert report.indicators.ev == D(9440) and report.indicators.bac == D(16300)
    assert report.points[-1].current == D(16300 - 9600 + 12000)  # the slipped plan, dearer


def test_an_index_that_rounds_to_zero_has_no_minus_sign() -> None:
    from itpm.finance.reports import _index
    from itpm.web.finance_pages import _index as shown

    residue = D("-1E-24")  # what BAC − EV can leave once a project is fully earned
    assert str(_index(residue)) == "0.0000" and shown(residue) == "0.00" and shown(None) == "—"

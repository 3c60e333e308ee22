"""The demo's figures as a steering committee reads them: status dates, cost and schedule
indices, approved time behind progress, the closed project's outcome and the stored forecasts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from itpm.demo import load_demo
from itpm.demo.staffing import DAY_CAP
from itpm.demo.timesheets import EFFORT_RATIO

TODAY = dt.date(2026, 3, 4)  # the demo anchors on Monday 2 March 2026
ANCHOR = dt.date(2026, 3, 2)
LAST_FRIDAY = dt.date(2026, 2, 27)
WITH_ACTUALS = ("in-progress", "on-hold", "closed")


@pytest.fixture
def demo(db: Any) -> None:
    load_demo(today=TODAY)


def test_status_dates_follow_the_reporting_cycle(demo: None) -> None:
    from itpm.portfolio.models import Project

    for project in Project.objects.all():
        if project.status in ("in-progress", "on-hold"):
            assert project.status_date == LAST_FRIDAY, project.code
            assert not project.tasks.filter(actual_start__gt=project.status_date).exists()
        elif project.status == "closed":
            last = max(project.tasks.exclude(actual_finish=None).values_list("actual_finish", flat=True))
            assert project.status_date == last
        else:
            assert project.status_date is None and not project.tasks.exclude(actual_start=None).exists()


def test_cost_and_schedule_indices_are_believable(demo: None) -> None:
    from itpm.finance.earned import project_earned_value
    from itpm.portfolio.models import Project

    cpis, spis = {}, {}
    for project in Project.objects.filter(status__in=WITH_ACTUALS):
        indicators = project_earned_value(project).indicators
        assert indicators.ac > 0, project.code
        cpis[project.code], spis[project.code] = indicators.cpi, indicators.spi
    assert all(Decimal("0.8") <= cpi <= Decimal("1.2") for cpi in cpis.values()), cpis
    assert min(cpis.values()) < Decimal("0.95") and max(cpis.values()) > Decimal("1.0"), cpis
    assert spis["ERP-S4"] < 1 and spis["NET-BRANCH"] < 1 and spis["DCX-AZURE"] >= Decimal("0.99")


def test_approved_time_tracks_progress_and_only_named_people_log_it(demo: None) -> None:
    from django.db.models import Sum

    from itpm.planning.models import Task
    from itpm.timesheets.models import TimeEntry
    from itpm.timesheets.services import hours_per_day, planned_work

    assert not TimeEntry.objects.filter(timesheet__resource__kind="role").exists()
    days = TimeEntry.objects.values("timesheet__resource", "day").annotate(total=Sum("hours"))
    assert max(row["total"] for row in days) <= DAY_CAP
    started = Task.objects.filter(
        project__status__in=WITH_ACTUALS, is_summary=False, is_milestone=False, percent_complete__gt=0
    ).exclude(assignments=None)
    short = []
    for task in started.select_related("project", "project__calendar").prefetch_related("assignments"):
        work = planned_work(task, hours_per_day(task.project))
        earned = work * task.percent_complete / 100 * EFFORT_RATIO.get(task.project.code, Decimal(1))
        logged = task.time_entries.filter(day__lt=ANCHOR)  # this week's drafts come on top
        hours = logged.aggregate(total=Sum("hours"))["total"] or Decimal(0)
        assert hours <= earned + Decimal(1), (task.project.code, task.name, hours, earned)
        if hours < earned * Decimal("0.85"):
            short.append(task.name)
    assert len(short) <= started.count() // 50, short  # a day when the whole team was full


def test_the_closed_project_recorded_what_it_cost(demo: None) -> None:
    from itpm.governance.models import ProjectOutcome

    outcome = ProjectOutcome.objects.get(project__status="closed")
    assert outcome.actual_cost is not None and outcome.actual_cost > 0
    assert Decimal("0.8") <= outcome.actual_cost / outcome.planned_cost <= Decimal("1.1")
    assert outcome.actual_duration_days >= outcome.planned_duration_days


def test_stored_forecasts_tell_apart_the_projects_that_will_make_it(demo: None) -> None:
    from itpm.governance.models import SimulationRun
    from itpm.portfolio.models import Project

    chance = {}
    for project in Project.objects.exclude(status="closed"):
        run = SimulationRun.objects.filter(project=project).first()
        assert run is not None, project.code
        assert run.results["deadline"] == project.planned_finish.isoformat()
        assert run.parameters["as_of"] == (project.status_date.isoformat() if project.status_date else None)
        chance[project.code] = run.results["probability_deadline"]
        # 13 % contingency and reserve, less any overrun to date (work done counts at its actual cost)
        assert run.results["probability_budget"] >= 0.75, project.code
        exposure = sum(r.probability * r.cost_likely for r in project.risks.all())
        assert 0 < exposure <= project.budget * Decimal("0.1"), project.code  # risks sized to the project
    likely = [code for code, p in chance.items() if p >= 0.6]
    unlikely = [code for code, p in chance.items() if p <= 0.2]
    assert len(likely) >= 3 and {"ERP-S4", "NET-BRANCH", "MOB-FIELD"} <= set(unlikely), chance

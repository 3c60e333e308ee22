"""Loads and over-allocations across projects, checked by hand against tests/resources/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from itpm.core.errors import Invalid
from itpm.planning.models import Calendar, CalendarException
from itpm.resources.capacity import LoadFilter, load_rows, loads
from itpm.resources.overallocation import over_allocation_runs
from itpm.resources.pages import LoadQuery, load_page
from tests.resources.conftest import MONDAY, Clash

FOUR_WEEKS = LoadFilter(MONDAY, MONDAY + dt.timedelta(weeks=4))


def _row(rows: list, label: str):
    return next(row for row in rows if row.label == label)


def test_weekly_load_of_a_person_as_the_project_manager_sees_it(clash: Clash) -> None:
    mia = _row(load_rows(clash.world.pm, FOUR_WEEKS), "Mia Member")
    first, second, third = mia.cells[:3]
    # Week 1: Design 5 days x 1, Review 5 x 0.5, Spec 5 x 1 = 12.5 unit-days of 5.
    assert (first.week, first.demand, first.capacity, first.percent, first.over) == (
        MONDAY,
        12.5,
        5.0,
        250,
        True,
    )
    # Week 2: Design's last five days; CANARY is invisible to the ERP manager.
    assert (second.demand, second.percent, second.over) == (5.0, 100, False)
    assert (third.demand, third.percent, third.over) == (0.0, 0, False)


def test_the_administrator_sees_the_other_projects_load_on_the_same_person(clash: Clash) -> None:
    mia = _row(load_rows(clash.world.admin, FOUR_WEEKS), "Mia Member")
    second = mia.cells[1]
    assert (second.demand, second.percent, second.over) == (8.0, 160, True)  # + CANARY 3 days


def test_over_allocation_runs_name_the_tasks_and_projects(clash: Clash) -> None:
    runs = over_allocation_runs(clash.world.admin, FOUR_WEEKS)
    # Over on 5-9 January (2.5 units) and 12-14 January (Design + CANARY, 2 units): one run,
    # since the weekend between is neither worked nor asked for.
    [mia] = [run for run in runs if run.resource == "Mia Member"]
    assert (mia.start, mia.finish, mia.days) == (MONDAY, dt.date(2026, 1, 14), 8)
    assert (mia.peak_demand, mia.capacity, mia.excess_days, mia.on_leave_days) == (2.5, 1.0, 10.5, 0)
    assert sorted(b.task_name for b in mia.bookings) == ["Canary task zq9x", "Design", "Review", "Spec"]
    assert mia.projects == ["CANARY", "ERP"]
    pm_view = over_allocation_runs(clash.world.pm, FOUR_WEEKS)
    assert [(r.resource, r.start, r.finish, r.projects) for r in pm_view] == [
        ("Mia Member", MONDAY, dt.date(2026, 1, 9), ["ERP"])
    ]


def test_leave_on_the_persons_calendar_removes_capacity_and_shows_as_over(clash: Clash) -> None:
    world = clash.world
    leave = Calendar.objects.create(name="Mia's calendar")
    CalendarException.objects.create(
        calendar=leave, name="Leave", start=dt.date(2026, 1, 15), finish=dt.date(2026, 1, 16)
    )
    world.member_resource.calendar = leave
    world.member_resource.save()
    mia = _row(load_rows(world.pm, FOUR_WEEKS), "Mia Member")
    assert (mia.cells[1].demand, mia.cells[1].capacity, mia.cells[1].over) == (5.0, 3.0, True)
    runs = [r for r in over_allocation_runs(world.pm, FOUR_WEEKS) if r.start > MONDAY]
    assert [(r.start, r.finish, r.on_leave_days, r.excess_days) for r in runs] == [
        (dt.date(2026, 1, 15), dt.date(2026, 1, 16), 2, 2.0)
    ]


def test_weekends_do_not_split_a_run(clash: Clash) -> None:
    from itpm.resources.models import Assignment

    Assignment.objects.filter(task=clash.world.design).update(units=2)  # over all of 5-16 January
    runs = [r for r in over_allocation_runs(clash.world.pm, FOUR_WEEKS) if r.resource == "Mia Member"]
    assert [(r.start, r.finish, r.days) for r in runs] == [(MONDAY, dt.date(2026, 1, 16), 10)]


def test_supplier_sees_only_its_own_people_and_outsider_only_its_project(clash: Clash) -> None:
    world = clash.world
    assert [load.resource.name for load in loads(world.supplier, FOUR_WEEKS)] == ["Sam Supplier"]
    sam = _row(load_rows(world.supplier, FOUR_WEEKS), "Sam Supplier")
    assert [cell.demand for cell in sam.cells] == [0.0, 0.0, 5.0, 5.0]  # Build from 19 January
    assert over_allocation_runs(world.supplier, FOUR_WEEKS) == []
    # The outsider manages CANARY only: Mia's CANARY days, nothing of ERP.
    outsider = {load.resource.name: load for load in loads(world.outsider, FOUR_WEEKS)}
    assert [b.project_code for b in outsider["Mia Member"].bookings] == ["CANARY"]
    assert outsider["Mia Member"].demand.sum() == 3.0 and outsider["Sam Supplier"].demand.sum() == 0.0


def test_groups_per_role_and_per_team(clash: Clash) -> None:
    by_role = load_rows(clash.world.pm, FOUR_WEEKS, "role")
    developer = _row(by_role, "Developer")
    assert (developer.detail, developer.cells[0].demand, developer.cells[0].over_people) == (
        "1 resource",
        12.5,
        1,
    )
    by_team = {row.label: row for row in load_rows(clash.world.pm, FOUR_WEEKS, "team")}
    assert set(by_team) == {"Acme Integrators", "Internal"}
    assert by_team["Acme Integrators"].cells[2].demand == 5.0


def test_filters_and_paging(clash: Clash) -> None:
    world = clash.world
    only_acme = load_page(world.pm, LoadQuery(first=MONDAY, weeks=4, team="acme integrators"))
    assert [row.label for row in only_acme.rows] == ["Sam Supplier"]
    erp = load_page(world.admin, LoadQuery(first=MONDAY, weeks=4, project="CANARY"))
    assert [row.label for row in erp.rows] == ["Mia Member"] and erp.rows[0].cells[1].demand == 3.0
    busiest = load_page(world.pm, LoadQuery(first=MONDAY, weeks=4, sort="load"))
    assert busiest.rows[0].label == "Mia Member" and busiest.over_rows == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 105}, "weeks"),
        ({"group": "desk"}, "group"),
        ({"sort": "random"}, "sort"),
        ({"page": 0}, "page"),
    ],
)
def test_bad_questions_name_the_field(change: dict, field: str) -> None:
    with pytest.raises(Invalid) as error:
        LoadQuery(first=MONDAY, **change)
    assert error.value.field == field


def test_a_hidden_project_is_refused_like_a_missing_one(clash: Clash) -> None:
    for code in ("CANARY", "NOPE"):
        with pytest.raises(Invalid) as error:
            load_page(clash.world.pm, LoadQuery(first=MONDAY, project=code))
        assert error.value.field == "project"
    with pytest.raises(Invalid) as error:
        load_page(clash.world.pm, LoadQuery(first=MONDAY, page=9))
    assert error.value.field == "page"

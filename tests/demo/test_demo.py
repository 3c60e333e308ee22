"""The demo portfolio: realistic enough to recognise, sound enough to schedule, loaded once."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest

from itpm.demo import DEMO_PASSWORD, build_plan, load_demo
from itpm.demo.wbs import check_network, topological_order

TODAY = dt.date(2026, 3, 4)  # a Wednesday: the demo anchors on Monday 2 March 2026
ANCHOR = dt.date(2026, 3, 2)

EXPECTED_ROLES = {
    "pm": {"ERP-S4": "project-manager", "NET-BRANCH": "project-manager"},
    "dev": {"ERP-S4": "team-member", "ITSM-SD": "team-member"},
    "sponsor": {"ERP-S4": "stakeholder", "NET-BRANCH": "stakeholder"},
    "vendor": {"NET-BRANCH": "supplier"},
}


# ---- the plan as data (no database) -----------------------------------------------------------


def test_plan_is_deterministic_and_anchored_on_monday() -> None:
    first, second = build_plan(TODAY), build_plan(TODAY)
    assert first == second
    assert first.anchor == ANCHOR
    later = build_plan(dt.date(2027, 1, 13))
    assert later.anchor == dt.date(2027, 1, 11)
    shape = [[(t.key, t.name, t.duration_days) for t in p.tasks] for p in first.projects]
    assert shape == [[(t.key, t.name, t.duration_days) for t in p.tasks] for p in later.projects]
    assert [p.start for p in later.projects] != [p.start for p in first.projects]


def test_plan_defaults_to_the_current_week() -> None:
    from django.utils import timezone

    today = timezone.localdate()
    assert build_plan().anchor == today - dt.timedelta(days=today.weekday())


def test_plan_networks_are_sound() -> None:
    plan = build_plan(TODAY)
    for project in plan.projects:
        check_network(project.tasks, project.links)  # raises on summary links or cycles
        keys = [t.key for t in project.tasks]
        assert [t.order for t in project.tasks] == sorted(t.order for t in project.tasks)
        assert len(set(keys)) == len(keys)
        for task in project.tasks:
            if task.is_milestone:
                assert task.duration_days == 0 and not task.assignments
            for _key, units in task.assignments:
                assert units > 0


# ---- the loaded portfolio ---------------------------------------------------------------------


def _counts() -> dict[str, Any]:
    from itpm.planning.models import Baseline, CalendarException, Dependency, Task
    from itpm.portfolio.models import Membership, Project
    from itpm.resources.models import Assignment, Resource

    return {
        "projects": Project.objects.count(),
        "tasks": Task.objects.count(),
        "links": Dependency.objects.count(),
        "assignments": Assignment.objects.count(),
        "resources": Resource.objects.count(),
        "memberships": Membership.objects.count(),
        "baselines": Baseline.objects.count(),
        "holidays": CalendarException.objects.count(),
    }


def test_load_counts_and_second_load_changes_nothing(db: Any) -> None:
    from itpm.planning.models import Calendar, Dependency, Task
    from itpm.resources.models import Resource

    summary = load_demo(today=TODAY)
    assert summary.created
    assert summary.projects >= 8 and summary.tasks >= 400 and summary.people >= 30
    assert 500 <= summary.tasks <= 800
    assert Resource.objects.filter(kind="contractor").count() >= 5
    assert Resource.objects.filter(kind="role", max_units__gt=1).exists()
    assert set(Dependency.objects.values_list("type", flat=True)) == {"FS", "SS", "FF", "SF"}
    assert Dependency.objects.filter(lag_days__lt=0).exists()
    assert Task.objects.filter(is_milestone=True, duration_days=0).count() >= 40
    for country in ("IE", "DE", "GB"):
        calendar = Calendar.objects.get(country=country)
        assert calendar.exceptions.filter(start__year=ANCHOR.year).count() >= 6
    assert Calendar.objects.get(working_week="1234567").resources.exists()
    before = _counts()

    again = load_demo(today=TODAY)
    assert not again.created
    assert (again.projects, again.tasks, again.people) == (summary.projects, summary.tasks, summary.people)
    assert again.logins == summary.logins
    assert _counts() == before


def test_seed_rows_have_history(db: Any) -> None:
    from itpm.planning.models import Dependency, Task
    from itpm.resources.models import Assignment

    load_demo(today=TODAY)
    for model in (Task, Dependency, Assignment):
        assert model.history.count() == model.objects.count() > 0  # type: ignore[attr-defined]


def test_every_login_works_and_has_its_role(db: Any) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from itpm.portfolio.models import Membership
    from itpm.portfolio.rules import PROJECT_MANAGERS_GROUP

    summary = load_demo(today=TODAY)
    assert {name for name, _, _ in summary.logins} == {"admin", "pm", "dev", "sponsor", "vendor"}
    users = {}
    for username, password, persona in summary.logins:
        assert password == DEMO_PASSWORD and persona
        user = authenticate(request=RequestFactory().post("/"), username=username, password=password)
        assert user is not None, username
        assert user.email.endswith("@example.com") and user.first_name and user.last_name
        users[username] = user
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["pm"].groups.filter(name=PROJECT_MANAGERS_GROUP).exists()
    assert users["dev"].resource.kind == "person"
    assert users["vendor"].resource.kind == "contractor"
    assert users["vendor"].resource.assignments.filter(task__project__code="NET-BRANCH").exists()
    for username, expected in EXPECTED_ROLES.items():
        roles = dict(Membership.objects.filter(user=users[username]).values_list("project__code", "role"))
        assert expected.items() <= roles.items(), (username, roles)
    assert len(dict(Membership.objects.filter(user=users["sponsor"]).values_list("project", "role"))) >= 4


def test_dependencies_stay_in_project_and_form_no_cycle(db: Any) -> None:
    from itpm.planning.models import Dependency, Task

    load_demo(today=TODAY)
    links = list(
        Dependency.objects.values_list(
            "project_id",
            "predecessor__project_id",
            "successor__project_id",
            "predecessor__is_summary",
            "successor__is_summary",
            "predecessor_id",
            "successor_id",
        )
    )
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for project, pred_project, succ_project, pred_summary, succ_summary, pred, succ in links:
        assert project == pred_project == succ_project
        assert not pred_summary and not succ_summary
        pairs[project].append((pred, succ))
    for project, project_pairs in pairs.items():
        tasks = list(Task.objects.filter(project_id=project).values_list("pk", flat=True))
        assert topological_order(tasks, project_pairs) is not None


def test_wbs_summaries_children_and_outline(db: Any) -> None:
    from itpm.planning.models import Task

    load_demo(today=TODAY)
    parents = Counter(Task.objects.exclude(parent=None).values_list("parent_id", flat=True))
    for task in Task.objects.filter(is_summary=True):
        assert parents[task.pk] > 0, task
    assert set(parents) == set(Task.objects.filter(is_summary=True).values_list("pk", flat=True))
    for task in Task.objects.exclude(parent=None).select_related("parent"):
        assert task.wbs_code.startswith(f"{task.parent.wbs_code}.")
        assert task.order > task.parent.order


def test_schedule_baselines_and_progress(db: Any) -> None:
    from itpm.planning.models import Baseline, BaselineTask, Task
    from itpm.portfolio.models import Project

    load_demo(today=TODAY)
    assert not Task.objects.filter(start=None).exists()
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {"in-progress", "closed", "on-hold", "proposed", "planning"} <= statuses
    assert {"green", "amber", "red"} == set(Project.objects.values_list("rag", flat=True))
    for project in Project.objects.filter(status="in-progress"):
        baseline = Baseline.objects.get(project=project, name="Approved plan")
        assert baseline.tasks.count() == project.tasks.count()
        assert sum(b.cost for b in baseline.tasks.all()) > 0
        assert project.tasks.filter(percent_complete=100, actual_finish__isnull=False).exists()
        assert project.tasks.filter(percent_complete=0).exists()
        assert project.planned_finish > project.planned_start
    closed = Project.objects.get(status="closed")
    assert closed.planned_finish.year == ANCHOR.year - 1
    assert not closed.tasks.exclude(percent_complete=100).exists()
    assert not Task.objects.filter(actual_start__gte=ANCHOR).exists()
    assert not Project.objects.get(status="proposed").baselines.exists()
    assert BaselineTask.objects.filter(cost__gt=0).exists()


def test_loaded_plan_matches_the_generated_plan(db: Any) -> None:
    from itpm.planning.models import Task

    plan = build_plan(TODAY)
    load_demo(today=TODAY)
    for project in plan.projects:
        stored = list(
            Task.objects.filter(project__code=project.code)
            .order_by("order")
            .values_list("wbs_code", "name", "duration_days", "is_summary", "is_milestone")
        )
        # a summary's duration is the span the scheduler computes from its children
        stored = [(w, n, None if summary else d, summary, m) for w, n, d, summary, m in stored]
        expected = [
            (t.key, t.name, None if t.is_summary else t.duration_days, t.is_summary, t.is_milestone)
            for t in project.tasks
        ]
        assert stored == expected


@pytest.mark.parametrize("username", ["admin", "richard.hale"])
def test_refuses_to_take_over_existing_accounts(db: Any, username: str) -> None:
    from django.contrib.auth.models import User

    from itpm.core.errors import Conflict
    from itpm.portfolio.models import Portfolio

    User.objects.create_user(username, password="someone-else's-1")
    with pytest.raises(Conflict):
        load_demo(today=TODAY)
    assert not Portfolio.objects.exists()


def test_a_failure_part_way_leaves_nothing_behind(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.models import User

    from itpm.demo import loader
    from itpm.planning.models import Calendar, Task
    from itpm.portfolio.models import Portfolio

    calls = []

    def failing_schedule(project: Any) -> None:
        calls.append(project.code)
        if len(calls) == 3:
            raise RuntimeError("engine down")

    monkeypatch.setattr(loader, "schedule", failing_schedule)
    with pytest.raises(RuntimeError):
        load_demo(today=TODAY)
    assert not Portfolio.objects.exists() and not Task.objects.exists()
    assert not Calendar.objects.exists() and not User.objects.exists()

"""Planning services: visibility by role, WBS upkeep, cycles refused, progress by assignees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from itpm.core.errors import Forbidden, Invalid, NotFound
from itpm.planning.models import Dependency, Task
from itpm.planning.scheduling.run import do_schedule_project
from itpm.planning.services.baselines import check_set_baseline
from itpm.planning.services.dependencies import check_create_dependency
from itpm.planning.services.tasks import check_create_task, check_delete_task, check_update_task
from itpm.planning.services.visibility import access_task, visible_dependencies, visible_tasks
from tests.conftest import World


def test_supplier_sees_only_assigned_tasks(world: World) -> None:
    assert list(visible_tasks(world.supplier)) == [world.build]
    with pytest.raises(NotFound):
        access_task(world.supplier, world.design.pk)
    assert not visible_dependencies(world.supplier).exists()


@pytest.mark.parametrize("persona", ["pm", "member", "viewer"])
def test_members_see_the_whole_plan_and_nothing_else(world: World, persona: str) -> None:
    tasks = set(visible_tasks(world.persona(persona)))
    assert tasks == {world.design, world.build, world.golive}


def test_children_make_a_summary_and_wbs_codes_follow_the_tree(world: World) -> None:
    child = check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Fit-gap", "parent_id": world.design.pk}
    )
    second = check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Solution design", "parent_id": world.design.pk}
    )
    world.design.refresh_from_db()
    assert world.design.is_summary
    child.refresh_from_db()
    second.refresh_from_db()
    assert (child.wbs_code, second.wbs_code) == ("1.1", "1.2")
    check_delete_task(world.pm, child)
    check_delete_task(world.pm, second)
    world.design.refresh_from_db()
    assert not world.design.is_summary


def test_a_task_cannot_go_under_its_own_subtask(world: World) -> None:
    child = check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Fit-gap", "parent_id": world.design.pk}
    )
    with pytest.raises(Invalid) as caught:
        check_update_task(world.pm, world.design, {"parent_id": child.pk})
    assert caught.value.field == "parent_id"


def test_parent_from_another_project_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as caught:
        check_create_task(
            world.pm, {"project_id": world.project.pk, "name": "x", "parent_id": world.canary_task.pk}
        )
    assert caught.value.field == "parent_id"
    assert not Task.objects.filter(name="x").exists()


def test_cycle_is_refused_with_the_tasks_named(world: World) -> None:
    with pytest.raises(Invalid) as caught:
        check_create_dependency(
            world.pm, {"predecessor_id": world.golive.pk, "successor_id": world.design.pk}
        )
    assert "Go-live" in caught.value.message and "Design" in caught.value.message
    assert Dependency.objects.count() == 2


def test_link_to_a_foreign_task_is_refused(world: World) -> None:
    with pytest.raises(Invalid) as caught:
        check_create_dependency(
            world.pm, {"predecessor_id": world.design.pk, "successor_id": world.canary_task.pk}
        )
    assert caught.value.field == "successor_id"


def test_team_member_reports_progress_on_own_task_only(world: World) -> None:
    task = access_task(world.member, world.design.pk)
    updated = check_update_task(
        world.member, task, {"percent_complete": 40, "actual_start": dt.date(2026, 1, 5)}
    )
    assert updated.percent_complete == 40
    with pytest.raises(Forbidden):
        check_update_task(world.member, task, {"duration_days": Decimal(20)})
    with pytest.raises(Forbidden):
        check_update_task(world.member, access_task(world.member, world.build.pk), {"percent_complete": 10})
    assert Task.objects.get(pk=world.design.pk).duration_days == Decimal(10)


def test_viewer_cannot_touch_the_plan(world: World) -> None:
    with pytest.raises(Forbidden):
        check_update_task(world.viewer, world.design, {"percent_complete": 10})
    with pytest.raises(Forbidden):
        check_create_task(world.viewer, {"project_id": world.project.pk, "name": "x"})


def test_changes_reschedule_the_project(world: World) -> None:
    do_schedule_project(world.project)
    world.golive.refresh_from_db()
    before = world.golive.start
    check_update_task(world.pm, access_task(world.pm, world.build.pk), {"duration_days": Decimal(25)})
    world.golive.refresh_from_db()
    assert world.golive.start is not None and before is not None
    assert world.golive.start > before
    assert world.golive.is_critical


def test_baseline_freezes_dates_and_costs(world: World) -> None:
    do_schedule_project(world.project)
    baseline = check_set_baseline(world.pm, world.project, "Approved plan")
    rows = {row.name: row for row in baseline.tasks.all()}
    world.design.refresh_from_db()
    assert rows["Design"].start == world.design.start
    assert rows["Design"].cost == Decimal("10") * Decimal("7.5") * Decimal("80")
    with pytest.raises(Invalid):
        check_set_baseline(world.pm, world.project, "Approved plan")
    with pytest.raises(Forbidden):
        check_set_baseline(world.viewer, world.project, "Mine")

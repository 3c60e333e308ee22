"""My work: the caller's own assignments, grouped by project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itpm.portfolio.models import Project
from itpm.resources.services import my_assignments, visible_resources

# ---- my work -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkGroup:
    project: Project
    assignments: list[Any]


@dataclass(frozen=True)
class MyWork:
    has_resource: bool
    groups: list[WorkGroup]


def my_work(user: Any) -> MyWork:
    """The caller's assignments across projects, grouped by project (ordered by code)."""
    if not visible_resources(user).filter(user=user).exists():
        return MyWork(has_resource=False, groups=[])
    groups: dict[int, WorkGroup] = {}
    for assignment in my_assignments(user):
        project = assignment.task.project
        groups.setdefault(project.pk, WorkGroup(project, [])).assignments.append(assignment)
    return MyWork(has_resource=True, groups=sorted(groups.values(), key=lambda g: g.project.code))

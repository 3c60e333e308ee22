"""Levelling several projects together: keep each project's own finish early, not only the last.

`level()` minimises the finish of everything levelled together. A project with float may then
end anywhere up to that finish: which one gives way on a shared person is left to the priority
rule that first met the lower bound, so a what-if figure for such a project says little. A
second candidate ranks the projects by their finish without resources (earliest first) and
levels them in that order, one serial pass of the PRIORITY rule (ties within a project by latest
start). It is kept when it finishes everything no later and the projects' finishes add up to
less: a project that can finish early does, without delaying the whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from itpm import engine

PRIORITY_SPAN = 1000  # the priority field's range: 0 to 1000


def finishes_by_project(
    problem: engine.Problem, starts: Mapping[str, int], project_of: Mapping[str, int]
) -> dict[int, int]:
    """Each project's finish: the latest finish of its activities."""
    found: dict[int, int] = {}
    for activity in problem.activities:
        project = project_of[activity.id]
        found[project] = max(found.get(project, 0), starts[activity.id] + activity.duration)
    return found


def by_project_rank(
    problem: engine.Problem, result: engine.LevelResult, project_of: Mapping[str, int]
) -> engine.Problem:
    """The problem with each activity's priority from its project's rank (earliest finish first)."""
    early = finishes_by_project(problem, result.early_starts, project_of)
    order = sorted(early, key=lambda project: (early[project], project))
    step = PRIORITY_SPAN // max(len(order), 1)
    priority = {project: PRIORITY_SPAN - step * rank for rank, project in enumerate(order)}
    activities = [dataclasses.replace(a, priority=priority[project_of[a.id]]) for a in problem.activities]
    return engine.Problem(activities, problem.resources, problem.links)


def keep_projects_early(
    problem: engine.Problem, result: engine.LevelResult, project_of: Mapping[str, int]
) -> engine.LevelResult:
    """`result`, or the project-by-project schedule when it is no longer and adds up to less."""
    if len(set(project_of.values())) < 2:
        return result
    candidate = engine.single_pass(by_project_rank(problem, result, project_of), "PRIORITY")
    if candidate.makespan > result.makespan or candidate.over_allocations_after:
        return result
    total = sum(finishes_by_project(problem, result.starts, project_of).values())
    if sum(finishes_by_project(problem, candidate.starts, project_of).values()) >= total:
        return result
    return dataclasses.replace(candidate, found_by=f"{candidate.found_by}, projects by earliest finish")

"""Levelling several projects together: keep each project's own finish early, not only the last.

`level()` minimises the finish of everything levelled together. A project with float may then
end anywhere up to that finish: which one gives way on a shared person is left to the priority
rule that first met the lower bound, so a what-if figure for such a project says little. A
second candidate, one serial pass of the PRIORITY rule, takes each activity by its urgency
within its own project: its latest finish when its project is to end as early as it could
without resources (ties by latest start). It is kept when no project finishes later and some
finish earlier: a project that can finish early does, at no other project's cost.
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


def late_finishes(problem: engine.Problem, finish: Mapping[str, int]) -> dict[str, int]:
    """Each activity's latest finish (links only) when activity `a` must end by `finish[a]`."""
    latest = dict(finish)
    ahead: dict[str, list[engine.Link]] = {}
    for link in problem.links:
        ahead.setdefault(link.predecessor, []).append(link)
    duration = {a.id: a.duration for a in problem.activities}
    changed = True
    while changed:  # links are few per activity and the network is acyclic: a few sweeps settle it
        changed = False
        for before, links in ahead.items():
            bound = min(
                latest[link.successor] - duration[link.successor] - problem.start_lag(link) + duration[before]
                for link in links
            )
            if bound < latest[before]:
                latest[before], changed = bound, True
    return latest


def by_project_rank(
    problem: engine.Problem, result: engine.LevelResult, project_of: Mapping[str, int]
) -> engine.Problem:
    """The problem with each activity's priority from its latest finish against its own project's
    finish without resources (MS Project's priority, here: urgency within the project)."""
    early = finishes_by_project(problem, result.early_starts, project_of)
    latest = late_finishes(problem, {a.id: early[project_of[a.id]] for a in problem.activities})
    top = max(latest.values(), default=0) or 1
    activities = [
        dataclasses.replace(a, priority=PRIORITY_SPAN - PRIORITY_SPAN * max(latest[a.id], 0) // top)
        for a in problem.activities
    ]
    return engine.Problem(activities, problem.resources, problem.links)


def keep_projects_early(
    problem: engine.Problem, result: engine.LevelResult, project_of: Mapping[str, int]
) -> engine.LevelResult:
    """`result`, or the project-by-project schedule when no project ends later and some earlier."""
    if len(set(project_of.values())) < 2:
        return result
    candidate = engine.single_pass(by_project_rank(problem, result, project_of), "PRIORITY")
    # Over-allocations left after levelling come from fixed activities alone, the same in both.
    left = len(candidate.over_allocations_after) > len(result.over_allocations_after)
    if candidate.makespan > result.makespan or left:
        return result
    now = finishes_by_project(problem, result.starts, project_of)
    then = finishes_by_project(problem, candidate.starts, project_of)
    if any(then[p] > now[p] for p in now) or then == now:  # no project pays for another's gain
        return result
    return dataclasses.replace(candidate, found_by=f"{candidate.found_by}, projects by earliest finish")

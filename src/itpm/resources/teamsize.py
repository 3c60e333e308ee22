"""Team size from scope: how many people of each role a project needs to finish by a date, and
when it finishes with a given team.

The project's work is read from its assignments, by role (a generic role resource, or a named
person's role): each task needs its units of its role for its duration. The people of a role
become one pool of n; levelling the project against those pools gives the finish. The search
starts from the least team that could possibly do it (the role's work over the days available,
and never less than the biggest single task needs), and adds one person at a time to the role
that is busiest until the finish meets the target. When the critical path alone ends after the
target, no team can meet it: the suggestion is then the team that finishes with the critical path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from itpm import engine
from itpm.core.errors import Invalid
from itpm.engine import Activity, Problem, Resource
from itpm.portfolio.models import Project
from itpm.portfolio.services import require
from itpm.resources.capacity import role_of
from itpm.resources.problem import Loaded, load_problem

MAX_STEPS = 80
SEARCH_BUDGET = 2000  # schedules per trial while searching; the answer is levelled in full


@dataclass(frozen=True)
class RoleNeed:
    role: str
    effort_days: float  # person-days of work for the role
    team_now: float  # units of the role the project has assigned now
    peak_units: float  # the most one task needs at once: no smaller team can do it
    suggested: int  # people suggested to meet the target


@dataclass(frozen=True)
class TeamSizing:
    project: Project
    target: dt.date | None
    available_days: int | None  # working days from the earliest start to the target
    roles: tuple[RoleNeed, ...]
    finish_now: dt.date | None  # levelled with the team the project has
    finish_suggested: dt.date | None  # levelled with the suggested team
    finish_custom: dt.date | None  # levelled with the team asked about, if any
    custom: dict[str, int]
    earliest_possible: dt.date | None  # the critical path: no team finishes sooner
    met: bool
    seconds: float


def _role_problem(loaded: Loaded, team: dict[str, float]) -> Problem:
    activities = [dataclasses.replace(a, demands=_role_demands(loaded, a)) for a in loaded.problem.activities]
    return Problem(
        activities, [Resource(role, capacity) for role, capacity in team.items()], loaded.problem.links
    )


def _role_demands(loaded: Loaded, activity: Activity) -> dict[str, float]:
    demands: dict[str, float] = defaultdict(float)
    for key, units in activity.demands.items():
        demands[role_of(loaded.resources[key])] += units
    return dict(demands)


def _needs(loaded: Loaded) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Per role: work in unit-days, the biggest single demand, and the units assigned now."""
    effort: dict[str, float] = defaultdict(float)
    peak: dict[str, float] = defaultdict(float)
    for activity in loaded.problem.activities:
        for role, units in _role_demands(loaded, activity).items():
            effort[role] += units * activity.duration
            peak[role] = max(peak[role], units)
    now: dict[str, float] = defaultdict(float)
    for resource in loaded.resources.values():
        now[role_of(resource)] += float(resource.max_units)
    return dict(effort), dict(peak), dict(now)


def _finish(loaded: Loaded, team: dict[str, float], budget: int | None = None) -> tuple[int, int]:
    """Levelled makespan and critical path length, in periods from the grid's origin."""
    result = engine.level(_role_problem(loaded, team), seed=0, budget_schedules=budget)
    return result.makespan, result.critical_path


def _date(loaded: Loaded, period: int) -> dt.date:
    return loaded.date(max(period - 1, 0))


def _search(
    loaded: Loaded, team: dict[str, float], effort: dict[str, float], deadline: int
) -> dict[str, float]:
    """Add a person to the busiest role while that shortens the plan; a role where another
    person does not help is left as it is (its work is not what holds the finish)."""
    makespan, critical = _finish(loaded, team, SEARCH_BUDGET)
    open_roles = set(team)
    for _ in range(MAX_STEPS):
        if makespan <= max(deadline, critical) or not open_roles:
            break
        busiest = max(open_roles, key=lambda role: effort.get(role, 0) / team[role])
        trial = {**team, busiest: team[busiest] + 1}
        shorter, _ = _finish(loaded, trial, SEARCH_BUDGET)
        if shorter < makespan:
            team, makespan = trial, shorter
        else:
            open_roles.discard(busiest)
    return team


def _start(loaded: Loaded) -> int:
    return min((a.release for a in loaded.problem.activities if not a.fixed), default=0)


def size_team(
    user: Any, project: Project, target: dt.date | None, custom: dict[str, int] | None = None
) -> TeamSizing:
    """Suggest a team per role for `target` (if given) and level with `custom` (if given)."""
    require(user, "view_all_tasks", project)
    clock = time.perf_counter()
    loaded = load_problem(project, [project], {project.pk})
    effort, peak, now = _needs(loaded)
    if not effort:
        raise Invalid(
            "project: no task has a resource assigned; assign roles or people first", field="project"
        )
    floor = {role: max(peak[role], 1.0) for role in effort}
    team_now = {role: max(now.get(role, 0.0), floor[role]) for role in effort}
    makespan_now, critical = _finish(loaded, team_now)
    suggested, available, deadline = dict(team_now), None, None
    if target is not None:
        if target < loaded.grid.start:
            raise Invalid("target: give a date after the project's work can start", field="target")
        deadline = loaded.grid.to_unit(target + dt.timedelta(days=1))
        available = deadline - _start(loaded)
        if available <= 0:
            raise Invalid("target: give a date after the project's work can start", field="target")
        least = {role: max(math.ceil(effort[role] / available), math.ceil(floor[role])) for role in effort}
        suggested = _search(loaded, {r: float(n) for r, n in least.items()}, effort, deadline)
    finish_suggested, _ = _finish(loaded, suggested)
    custom_finish = _custom_finish(loaded, custom, floor) if custom else None
    roles = tuple(
        RoleNeed(role, round(effort[role], 2), now.get(role, 0.0), peak[role], math.ceil(suggested[role]))
        for role in sorted(effort, key=str.lower)
    )
    return TeamSizing(
        project, target, available, roles, _date(loaded, makespan_now),
        _date(loaded, finish_suggested) if target else None,
        custom_finish, dict(custom or {}), _date(loaded, critical),
        deadline is not None and finish_suggested <= deadline, time.perf_counter() - clock,
    )  # fmt: skip


def _custom_finish(loaded: Loaded, custom: dict[str, int], floor: dict[str, float]) -> dt.date:
    team = {}
    for role, minimum in floor.items():
        people = custom.get(role)
        if people is None:
            raise Invalid(f"team: give a number of people for {role}", field="team")
        if people < minimum:
            raise Invalid(
                f"team: {role} needs at least {minimum:g} (one task needs that many at once)", field="team"
            )
        team[role] = float(people)
    unknown = set(custom) - set(floor)
    if unknown:
        raise Invalid(f"team: the project has no work for {', '.join(sorted(unknown))}", field="team")
    makespan, _ = _finish(loaded, team)
    return _date(loaded, makespan)

"""Store the portfolio, its programs and each project: phases, goals, WBS, links, assignments
and memberships. History as in write_people: bulk_create_with_history, one record per row."""

from __future__ import annotations

from typing import Any

from simple_history.utils import bulk_create_with_history

from itpm.demo.spec import DemoPlan, ProjectSpec, TaskSpec
from itpm.demo.write_people import DEMO_REASON
from itpm.planning.models import Calendar, Dependency, Phase, Task
from itpm.portfolio.models import Goal, Membership, Portfolio, Program, Project, Role
from itpm.resources.models import Assignment, Resource


def write_portfolio(plan: DemoPlan, users: dict[str, Any]) -> tuple[Portfolio, dict[str, Program]]:
    portfolio = Portfolio.objects.create(
        name=plan.portfolio, description=plan.portfolio_description, currency="EUR"
    )
    programs = {
        spec.name: Program(
            portfolio=portfolio, name=spec.name, description=spec.description, manager=users[spec.manager]
        )
        for spec in plan.programs
    }
    bulk_create_with_history(list(programs.values()), Program, default_change_reason=DEMO_REASON)
    return portfolio, programs


class ProjectWriter:
    """Writes one project; holds the shared lookups so each step stays short."""

    def __init__(
        self,
        portfolio: Portfolio,
        programs: dict[str, Program],
        calendars: dict[str, Calendar],
        users: dict[str, Any],
        resources: dict[str, Resource],
    ) -> None:
        self.portfolio, self.programs, self.calendars = portfolio, programs, calendars
        self.users, self.resources = users, resources

    def write(self, spec: ProjectSpec) -> tuple[Project, dict[str, Task]]:
        project = self._project(spec)
        phases = self._phases(project, spec)
        tasks = self._tasks(project, spec, phases)
        self._links(project, spec, tasks)
        self._assignments(spec, tasks)
        self._memberships(project, spec)
        return project, tasks

    def _project(self, spec: ProjectSpec) -> Project:
        project = Project.objects.create(
            portfolio=self.portfolio,
            program=self.programs.get(spec.program or ""),
            code=spec.code,
            name=spec.name,
            description=spec.description,
            methodology=spec.methodology,
            status=spec.status,
            rag=spec.rag,
            sponsor=self.users[spec.sponsor],
            manager=self.users[spec.manager],
            planned_start=spec.start,
            planned_finish=spec.start,  # provisional: set from the schedule once it is computed
            budget=spec.budget,
            currency=spec.currency,
            business_case=spec.business_case,
            calendar=self.calendars[spec.calendar],
        )
        goals = [
            Goal(project=project, text=g.text, measure=g.measure, order=n)
            for n, g in enumerate(spec.goals, start=1)
        ]
        bulk_create_with_history(goals, Goal, default_change_reason=DEMO_REASON)
        return project

    def _phases(self, project: Project, spec: ProjectSpec) -> dict[str, Phase]:
        phases = {
            p.name: Phase(project=project, name=p.name, gate=p.gate, order=n)
            for n, p in enumerate(spec.phases, start=1)
        }
        bulk_create_with_history(list(phases.values()), Phase, default_change_reason=DEMO_REASON)
        return phases

    def _tasks(self, project: Project, spec: ProjectSpec, phases: dict[str, Phase]) -> dict[str, Task]:
        """One bulk insert per outline level, so every parent has its id before its children."""
        rows: dict[str, Task] = {}
        for depth in sorted({t.key.count(".") for t in spec.tasks}):
            level = [self._task(project, t, phases, rows) for t in spec.tasks if t.key.count(".") == depth]
            bulk_create_with_history(level, Task, default_change_reason=DEMO_REASON)
            rows.update((task.wbs_code, task) for task in level)
        return rows

    @staticmethod
    def _task(project: Project, t: TaskSpec, phases: dict[str, Phase], rows: dict[str, Task]) -> Task:
        return Task(
            project=project,
            parent=rows[t.parent] if t.parent else None,
            phase=phases[t.phase] if t.phase else None,
            wbs_code=t.key,
            order=t.order,
            name=t.name,
            is_milestone=t.is_milestone,
            is_summary=t.is_summary,
            duration_days=t.duration_days,
            effort_hours=t.effort_hours,
            priority=t.priority,
            notes=t.notes,
        )

    @staticmethod
    def _links(project: Project, spec: ProjectSpec, tasks: dict[str, Task]) -> None:
        links = [
            Dependency(
                project=project,
                predecessor=tasks[link.predecessor],
                successor=tasks[link.successor],
                type=link.type,
                lag_days=link.lag_days,
            )
            for link in spec.links
        ]
        bulk_create_with_history(links, Dependency, default_change_reason=DEMO_REASON)

    def _assignments(self, spec: ProjectSpec, tasks: dict[str, Task]) -> None:
        rows = [
            Assignment(task=tasks[t.key], resource=self.resources[key], units=units)
            for t in spec.tasks
            for key, units in t.assignments
        ]
        bulk_create_with_history(rows, Assignment, default_change_reason=DEMO_REASON)

    def _memberships(self, project: Project, spec: ProjectSpec) -> None:
        contractors = {key for key, r in self.resources.items() if r.user_id and r.supplier}
        roles = membership_roles(spec, set(self.users), contractors)
        rows = [
            Membership(project=project, user=self.users[name], role=role)
            for name, role in sorted(roles.items())
        ]
        bulk_create_with_history(rows, Membership, default_change_reason=DEMO_REASON)


def membership_roles(spec: ProjectSpec, users: set[str], contractors: set[str]) -> dict[str, str]:
    """Who sees the project and as what: the manager, then sponsors and stakeholders, then the
    people and contractors assigned to its tasks (a higher role is never downgraded)."""
    roles: dict[str, str] = {}
    for t in spec.tasks:
        for key, _units in t.assignments:
            if key in users:
                roles[key] = Role.SUPPLIER if key in contractors else Role.TEAM_MEMBER
    roles.update(dict.fromkeys((spec.sponsor, *spec.stakeholders), Role.STAKEHOLDER))
    roles[spec.manager] = Role.PROJECT_MANAGER
    return roles

"""Who books the demo's hours: named people only, within a long but possible day.

A plan names generic roles ("Field technician", a team of six) before the people are known; once
the work runs, the project's named people with those skills do it and log the time. Where the plan
asks more of someone than a 12-hour day holds, a colleague on the project books the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from itpm.planning.models import Task
from itpm.portfolio.models import Project
from itpm.resources.models import Resource, ResourceKind

DAY_CAP = Decimal(12)  # where the plan over-allocates someone, they book long days, not impossible ones

Cell = tuple[int, int, dt.date]  # resource, task, day


@dataclass
class Staffing:
    team: list[Resource]  # the named people assigned somewhere in the project
    booked: dict[tuple[int, dt.date], Decimal]  # hours per person and day, across projects
    hours: dict[Cell, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @classmethod
    def of(cls, project: Project, booked: dict[tuple[int, dt.date], Decimal]) -> Staffing:
        team = (
            Resource.objects.filter(assignments__task__project=project)
            .exclude(kind=ResourceKind.ROLE)
            .prefetch_related("skills")
            .distinct()
            .order_by("pk")
        )
        return cls(list(team), booked)

    def book(self, resource: Resource, task: Task, spread: list[tuple[dt.date, Decimal]]) -> Decimal:
        """Book each day's hours, the first candidate first; what no one has room for that day
        moves to the next. Returns the hours no one on the team had room for."""
        people = self.candidates(resource, task)
        carried = Decimal(0)
        for day, hours in spread:
            carried = self._place(people, task.pk, day, hours + carried)
        return carried

    def candidates(self, resource: Resource, task: Task) -> list[int]:
        """The person themself; for a role, the team sharing its skills (same supplier first);
        then the colleagues nearest its rate (so work planned at a consultant's rate is not
        passed to the cheapest hands), the task's own people first among equals."""
        skills = {s.pk for s in resource.skills.all()}
        on_task = {a.resource_id for a in task.assignments.all()}

        def closeness(person: Resource) -> tuple[int, bool, Decimal, bool, int]:
            shared = len(skills & {s.pk for s in person.skills.all()})
            same_supplier = bool(resource.supplier) and person.supplier == resource.supplier
            rate_gap = abs(person.cost_rate - resource.cost_rate)
            return (-shared, not same_supplier, rate_gap, person.pk not in on_task, person.pk)

        others = sorted((p for p in self.team if p.pk != resource.pk), key=closeness)
        named = [] if resource.kind == ResourceKind.ROLE else [resource.pk]
        return named + [p.pk for p in others]

    def _place(self, people: list[int], task: int, day: dt.date, hours: Decimal) -> Decimal:
        for person in people:
            if hours <= 0:
                break
            fits = min(hours, DAY_CAP - self.booked[(person, day)])
            if fits > 0:
                self.booked[(person, day)] += fits
                self.hours[(person, task, day)] += fits
                hours -= fits
        return hours

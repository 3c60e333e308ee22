"""The stored schedule, read: outline order, the whole plan's dates and the critical path."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from itpm.planning.models import (
    Dependency,
    Task,
)
from itpm.portfolio.models import Project
from itpm.portfolio.services import require


def date_span(
    starts: Iterable[dt.date | None], finishes: Iterable[dt.date | None]
) -> tuple[dt.date | None, dt.date | None]:
    first = [day for day in starts if day is not None]
    last = [day for day in finishes if day is not None]
    return (min(first) if first else None, max(last) if last else None)


OutlineItem = TypeVar("OutlineItem", bound="Outlined")


class Outlined(Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def order(self) -> int: ...


def wbs_order(items: list[OutlineItem]) -> list[OutlineItem]:
    """Items in outline order: each parent before its children, siblings by (order, id); an item
    whose parent is not among them (a supplier sees no summaries) is placed as a root."""
    present = {item.pk for item in items}
    children: dict[int | None, list[OutlineItem]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        parent = item.parent_id if item.parent_id in present else None
        children.setdefault(parent, []).append(item)
    ordered: list[OutlineItem] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item.pk, [])))
    return ordered


@dataclass(frozen=True)
class ScheduleView:
    project: Project
    start: dt.date | None
    finish: dt.date | None
    tasks: list[Task]


def project_schedule(user: Any, project: Project) -> ScheduleView:
    """The stored schedule of the whole plan, in outline order."""
    require(user, "view_all_tasks", project)
    tasks = wbs_order(list(project.tasks.all()))
    start, finish = date_span((t.start for t in tasks), (t.finish for t in tasks))
    return ScheduleView(project=project, start=start, finish=finish, tasks=tasks)


def critical_path(user: Any, project: Project) -> list[Task]:
    """The critical work tasks and milestones in the order the links run (ties: earlier first)."""
    require(user, "view_all_tasks", project)
    tasks = {t.pk: t for t in project.tasks.filter(is_critical=True, is_summary=False)}
    links = Dependency.objects.filter(
        project=project, predecessor_id__in=list(tasks), successor_id__in=list(tasks)
    ).values_list("predecessor_id", "successor_id")
    return [tasks[pk] for pk in _topological(tasks, list(links))]


def _topological(tasks: Mapping[int, Task], links: list[tuple[int, int]]) -> list[int]:
    waiting = dict.fromkeys(tasks, 0)
    forward: dict[int, list[int]] = {}
    for pred, succ in links:
        waiting[succ] += 1
        forward.setdefault(pred, []).append(succ)

    def key(pk: int) -> tuple[Any, ...]:
        task = tasks[pk]
        return (task.start or dt.date.max, task.finish or dt.date.max, task.order, pk)

    ready = [key(pk) for pk, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        pk = heapq.heappop(ready)[-1]
        ordered.append(pk)
        for succ in forward.get(pk, []):
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(ready, key(succ))
    return ordered

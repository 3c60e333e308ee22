"""A small builder that writes a WBS the way a planner outlines one: summaries, leaves, links.

Keys are the outline codes (1, 1.2, 1.2.3), assigned in the order tasks are added, so the
order of the calls is the outline order. Links may only join leaves and milestones; build()
refuses links to summaries, unknown keys, duplicates and cycles.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar, cast

from itpm.demo.spec import Assignments, LinkSpec, TaskSpec

Share = tuple[str, float]  # (resource key, units)
Link = tuple[str, str, float]  # (predecessor key, type, lag in days)
Who = str | Share | Sequence[str | Share]
After = str | Link | Sequence[str | Link]

HOURS_PER_DAY = Decimal("7.5")
TWO_PLACES = Decimal("0.01")
K = TypeVar("K", bound=Hashable)
LINK_TYPES = ("FS", "SS", "FF", "SF")


@dataclass
class _Open:
    key: str
    phase: str | None
    children: int = 0


@dataclass
class WbsBuilder:
    tasks: list[TaskSpec] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    _stack: list[_Open] = field(default_factory=list)
    _phases: list[str] = field(default_factory=list)
    _top: int = 0

    # ---- outline ---------------------------------------------------------------------------

    def _next_key(self) -> str:
        if not self._stack:
            self._top += 1
            return str(self._top)
        parent = self._stack[-1]
        parent.children += 1
        return f"{parent.key}.{parent.children}"

    def _phase(self, phase: str | None) -> str | None:
        if phase is not None:
            return phase
        if self._phases:
            return self._phases[-1]
        return self._stack[-1].phase if self._stack else None

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Tasks added inside the block belong to phase `name`, whatever their summary's phase."""
        self._phases.append(name)
        try:
            yield
        finally:
            self._phases.pop()

    @contextmanager
    def summary(self, name: str, phase: str | None = None, priority: int = 500) -> Iterator[str]:
        """Open a summary task; everything added inside the block becomes its child."""
        key = self._next_key()
        phase = self._phase(phase)
        self._add(key, name, phase, Decimal(0), None, summary=True, priority=priority)
        self._stack.append(_Open(key, phase))
        try:
            yield key
        finally:
            self._stack.pop()

    def task(
        self,
        name: str,
        days: float,
        who: Who = (),
        after: After = (),
        effort: float | None = None,
        priority: int = 500,
        notes: str = "",
    ) -> str:
        """Add a leaf task of `days` working days; effort defaults to days × 7.5 h × units."""
        key = self._next_key()
        assignments = _assignments(who)
        duration = Decimal(str(days))
        hours = _effort(duration, assignments, effort)
        self._add(
            key,
            name,
            self._phase(None),
            duration,
            hours,
            priority=priority,
            notes=notes,
            assignments=assignments,
        )
        self.after(key, after)
        return key

    def milestone(self, name: str, after: After = (), priority: int = 700) -> str:
        key = self._next_key()
        self._add(key, name, self._phase(None), Decimal(0), None, milestone=True, priority=priority)
        self.after(key, after)
        return key

    def _add(
        self,
        key: str,
        name: str,
        phase: str | None,
        duration: Decimal,
        effort: Decimal | None,
        *,
        summary: bool = False,
        milestone: bool = False,
        priority: int = 500,
        notes: str = "",
        assignments: Assignments = (),
    ) -> None:
        parent = self._stack[-1].key if self._stack else None
        self.tasks.append(
            TaskSpec(
                key=key,
                name=name,
                parent=parent,
                order=len(self.tasks) + 1,
                phase=phase,
                duration_days=duration,
                effort_hours=effort,
                is_milestone=milestone,
                is_summary=summary,
                priority=priority,
                notes=notes,
                assignments=assignments,
            )
        )

    # ---- links -----------------------------------------------------------------------------

    def link(self, predecessor: str, successor: str, type: str = "FS", lag: float = 0) -> None:
        if type not in LINK_TYPES:
            raise ValueError(f"link {predecessor}->{successor}: unknown type {type!r}")
        self.links.append(LinkSpec(predecessor, successor, type, Decimal(str(lag))))

    def after(self, successor: str, after: After) -> None:
        """Link `successor` to each predecessor: a key (FS, no lag) or (key, type, lag)."""
        for item in _predecessors(after):
            if isinstance(item, str):
                self.link(item, successor)
            else:
                self.link(item[0], successor, item[1], item[2])

    def build(self) -> tuple[tuple[TaskSpec, ...], tuple[LinkSpec, ...]]:
        check_network(self.tasks, self.links)
        return tuple(self.tasks), tuple(self.links)


def _predecessors(after: After) -> list[str | Link]:
    """One key, one (key, type, lag) tuple, or a sequence of either."""
    if isinstance(after, str):
        return [after]
    if isinstance(after, tuple) and len(after) == 3 and after[1] in LINK_TYPES:
        return [cast(Link, after)]
    return list(cast(Sequence[str | Link], after))


def _assignments(who: Who) -> Assignments:
    """One key, one (key, units) tuple, or a sequence of either; a bare key means units 1."""
    if isinstance(who, str):
        items: list[str | Share] = [who]
    elif isinstance(who, tuple) and len(who) == 2 and isinstance(who[1], int | float):
        items = [cast(Share, who)]
    else:
        items = list(cast(Sequence[str | Share], who))
    pairs = [(i, 1.0) if isinstance(i, str) else i for i in items]
    return tuple((key, Decimal(str(units)).quantize(TWO_PLACES)) for key, units in pairs)


def _effort(duration: Decimal, assignments: Assignments, effort: float | None) -> Decimal | None:
    if effort is not None:
        return Decimal(str(effort)).quantize(TWO_PLACES)
    if not assignments:
        return None
    units = sum((u for _, u in assignments), Decimal(0))
    return (duration * HOURS_PER_DAY * units).quantize(TWO_PLACES)


def check_network(tasks: Sequence[TaskSpec], links: Sequence[LinkSpec]) -> None:
    """Raise ValueError unless the WBS and its links make a schedulable network."""
    by_key = {t.key: t for t in tasks}
    parents = {t.parent for t in tasks if t.parent}
    for task in tasks:
        if task.is_summary != (task.key in parents):
            raise ValueError(f"task {task.key} {task.name!r}: summary flag does not match children")
    pairs: set[tuple[str, str]] = set()
    for link in links:
        ends = (by_key.get(link.predecessor), by_key.get(link.successor))
        if None in ends or link.predecessor == link.successor:
            raise ValueError(f"link {link.predecessor}->{link.successor}: unknown or self link")
        if any(t is not None and t.is_summary for t in ends):
            raise ValueError(f"link {link.predecessor}->{link.successor} touches a summary task")
        if (link.predecessor, link.successor) in pairs:
            raise ValueError(f"link {link.predecessor}->{link.successor} is duplicated")
        pairs.add((link.predecessor, link.successor))
    if topological_order([t.key for t in tasks], pairs) is None:
        raise ValueError("the links form a cycle")


def topological_order(keys: Sequence[K], pairs: Iterable[tuple[K, K]]) -> list[K] | None:
    """Kahn's algorithm; None when there is a cycle."""
    successors: dict[K, list[K]] = {k: [] for k in keys}
    waiting = dict.fromkeys(keys, 0)
    for predecessor, successor in pairs:
        successors[predecessor].append(successor)
        waiting[successor] += 1
    ready = [k for k in keys if waiting[k] == 0]
    order: list[K] = []
    while ready:
        key = ready.pop()
        order.append(key)
        for successor in successors[key]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    return order if len(order) == len(keys) else None

"""Which calendar each node works on, and the few results read in its working time.

cpm.py asks `node_calendars` once per schedule: None when every task works on the axis (one
calendar in use, however many are given), and the passes then run exactly as without calendars.
Otherwise the passes run the calendar sweeps (calendar_passes.py), and this module converts
what they need around them: a levelling delay counted in the task's calendar, the driving bound
snapped as the start was, and total float counted in the task's own working time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from itpm.engine.constraints import Bounds
from itpm.engine.errors import UNKNOWN_CALENDAR, EngineError
from itpm.engine.extras import HIGH, LOW, IntArray
from itpm.engine.model import CONSTRAINT_TYPES
from itpm.engine.network import TOP_LEVEL, Network
from itpm.engine.progress import Progress
from itpm.engine.solved import Solved
from itpm.engine.timetable import AXIS, Timetable

_SNLT, _FNET, _FNLT, _MSO, _MFO = (CONSTRAINT_TYPES.index(k) for k in ("SNLT", "FNET", "FNLT", "MSO", "MFO"))
_ASAP, _SNET = CONSTRAINT_TYPES.index("ASAP"), CONSTRAINT_TYPES.index("SNET")


class PassedDown(NamedTuple):
    """What a task's summaries ask of it (SNET, FNLT, deadline), in axis units."""

    start: int
    finish: int
    deadline: int


_NOTHING_PASSED = PassedDown(LOW, HIGH, HIGH)


@dataclass(frozen=True, eq=False)
class NodeCalendars:
    timetable: Timetable
    by_node: IntArray  # AXIS, or the index of the lookups the node's dates follow

    def constraint_bounds(
        self, network: Network, bounds: Bounds, progress: Progress, start: int | None
    ) -> None:
        """Constraints counted in the task's own calendar: node_bounds took a finish date less
        the duration, and a start cap plus the duration, as axis units. So are the FNLT a
        summary passes down to a task on another calendar, and with it the summary's SNET and
        deadline where they meet the task's own constraint."""
        extras = network.extras
        kinds = zip(extras.constraint.tolist(), extras.constraint_date.tolist(), strict=True)
        own = dict(zip(extras.nodes.tolist(), kinds, strict=True))
        passed = self._passed_down(network)
        for node in sorted(own.keys() | passed.keys()):
            kind, date = own.get(node, (_ASAP, 0))
            summaries = passed.get(node, _NOTHING_PASSED)
            calendar = int(self.by_node[node])
            converted = kind in (_SNLT, _FNET, _FNLT, _MSO, _MFO) or summaries.finish < HIGH
            if calendar != AXIS and converted and not progress.on_record[node]:
                work = int(progress.duration[node])
                self._bound(bounds, node, calendar, work, (kind, date), summaries, start)

    def _bound(
        self,
        bounds: Bounds,
        node: int,
        calendar: int,
        work: int,
        constraint: tuple[int, int],
        summaries: PassedDown,
        start: int | None,
    ) -> None:
        """One task's cap, floor (FNET, MFO) and late-finish bound on its calendar."""
        table, (kind, date) = self.timetable, constraint
        own_cap = HIGH
        if kind in (_SNLT, _MSO):
            own_cap = date
        if kind in (_FNLT, _MFO):  # the latest start that finishes by the date
            own_cap = table.retreat(calendar, table.last_finish(calendar, date), work)
        passed_cap = HIGH
        if summaries.finish < HIGH:
            passed_cap = table.retreat(calendar, table.last_finish(calendar, summaries.finish), work)
        cap = bounds.cap[node] = min(own_cap, passed_cap)
        if kind in (_FNET, _MFO):  # the earliest start that finishes no earlier
            floor = own_cap if kind == _MFO else table.start_for_finish(calendar, date, work)
            floor = bounds.constraint_floor[node] = max(floor, summaries.start)
            other = max(LOW if start is None else start, int(bounds.status_floor[node]))
            bounds.floor[node] = max(other, floor)
        finish = table.advance(calendar, table.snap(calendar, cap), work) if cap < HIGH else HIGH
        bounds.upper[node] = min(finish, int(bounds.deadline[node]), summaries.deadline)

    def _passed_down(self, network: Network) -> dict[int, PassedDown]:
        """Per task on a calendar other than the axis, under summaries that pass constraints
        down: the latest SNET, earliest FNLT and earliest deadline among them."""
        extras, parent = network.extras, network.parent.tolist()
        rows = zip(
            extras.constraint.tolist(), extras.constraint_date.tolist(), extras.deadline.tolist(), strict=True
        )
        summary_rows = zip(extras.nodes.tolist(), rows, strict=True)
        carried = {node: row for node, row in summary_rows if network.is_summary[node]}
        if not carried:
            return {}
        away = (
            (self.by_node[: network.task_count] != AXIS) & ~network.is_summary & (network.parent != TOP_LEVEL)
        )
        passed = {}
        for node in np.flatnonzero(away).tolist():
            start, finish, deadline = LOW, HIGH, HIGH
            summary = parent[node]
            while summary != TOP_LEVEL:
                kind, date, by = carried.get(summary, (_ASAP, 0, HIGH))
                start = max(start, date) if kind == _SNET else start
                finish = min(finish, date) if kind == _FNLT else finish
                deadline, summary = min(deadline, by), parent[summary]
            passed[node] = PassedDown(start, finish, deadline)
        return passed

    def for_drivers(self, bounds: Bounds, start: IntArray) -> Bounds:
        """The bounds with a constraint's or the status date's floor snapped as the start was:
        a floor on a day off still drives the start it moves to."""
        table = self.timetable
        constraint_floor, status_floor = bounds.constraint_floor.copy(), bounds.status_floor.copy()
        for node in np.flatnonzero(self.by_node != AXIS).tolist():
            calendar, begins = int(self.by_node[node]), int(start[node])
            for floors in (constraint_floor, status_floor):
                if floors[node] > LOW and table.snap(calendar, int(floors[node])) == begins:
                    floors[node] = begins
        return replace(bounds, constraint_floor=constraint_floor, status_floor=status_floor)

    def delay_floors(self, network: Network, bounds: Bounds) -> None:
        """Count each levelling delay in its task's calendar: node_bounds added it as axis units."""
        table = self.timetable
        for node, delay in zip(network.delayed.tolist(), network.delay.tolist(), strict=True):
            calendar = int(self.by_node[node])
            if calendar != AXIS:
                floor = int(bounds.floor[node]) - delay
                bounds.floor[node] = table.shift(calendar, floor, delay)

    def spans(self, order: IntArray, dates_by_position: IntArray) -> IntArray:
        """Per position, finish less start counted in the node's calendar."""
        return self.timetable.between(self.by_node[order], dates_by_position[:, 0], dates_by_position[:, 1])

    def driving_held(self, held: IntArray, start: IntArray) -> IntArray:
        """The strongest link bound per node, snapped onto working time as the start was: a link
        that asks for a non-working moment still drives the start it moves to."""
        table, snapped = self.timetable, held.copy()
        for node in np.flatnonzero(self.by_node != AXIS).tolist():
            calendar = int(self.by_node[node])
            if table.snap(calendar, int(held[node])) == int(start[node]):
                snapped[node] = start[node]
        return snapped

    def free_float(self, solved: Solved) -> IntArray:
        """Per node, how far it may slip without moving a successor or the project finish, in
        its own calendar's units: each link's slack is taken back through the lag in the
        successor's calendar and counted from the date the link counts from. A gate (which
        works on the axis) lets a slip into it pass on, as drivers.free_float does."""
        network, table, layout = solved.network, self.timetable, solved.network.layout
        dates = solved.scheduled_by_position.reshape(-1).tolist()
        calendar = self.by_node[layout.order].tolist()
        gate = (layout.order >= network.task_count).tolist()
        ignored = solved.ignored.tolist() if solved.ignored.any() else [False] * layout.link_count
        earliest = network.into_earliest.tolist()
        end = solved.finish
        slip = [
            end - dates[2 * p + 1] if gate[p] else table.count(c, end) - table.count(c, dates[2 * p + 1])
            for p, c in enumerate(calendar)
        ]
        rows = zip(
            layout.source.tolist(),
            layout.from_anchor.tolist(),
            layout.to_anchor.tolist(),
            network.lag.tolist(),
            strict=True,
        )
        for link, (source, anchor, held, lag) in reversed(list(enumerate(rows))):
            target = held // 2
            if ignored[link]:
                continue
            date = table.unshift(calendar[target], dates[held] + (slip[target] if gate[target] else 0), lag)
            if earliest[link] and date < dates[anchor]:
                continue  # a leaf that starts after its summary does: it does not hold its start
            slip[source] = min(slip[source], self._slack(calendar[source], gate[source], dates, anchor, date))
        free = np.maximum(np.array(slip, dtype=np.int64), 0)[layout.place]
        if solved.progress.reported:
            free[solved.progress.complete] = 0
        return free

    def _slack(self, calendar: int, gate: bool, dates: list[int], anchor: int, latest: int) -> int:
        """Working units of `calendar` the date at `anchor` may move on by and stay at or
        before `latest`: a start moves in whole units, so the last start is the last unit
        that begins by then; a finish (or a milestone's date) ends at or before it."""
        if gate:
            return latest - dates[anchor]
        count, date = self.timetable.count, dates[anchor]
        if anchor % 2 == 0 and dates[anchor + 1] > date:  # the start of a task with work
            return count(calendar, latest + 1) - 1 - count(calendar, date)
        return count(calendar, latest) - count(calendar, date)

    def total_float(self, early: IntArray, late: IntArray) -> IntArray:
        """Per node, its calendar's working units from `early` to `late` (a float)."""
        return self.timetable.between(self.by_node, early, late)


def node_calendars(network: Network, timetable: Timetable | None) -> NodeCalendars | None:
    """The calendar of every node (gates follow the project calendar), or None when all of
    them are the axis; E014 for a calendar number the timetable does not have."""
    given = network.task_calendar
    named = 0 if timetable is None else len(timetable.names)
    if given is not None and given.size and int(given.max()) >= named:
        task = int(np.argmax(given >= named))
        message = f"task {network.ids[task]!r} works on calendar number {int(given[task])}; {named} are given"
        raise EngineError(UNKNOWN_CALENDAR, message, (network.ids[task],))
    if timetable is None:
        return None
    tasks = np.full(network.task_count, -1, dtype=np.int64) if given is None else given
    nodes = np.concatenate((tasks, np.full(network.node_count - network.task_count, -1, dtype=np.int64)))
    by_node = timetable.resolve(nodes)
    if not (by_node != AXIS).any():
        return None
    return NodeCalendars(timetable, by_node)

"""Every date of every node, as the passes left them: what drivers, floats and conflicts read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from itpm.engine.constraints import Bounds
from itpm.engine.extras import BoolArray, IntArray
from itpm.engine.network import Network
from itpm.engine.progress import Progress


@dataclass(frozen=True, eq=False)
class LinksRead:
    tight: IntArray  # the links (not ignored) whose bound is the strongest on their successor
    slack: IntArray  # per link: how far its predecessor may slip before it binds


@dataclass(frozen=True, eq=False)
class Solved:
    """Dates are (node_count, 2) arrays of [start, finish] in node order, and for what links
    read (through the layout's anchors), by position."""

    network: Network
    progress: Progress
    bounds: Bounds
    held: IntArray  # per node, the strongest bound its links put on its start; LOW if none
    held_by_position: IntArray  # the same by position (layout.order), as links read it
    link_bounds: IntArray  # per link: its bound on its successor's start; links_read uses it up
    scheduled: IntArray  # the early dates a task is scheduled on, ALAP tasks moved late
    scheduled_by_position: IntArray
    late: IntArray
    moved: BoolArray  # moved late: ALAP, or every task when scheduling backward
    ignored: BoolArray  # per link: history has overtaken it (a task on record)
    forward_constant: IntArray  # per link: bound on the successor = anchor + constant; kept
    # only where progress is reported (empty otherwise): links_read needs it only then
    backward_constant: IntArray  # per link: bound on the predecessor's late finish; HIGH: none
    # (scheduling forward, links_read reuses the memory of backward_constant)
    start: int
    finish: int
    backwards: bool

    @cached_property
    def total_float(self) -> IntArray:
        return self.late[:, 0] - self.scheduled[:, 0]

    @cached_property
    def links_read(self) -> LinksRead:
        """What each link asks of the scheduled dates, read once for drivers and free float.

        A link's bound (the date it counts from, plus its forward constant) is tight when it is
        the strongest bound on its successor's start. Its slack is how far the date it counts
        from may slip before it moves its successor: the date it holds back, less the date it
        counts from and its lag. Where no task is in progress each finish is its start plus the
        duration the constant took off, so the slack is the successor's start less the bound.
        """
        layout = self.network.layout
        bound = self.link_bounds  # as the forward sweep computed them; read here only
        # Forward, nothing reads the backward constants again: their memory holds the targets.
        other = np.take(
            self.held_by_position, layout.target, out=None if self.backwards else self.backward_constant
        )
        tight = bound == other
        if self.ignored.any():
            tight &= ~self.ignored
        if self.progress.reported:
            np.take(self.scheduled_by_position.reshape(-1), layout.to_anchor, out=other)
            bound -= self.forward_constant
            bound += self.network.lag
            other -= bound
            return LinksRead(np.flatnonzero(tight), other)
        np.take(self.scheduled_by_position[:, 0], layout.target, out=other)
        np.subtract(other, bound, out=bound)  # the bounds are read: their memory takes the slack
        return LinksRead(np.flatnonzero(tight), bound)

    @property
    def critical(self) -> BoolArray:
        """Float <= 0, as MS Project counts it: a task already complete is never critical."""
        return (self.total_float <= 0) & ~self.progress.complete

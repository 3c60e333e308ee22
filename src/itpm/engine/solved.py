"""Every date of every node, as the passes left them: what drivers, floats and conflicts read."""

from __future__ import annotations

from dataclasses import dataclass

from itpm.engine.constraints import Bounds
from itpm.engine.extras import BoolArray, IntArray
from itpm.engine.network import Network
from itpm.engine.progress import Progress


@dataclass(frozen=True, eq=False)
class Solved:
    """Dates are (node_count, 2) arrays of [start, finish] in node order."""

    network: Network
    progress: Progress
    bounds: Bounds
    held: IntArray  # per node, the strongest bound its links put on its start; LOW if none
    scheduled: IntArray  # the early dates a task is scheduled on, ALAP tasks moved late
    late: IntArray
    moved: BoolArray  # moved late: ALAP, or every task when scheduling backward
    ignored: BoolArray  # per link: history has overtaken it (a task on record)
    forward_constant: IntArray  # per link: bound on the successor's start = anchor + constant
    backward_constant: IntArray  # per link: bound on the predecessor's late finish
    start: int
    finish: int
    backwards: bool

    @property
    def total_float(self) -> IntArray:
        return self.late[:, 0] - self.scheduled[:, 0]

    @property
    def critical(self) -> BoolArray:
        """Float <= 0, as MS Project counts it: a task already complete is never critical."""
        return (self.total_float <= 0) & ~self.progress.complete

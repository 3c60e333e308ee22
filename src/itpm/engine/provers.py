"""How optimize() shares its workers between CP-SAT and the branch and bound (bnb.py).

With two workers or more, once CP-SAT alone has had its share (cpsat.py, _staged), the branch
and bound takes one in a thread (its compiled search lets go of the interpreter's lock) and
CP-SAT the others; the first to prove the optimum stops the other. With one, the branch and
bound runs first within a node budget, then CP-SAT.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from itpm.engine.bnb import BranchAndBound

SLICE_NODES = 20_000  # nodes between two looks at the stop flag: a few milliseconds
NODES_PER_SECOND = 150_000  # a cautious rate, for the budget of the branch and bound alone
JOIN_SECONDS = 1.0  # a slice takes milliseconds; only a compilation takes longer
ALONE_SHARE = 0.3  # of the time limit, for the branch and bound before a one-worker CP-SAT
Result = TypeVar("Result")


def search_beside(
    make: Callable[[], BranchAndBound], solve: Callable[[], Result], stop: Callable[[], None]
) -> tuple[Result, BranchAndBound | None]:
    """Run `solve` (blocking, in C++) while a branch and bound made by `make` searches in a
    thread. When the search completes first it calls `stop` until `solve` returns; when `solve`
    returns first the search stops at its next slice. Returns what `solve` returned, and the
    search if it stopped in time to be read: not when it is still compiling (the first run in a
    process without numba's cache), which it then finishes alone while the caller goes on."""
    returned = threading.Event()
    made: list[BranchAndBound] = []

    def prove() -> None:
        made.append(make())  # in the thread: making it may compile its first steps
        while not returned.is_set():
            if made[0].run(SLICE_NODES):
                while not returned.is_set():  # `solve` may not have begun: ask again until it ends
                    stop()
                    returned.wait(0.02)

    thread = threading.Thread(target=prove, name="branch-and-bound", daemon=True)
    thread.start()
    try:
        result = solve()
    finally:
        returned.set()
    thread.join(JOIN_SECONDS)
    return result, None if thread.is_alive() or not made else made[0]


def search_alone(prover: BranchAndBound, time_limit_s: float) -> float:
    """The branch and bound alone, for ALONE_SHARE of the time limit counted in nodes (so that a
    run is repeatable), or twice that share of wall time on a busy machine. Returns seconds."""
    began = time.perf_counter()
    budget = int(time_limit_s * ALONE_SHARE * NODES_PER_SECOND)
    while prover.nodes < budget and not prover.run(min(SLICE_NODES, budget - prover.nodes)):
        if time.perf_counter() - began > 2 * ALONE_SHARE * time_limit_s:
            break
    return time.perf_counter() - began

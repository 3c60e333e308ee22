"""Why each task starts when it does, free float, and the critical path, read off the dates.

A task's driver is what sets its early start: a link (the first, in input order, of those that
hold it exactly there), a constraint, the status date, its actual start, the project start, or,
for a task moved late (ALAP, or scheduling backward), the project finish. Links through a
summary's gates are reported as the links people drew: to or from the summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itpm.engine.extras import HIGH, BoolArray, IntArray
from itpm.engine.fast_path import kernels, minimum_at
from itpm.engine.network import GATE_EDGE, WIRE, Network
from itpm.engine.solved import Solved

PROJECT_START, LINK, CONSTRAINT, STATUS_DATE, ACTUAL, PROJECT_FINISH = range(6)
FIRST_NONE = np.iinfo(np.int64).max  # no link found yet, in a search for the first one
DRIVERS = ("project start", "link", "constraint", "status date", "actual", "project finish")
NONE = -1


@dataclass(frozen=True, eq=False)
class Driving:
    """Per node: what drives it, the task and link type people see, and the raw driving node."""

    code: IntArray  # index into DRIVERS
    predecessor: IntArray  # the driving task (or summary), never a gate; NONE
    link_type: IntArray  # index into LINK_TYPES of the driving link; NONE
    raw: IntArray  # the driving node, gates included: the critical path walks these; NONE
    first_link: IntArray  # the first link whose bound is the node's `held` bound; NONE


def drivers(solved: Solved) -> Driving:
    network = solved.network
    first = first_links(solved)
    code = _codes(solved, first)
    raw, link_type = _driving_links(network, code, first)
    predecessor, link_type, code = _through_gates(network, raw, link_type, code)
    return Driving(code, predecessor, link_type, raw, first)


def _driving_links(network: Network, code: IntArray, first: IntArray) -> tuple[IntArray, IntArray]:
    """Per node driven by a link, the node it comes from and its type; NONE elsewhere."""
    layout = network.layout
    compiled = kernels(network.node_count + layout.link_count)
    if compiled is not None:
        return compiled.driving_links(  # type: ignore[no-any-return]
            code, first, layout.order, layout.source, network.link_flags, LINK, NONE, WIRE, GATE_EDGE
        )
    linked = np.flatnonzero(code == LINK)
    links = first[linked]
    raw = np.full(network.node_count, NONE, dtype=np.int64)
    raw[linked] = network.predecessor_of(links)
    link_type = np.full(network.node_count, NONE, dtype=np.int64)
    link_type[linked] = network.type_of(links)
    return raw, link_type


def first_links(solved: Solved) -> IntArray:
    """Per node, the first link (not ignored) whose bound on it is the strongest, or NONE.

    First means first given (link_number). A link from a task moved late (ALAP) comes after the
    others: where a fixed task holds the successor just as well, that task is the better answer
    and the critical path runs there.
    """
    network, layout = solved.network, solved.network.layout
    tight = solved.links_read.tight
    links = layout.link_count
    compiled = kernels(network.node_count + links)
    if compiled is not None:
        moved = solved.moved if solved.moved.any() else np.zeros(0, dtype=np.bool_)
        return compiled.first_links(  # type: ignore[no-any-return]
            tight, network.link_number, layout.order, layout.source, layout.target, moved,
            network.node_count, NONE, FIRST_NONE,
        )  # fmt: skip
    rank = network.link_number[tight]
    if solved.moved.any():
        moved = solved.moved[layout.order[layout.source[tight]]]
        rank = rank + np.where(moved, links, 0)
    rank *= links
    rank += tight
    first = np.full(network.node_count, FIRST_NONE, dtype=np.int64)
    minimum_at(first, layout.order[layout.target[tight]], rank)
    return np.where(first == FIRST_NONE, NONE, first % max(links, 1))


def _codes(solved: Solved, first: IntArray) -> IntArray:
    bounds, start, held = solved.bounds, solved.scheduled[:, 0], solved.held
    code = np.full(solved.network.node_count, PROJECT_START, dtype=np.int64)
    code[start == bounds.status_floor] = STATUS_DATE
    code[start == bounds.constraint_floor] = CONSTRAINT
    code[(held == start) & (held >= bounds.floor) & (first != NONE)] = LINK
    capped = np.maximum(bounds.floor, held) > bounds.cap
    pinned = bounds.constraint_floor == bounds.cap  # MSO, MFO: the constraint, whatever links say
    code[capped | pinned] = CONSTRAINT
    code[solved.progress.on_record] = ACTUAL
    code[solved.moved] = PROJECT_FINISH if solved.backwards else CONSTRAINT
    return code


def _through_gates(
    network: Network, raw: IntArray, link_type: IntArray, code: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Report a link through an entry gate as the link into the summary (with what drives the
    gate), and a link from an exit gate as a link from the summary."""
    if network.node_count == network.task_count:
        return raw, link_type, code
    reported, link_type, code = raw.copy(), link_type.copy(), code.copy()
    gates = np.arange(network.task_count, network.node_count)
    for gate in gates[np.argsort(network.layout.place[gates])].tolist():  # drivers first
        _pass_on(network, gate, raw[gate], reported, link_type, code)
    tasks = np.flatnonzero(raw[: network.task_count] >= network.task_count)
    gate = raw[tasks] - network.task_count
    entry, exit_ = tasks[network.gate_is_entry[gate]], tasks[~network.gate_is_entry[gate]]
    for values in (reported, link_type, code):
        values[entry] = values[raw[entry]]
    reported[exit_] = network.gate_owner[raw[exit_] - network.task_count]
    return reported, link_type, code


def _pass_on(
    network: Network, node: int, gate: int, reported: IntArray, link_type: IntArray, code: IntArray
) -> None:
    if gate < network.task_count:
        return
    if network.gate_is_entry[gate - network.task_count]:
        reported[node], link_type[node], code[node] = reported[gate], link_type[gate], code[gate]
    else:
        reported[node] = network.gate_owner[gate - network.task_count]


def free_float(solved: Solved) -> IntArray:
    """How far each node can slip without moving any successor's dates or the project finish.

    A gate is not a task anyone can slip: a slip that reaches it passes through, so the slack
    up to a gate adds to the gate's own free float. Of the leaves that a summary's start gate
    reads, only those that start first move it.
    """
    network, layout = solved.network, solved.network.layout
    slack = solved.links_read.slack
    counted = ~solved.ignored if solved.ignored.any() else None
    if network.into_earliest.any():  # a later leaf's slack to the gate is negative: it does not count
        counted = (~solved.ignored) & ~(network.into_earliest & (slack < 0))
    if network.node_count == network.task_count:  # no gates: every link leads into a task
        free = solved.finish - solved.scheduled_by_position[:, 1]
        if counted is None:
            minimum_at(free, layout.source, slack)
        else:
            links = np.flatnonzero(counted)
            minimum_at(free, layout.source[links], slack[links])
        return _settled_free_float(solved, free[layout.place])
    return _settled_free_float(
        solved, _through_gates_free(solved, slack, ~solved.ignored if counted is None else counted)
    )


def _through_gates_free(solved: Solved, slack: IntArray, counted: BoolArray) -> IntArray:
    network = solved.network
    predecessor, successor = network.link_predecessor, network.link_successor
    free = solved.finish - solved.scheduled[:, 1]
    gate = network.task_count
    into_task = np.flatnonzero(counted & (successor < gate))
    np.minimum.at(free, predecessor[into_task], slack[into_task])
    # Gates to gates (links between summaries) are few: settle them latest gate first, then let
    # every slip into a gate pass through it at once.
    between = np.flatnonzero(counted & (successor >= gate) & (predecessor >= gate))
    between = between[np.argsort(-network.layout.place[successor[between]], kind="stable")]
    for link in between.tolist():
        through = int(slack[link] + free[successor[link]])
        free[predecessor[link]] = min(int(free[predecessor[link]]), through)
    into_gate = np.flatnonzero(counted & (successor >= gate) & (predecessor < gate))
    np.minimum.at(free, predecessor[into_gate], slack[into_gate] + free[successor[into_gate]])
    return free


def _settled_free_float(solved: Solved, free: IntArray) -> IntArray:
    free = np.maximum(free, 0)
    if solved.progress.reported:
        free[solved.progress.complete] = 0
    return free


def critical_path(solved: Solved, driving: Driving) -> list[str]:
    """One longest path: forward, from a task that ends the project back through its drivers;
    backward, from a task that starts the project on through the links that hold it late."""
    if solved.backwards:
        return _critical_path_from_start(solved)
    network = solved.network
    place = network.layout.place
    ends = np.flatnonzero(network.is_leaf & (solved.scheduled[:, 1] == solved.finish))
    if not ends.size:
        return []
    # Least float first; of equals the latest settled, so the path runs on to a finish milestone.
    node = int(ends[np.lexsort((-place[ends], solved.total_float[ends]))[0]])
    path: list[int] = []
    while node != NONE:
        path.append(node)
        node = int(driving.raw[node])
    return [network.ids[n] for n in reversed(path) if n < network.task_count]


def _critical_path_from_start(solved: Solved) -> list[str]:
    network, layout = solved.network, solved.network.layout
    flat = solved.scheduled_by_position.reshape(-1)
    predecessor, successor = network.link_predecessor, network.link_successor
    bound = flat[layout.to_anchor] + solved.backward_constant
    held = solved.scheduled_by_position[layout.source, 1]
    tight = np.flatnonzero(~solved.ignored & (bound == held))
    links = max(len(successor), 1)
    first = np.full(network.node_count, FIRST_NONE, dtype=np.int64)
    np.minimum.at(first, predecessor[tight], network.link_number[tight] * links + tight)
    first = np.where(first == FIRST_NONE, HIGH, first % links)
    starts = np.flatnonzero(network.is_leaf & (solved.scheduled[:, 0] == solved.start))
    if not starts.size:
        return []
    node = int(starts[np.argmin(solved.total_float[starts])])
    path: list[int] = []
    while node != NONE:
        path.append(node)
        node = int(successor[first[node]]) if first[node] != HIGH else NONE
    return [network.ids[n] for n in path if n < network.task_count]

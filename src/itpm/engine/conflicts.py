"""Scheduling conflicts: rules that cannot all hold, which one won, and the tasks involved.

- C101: a cap (SNLT, FNLT, MSO, MFO, or FNLT on a summary) holds a task earlier than its links,
  the project start or the status date ask; the constraint wins, as MS Project's default
  "tasks will always honor their constraint dates". Names the task, then the predecessor whose
  link asks the most (if a link is what breaks).
- C102: a task (or summary) finishes after its deadline; it shows as negative float.
- C103: an actual start or finish breaks a link into the task; the actual date stands. Names
  the task, then the predecessor whose link it breaks the most.

Each task gets at most one conflict of each code, and conflicts come in task input order. The
finding is done on whole arrays; only the messages are written one by one.
"""

from __future__ import annotations

import numpy as np

from itpm.engine.drivers import NONE, Driving
from itpm.engine.errors import ACTUAL_BREAKS_LINK, CONSTRAINT_BREAKS_LINK, MISSED_DEADLINE, Conflict
from itpm.engine.extras import HIGH, IntArray
from itpm.engine.model import CONSTRAINT_TYPES, LINK_TYPES
from itpm.engine.network import Network
from itpm.engine.solved import Solved

Found = list[tuple[int, str, Conflict]]  # (task node, code, conflict), to sort by task
CAPS = ("SNLT", "FNLT", "MSO", "MFO")


def find_conflicts(solved: Solved, driving: Driving, finishes: IntArray) -> list[Conflict]:
    """All conflicts; `finishes` are the scheduled finishes per task, summaries rolled up."""
    found = [
        *_constraint_conflicts(solved, driving),
        *_deadline_conflicts(solved, finishes),
        *_actual_conflicts(solved, driving),
    ]
    return [conflict for _, _, conflict in sorted(found, key=lambda item: item[:2])]


def _constraint_conflicts(solved: Solved, driving: Driving) -> Found:
    network, bounds, held = solved.network, solved.bounds, solved.held
    broken = network.is_leaf & ~solved.progress.on_record & (np.maximum(bounds.floor, held) > bounds.cap)
    nodes = np.flatnonzero(broken)
    if not nodes.size:
        return []
    by_link = held[nodes] > bounds.cap[nodes]
    links = np.where(by_link, driving.first_link[nodes], NONE)
    before = np.zeros(len(nodes), dtype=np.int64)
    linked = links != NONE
    before[linked] = _named(network, driving, network.predecessor_of(links[linked]))
    kinds = _kinds(network, np.maximum(links, 0))
    columns = zip(
        nodes.tolist(),
        links.tolist(),
        before.tolist(),
        kinds,
        bounds.cap[nodes].tolist(),
        held[nodes].tolist(),
        bounds.floor[nodes].tolist(),
        (bounds.floor[nodes] == bounds.status_floor[nodes]).tolist(),
        _constraint_words(solved, nodes),
        strict=True,
    )
    found = []
    for node, link, other, kind, at, asked, floor, by_status, rule in columns:
        task = network.ids[node]
        if link != NONE:
            reason = f"its {kind} link from {network.ids[other]!r} asks for {asked}"
            tasks: tuple[str, ...] = (task, network.ids[other])
        else:
            asks = "the status date" if by_status else "the project start"
            reason, tasks = f"{asks} is {floor}", (task,)
        message = f"task {task!r} ({rule}) is held at {at}, but {reason}: the constraint wins"
        found.append((node, CONSTRAINT_BREAKS_LINK, Conflict(CONSTRAINT_BREAKS_LINK, message, tasks)))
    return found


def _constraint_words(solved: Solved, nodes: IntArray) -> list[str]:
    """The task's own cap ("MSO 5"), or the summary's it inherits."""
    extras = solved.network.extras
    row_of = dict(zip(extras.nodes.tolist(), range(len(extras.nodes)), strict=True))
    words = []
    for node in nodes.tolist():
        row = row_of.get(node)
        kind = CONSTRAINT_TYPES[extras.constraint[row]] if row is not None else "ASAP"
        if row is None or kind not in CAPS:
            words.append("a constraint on its summary")
        else:
            words.append(f"{kind} {int(extras.constraint_date[row])}")
    return words


def _deadline_conflicts(solved: Solved, finishes: IntArray) -> Found:
    network = solved.network
    deadline = solved.bounds.deadline[: network.task_count]
    late = np.flatnonzero((deadline < HIGH) & (finishes > deadline))
    found = []
    for node, finish, date in zip(
        late.tolist(), finishes[late].tolist(), deadline[late].tolist(), strict=True
    ):
        task = network.ids[node]
        message = f"task {task!r} finishes at {finish}, after its deadline {date}"
        found.append((node, MISSED_DEADLINE, Conflict(MISSED_DEADLINE, message, (task,))))
    return found


def _actual_conflicts(solved: Solved, driving: Driving) -> Found:
    network, dates = solved.network, solved.scheduled
    ignored = np.flatnonzero(solved.ignored)
    if not ignored.size:
        return []
    ignored = ignored[np.argsort(network.link_number[ignored], kind="stable")]  # as given, for ties
    predecessor, successor = network.predecessor_of(ignored), network.successor_of(ignored)
    to_finish = network.to_finish[ignored]
    # What each link asks of its successor's start or finish, against what actually happened.
    asked = dates.reshape(-1)[2 * predecessor + network.from_finish[ignored]] + network.lag[ignored]
    happened = dates[successor, to_finish.astype(np.int64)]
    excess = asked - happened
    worst = np.full(network.node_count, 0, dtype=np.int64)
    np.maximum.at(worst, successor, excess)
    hits = np.flatnonzero((excess > 0) & (excess == worst[successor]))
    first = np.full(network.node_count, HIGH, dtype=np.int64)
    np.minimum.at(first, successor[hits], hits)
    nodes = np.flatnonzero(first < HIGH)
    rows = first[nodes]
    columns = zip(
        nodes.tolist(),
        _named(network, driving, predecessor[rows]).tolist(),
        _kinds(network, ignored[rows]),
        np.where(to_finish[rows], "finished", "started").tolist(),
        asked[rows].tolist(),
        happened[rows].tolist(),
        strict=True,
    )
    found = []
    for node, other, kind, what, wanted, actual in columns:
        task, other_id = network.ids[node], network.ids[other]
        reason = f"its {kind} link from {other_id!r} asks for {wanted}"
        message = f"task {task!r} actually {what} at {actual}, but {reason}: the actual date stands"
        found.append((node, ACTUAL_BREAKS_LINK, Conflict(ACTUAL_BREAKS_LINK, message, (task, other_id))))
    return found


def _named(network: Network, driving: Driving, nodes: IntArray) -> IntArray:
    """Nodes as people know them: a task; for a gate its summary, or what drives its entry."""
    if not network.gate_owner.size:
        return nodes
    gate = np.maximum(nodes - network.task_count, 0)
    is_gate = nodes >= network.task_count
    named = np.where(is_gate, network.gate_owner[gate], nodes)
    entry_driver = driving.predecessor[nodes]
    through_entry = is_gate & network.gate_is_entry[gate] & (entry_driver != NONE)
    return np.where(through_entry, entry_driver, named)


def _kinds(network: Network, links: IntArray) -> list[str]:
    """The types of links as drawn ("FS", ...); "summary" for a gate's own wiring."""
    if not network.link_flags.size:
        return ["summary"] * len(links)
    names = (*LINK_TYPES, "summary")  # GATE_EDGE, -1, picks the last
    return [names[code] for code in network.type_of(links).tolist()]

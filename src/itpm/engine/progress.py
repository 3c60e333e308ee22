"""Progress against a status date: how long each task still runs, and what is already history.

Every node finishes at  max(start + worked, resume) + left:  a task not yet started works its
whole duration (worked = duration, resume = LOW, left = 0); a started task has `worked` done
since its start, then resumes its `left` remaining work no earlier than the status date. The
rules, as docs/scheduling.md states them for people:

- finished (an actual finish, or 100% with an actual start): the actual dates stand;
- started with an actual start: the start stands; the work done, duration x percent / 100,
  follows it, and the remaining work (`remaining`, or the duration less the work done) resumes
  no earlier than the status date;
- started without an actual start (percent > 0): the same, the start set by links as planned;
- 100% complete without actual dates: scheduled as planned, never critical;
- not started: starts no earlier than the status date, and runs `remaining` if given.

Links into a task never move an actual start: FS and SS links into a started task, and every
link into a finished one, are checked afterwards (conflict C103) instead of obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itpm.engine.extras import LOW, NO_REMAINING, BoolArray, Extras, IntArray, constant
from itpm.engine.network import Network

PLANNED, COMPLETE, STARTED, STARTED_ON_RECORD, FINISHED_ON_RECORD = range(5)


@dataclass
class Progress:
    """Per node: the three terms of its finish, its state, and its start if on record.

    `duration` is the span a finish-type link converts with: the work done and the work left.
    `reported` says whether any task has progress at all: most plans being made have none, and
    the passes then skip the terms that only progress sets.
    """

    worked: IntArray
    resume: IntArray
    left: IntArray
    state: IntArray  # PLANNED, STARTED, ...
    actual_start: IntArray  # LOW where none
    duration: IntArray
    reported: bool = False

    @property
    def on_record(self) -> BoolArray:
        """Tasks whose start is history: links no longer move them."""
        return self.state >= STARTED_ON_RECORD

    @property
    def finished(self) -> BoolArray:
        return self.state == FINISHED_ON_RECORD

    @property
    def planned(self) -> BoolArray:
        return self.state == PLANNED

    @property
    def complete(self) -> BoolArray:
        return (self.state == COMPLETE) | (self.state == FINISHED_ON_RECORD)


def task_progress(network: Network, status: int | None) -> Progress:
    """Progress arrays for every node; gates and summaries stay planned with nothing to do."""
    count = network.node_count
    progress = Progress(
        worked=network.durations,
        resume=constant(count, LOW),
        left=constant(count, 0),
        state=constant(count, PLANNED),
        actual_start=constant(count, LOW),
        duration=network.durations,
    )
    # A summary's progress rolls up from its children; what it says itself is not used.
    extras = network.extras.only(~network.is_summary[network.extras.nodes])
    if extras.nodes.size:
        progress = Progress(
            worked=progress.worked.copy(),
            resume=progress.resume.copy(),
            left=progress.left.copy(),
            state=progress.state.copy(),
            actual_start=progress.actual_start.copy(),
            duration=network.durations,
        )
        _record(progress, extras, status)
        progress.reported = bool((progress.state[extras.nodes] != PLANNED).any())
        progress.duration = progress.worked + progress.left
    return progress


def _record(progress: Progress, r: Extras, status: int | None) -> None:
    nodes = r.nodes
    has_start, has_finish = r.actual_start != LOW, r.actual_finish != LOW
    has_remaining = r.remaining != NO_REMAINING
    finished = has_finish | (has_start & (r.percent >= 100))
    complete = ~finished & (r.percent >= 100)
    started = ~finished & ~complete & (has_start | (r.percent > 0))
    first = np.where(has_start, r.actual_start, r.actual_finish - r.duration)
    last = np.where(has_finish, r.actual_finish, first + r.duration)
    done = np.rint(r.duration * r.percent / 100).astype(np.int64)  # Python's round: half to even
    left = np.where(has_remaining, r.remaining, r.duration - done)
    planned_span = np.where(has_remaining, r.remaining, r.duration)
    state = np.select(
        [finished, complete, started & has_start, started],
        [FINISHED_ON_RECORD, COMPLETE, STARTED_ON_RECORD, STARTED],
        PLANNED,
    )
    progress.state[nodes] = state
    progress.worked[nodes] = np.select([finished, started], [last - first, done], planned_span)
    progress.left[nodes] = np.where(started, left, 0)
    if status is not None:
        progress.resume[nodes] = np.where(started & (left > 0), status, LOW)
    progress.actual_start[nodes] = np.where(finished | (started & has_start), first, LOW)

"""The links of a native project file, read into the columns the engine reads.

A large file has many links, so a file of plain links (known tasks, a type, a whole number of
days' lag) is read a key at a time over all of them, with maps that run in C; any other file is
read link by link, which names the first problem, if there is one. Either way no object is made
per link: the engine takes the columns as they are (formats/project.py, ProjectLinks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import repeat
from typing import Any, cast

import numpy as np

from itpm.engine.formats.project import UNITS_PER_DAY, IntArray, ProjectLinks
from itpm.engine.formats.values import MAX_DAYS, Values, working_days
from itpm.engine.model import LINK_TYPES

LINK_KEYS = ("from", "to", "type", "lag", "lag_percent")
PLAIN_LINK_KEYS = frozenset(("from", "to", "type", "lag"))
LINK_CODES = {kind: code for code, kind in enumerate(LINK_TYPES)}


class LinkReader:
    """Collects links as columns of task numbers, type codes and lags: the engine reads these
    as they are, so a large file makes no object per link."""

    def __init__(self, values: Values, index: dict[str, int]) -> None:
        self.values = values
        self.index = index
        self.predecessor: list[int] = []
        self.successor: list[int] = []
        self.kind: list[int] = []
        self.lag: list[int] = []
        self.percents: dict[int, Decimal] = {}
        self.units: dict[int, int] = {}  # lags read the long way, already in units
        self.arrays: tuple[IntArray, IntArray, IntArray, IntArray] | None = None

    def add_all(self, items: list[Any]) -> None:
        """Add every link. A file of plain links only (known tasks, a type, a whole number of
        days' lag) is read a column at a time; any other is read link by link (add_each)."""
        if not self.add_plain(items):
            self.add_each(items)
        self.check_no_pair_twice()

    def add_plain(self, items: list[Any]) -> bool:
        """Each key of all the links at once, with C-level maps; False if any link is not plain
        (it is then read again link by link, which names the first problem, if there is one)."""
        if not set(map(type, items)) <= {dict} or not all(map(PLAIN_LINK_KEYS.issuperset, items)):
            return False
        place: Callable[[Any], int | None] = self.index.get
        code: Callable[[Any], int | None] = LINK_CODES.get
        try:
            before = list(map(place, column(items, "from")))
            after = list(map(place, column(items, "to")))
            kinds = list(map(code, column(items, "type", "FS")))
        except TypeError:  # a value that cannot be a key (a list, say): not plain
            return False
        lags = column(items, "lag", 0)
        if not set(map(type, lags)) <= {int}:
            return False
        try:  # a None (an unknown task or type) cannot be an int64: not plain
            ends = np.array((before, after), dtype=np.int64).reshape(2, -1)
            kind = np.array(kinds, dtype=np.int64)
        except TypeError:
            return False
        lag = np.array(lags, dtype=np.int64)
        if lag.size and (int(lag.min()) < -MAX_DAYS or int(lag.max()) > MAX_DAYS):
            return False
        if (ends[0] == ends[1]).any():  # a task linked to itself
            return False
        self.predecessor, self.successor = cast(list[int], before), cast(list[int], after)
        self.kind, self.lag = cast(list[int], kinds), lags
        self.arrays = (ends[0], ends[1], kind, lag)
        return True

    def add_each(self, items: list[Any]) -> None:
        """Add each link: the common one checked inline, anything else, or wrong, by `add`."""
        index, codes = self.index, LINK_CODES
        before, after, kinds, lags = self.predecessor, self.successor, self.kind, self.lag
        for number, item in enumerate(items):
            if type(item) is not dict or not item.keys() <= PLAIN_LINK_KEYS:
                self.add(item, f"links[{number}]")
                continue
            predecessor, successor = item.get("from"), item.get("to")
            kind, lag = item.get("type", "FS"), item.get("lag", 0)
            if (
                type(predecessor) is not str
                or type(successor) is not str
                or predecessor not in index
                or successor not in index
                or predecessor == successor
                or type(kind) is not str
                or kind not in codes
                or type(lag) is not int
                or not -MAX_DAYS <= lag <= MAX_DAYS
            ):
                self.add(item, f"links[{number}]")
                continue
            before.append(index[predecessor])
            after.append(index[successor])
            kinds.append(codes[kind])
            lags.append(lag)

    def columns(self, task_ids: Sequence[str]) -> ProjectLinks:
        before, after, kind, lag = self.arrays or self._arrays()
        lag = lag * UNITS_PER_DAY  # plain lags were kept in days; the others are in units already
        if self.units:
            lag[list(self.units)] = list(self.units.values())
        return ProjectLinks(task_ids, before, after, kind, lag, self.percents)

    def _arrays(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        columns = (self.predecessor, self.successor, self.kind, self.lag)
        before, after, kind, lag = (np.array(values, dtype=np.int64).reshape(-1) for values in columns)
        self.arrays = (before, after, kind, lag)
        return self.arrays

    def check_no_pair_twice(self) -> None:
        """Two links may not join the same two tasks the same way round: checked in one go."""
        before, after, _, _ = self.arrays or self._arrays()
        pairs = np.sort(before * len(self.index) + after)
        if not (pairs[1:] == pairs[:-1]).any():
            return
        pairs = before * len(self.index) + after
        seen: dict[int, int] = {}
        for number, pair in enumerate(pairs.tolist()):
            if pair in seen:
                ids = list(self.index)
                predecessor, successor = ids[self.predecessor[number]], ids[self.successor[number]]
                self.values.fail(
                    f"links[{number}]", f"{predecessor!r} → {successor!r} is already links[{seen[pair]}]"
                )
            seen[pair] = number

    def add(self, value: object, path: str) -> None:
        values = self.values
        fields = values.mapping(value, path, LINK_KEYS, required=("from", "to"))
        ends = [values.identifier(fields[key], f"{path}.{key}") for key in ("from", "to")]
        for key, task_id in zip(("from", "to"), ends, strict=True):
            if task_id not in self.index:
                values.fail(f"{path}.{key}", f"no task has the id {task_id!r}")
        predecessor, successor = ends
        if predecessor == successor:
            values.fail(path, f"links task {predecessor!r} to itself")
        kind = values.choice(fields.get("type", "FS"), f"{path}.type", LINK_TYPES)
        if "lag" in fields and "lag_percent" in fields:
            values.fail(path, "give lag (working days) or lag_percent, not both")
        lag = working_days(values, fields.get("lag", 0), f"{path}.lag", negative=True)
        number = len(self.predecessor)
        if "lag_percent" in fields:
            percent = values.number(fields["lag_percent"], f"{path}.lag_percent", -1000, 1000)
            self.percents[number] = Decimal(percent)
        self.predecessor.append(self.index[predecessor])
        self.successor.append(self.index[successor])
        self.kind.append(LINK_CODES[kind])
        self.lag.append(0)
        self.units[number] = lag  # in units already, unlike the plain links' days


def column(items: list[dict[str, Any]], key: str, default: Any = None) -> list[Any]:
    """One key of every item, `default` where an item lacks it: a map that runs in C."""
    return list(map(dict.get, items, repeat(key), repeat(default)))

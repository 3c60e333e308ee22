"""When the critical path method takes its compiled fast path (cpm_kernels.py, and for a plain
network plain_kernels.py), and the calls.

The kernels give the same arrays as the numpy path; they pay on large networks, where numpy
makes a few calls for each of hundreds of levels: at 100,000 tasks and 300,000 links those of
the general path save about 20 ms of CPU time a schedule (45 ns a node or link), the plain
kernel (plain_path.py) about 60 ms. Loading them costs about 0.5 s of CPU once per process
(importing numba 0.2 s, reading the compiled kernels from numba's cache 0.3 s), so loading
numba for one schedule pays only above some 8 million nodes and links (LOAD_FROM).
Below that, a network takes the fast path when numba is loaded already (a long-lived process:
the app's levelling and simulations load it) and it has at least FAST_FROM nodes and links,
where the kernels start to beat numpy. `import itpm.engine` and `itpm schedule` on a file never
load numba for it.

Where numba cannot load or cache its kernels (not installed, a read-only package directory and
no writable NUMBA_CACHE_DIR), the numpy path runs: same results, slower.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType

import numpy as np

from itpm.engine.levels import SweepOrder

IntArray = np.ndarray

FAST_FROM = 20_000  # nodes + links, with numba loaded already: about 5,000 tasks
LOAD_FROM = 8_000_000  # nodes + links: worth loading numba for, for one schedule
_loaded: list[ModuleType | None] = []  # the kernels once tried: [module] or [None]


def kernels(size: int) -> ModuleType | None:
    """The compiled kernels if a network of `size` nodes and links should use them, else None."""
    if size < FAST_FROM or (size < LOAD_FROM and "numba" not in sys.modules):
        return None
    if not _loaded:
        _loaded.append(_load())
    return _loaded[0]


def _load() -> ModuleType | None:
    try:
        from itpm.engine import cpm_kernels
    except (ImportError, RuntimeError):  # no numba, or nowhere to cache: the numpy path
        return None
    return cpm_kernels


def levelled_sweep(
    node_count: int, predecessor: IntArray, successor: IntArray, kind: IntArray
) -> tuple[IntArray, SweepOrder, IntArray, IntArray] | None:
    """Levels, sweep order, and lag and flags per link in sweep order (from `kind`, lag * 8 +
    flags) by the kernels; or None: too small, no numba, or a cycle (which the numpy path then
    finds and names)."""
    compiled = kernels(node_count + len(predecessor))
    if compiled is None or node_count + len(predecessor) >= 2**31:  # the kernels count in 32 bits
        return None
    level, placed, order, place, links, target, degree, source, lag, flags = compiled.levelled_sweep(
        node_count, predecessor, successor, kind
    )
    if placed < node_count:
        return None
    return level, SweepOrder(order, place, links, target, degree, source), lag, flags


def minimum_at(values: IntArray, index: IntArray, update: IntArray) -> None:
    """np.minimum.at(values, index, update): compiled for many updates (fast_path.kernels)."""
    compiled = kernels(len(values) + len(index))
    if compiled is None:
        np.minimum.at(values, index, update)
    else:
        compiled.minimum_at(values, index, np.ascontiguousarray(update, dtype=np.int64))


def distinct(ids: Sequence[str], size: int) -> bool:
    """Whether no task id is used twice, for a network of `size` nodes and links: by the
    kernels where they run (the ids joined by zero bytes, hashed in one compiled loop, about a
    third of the time of a set of them), else by a set. Exact either way: the kernel compares
    the texts whose hashes meet."""
    compiled = kernels(size)
    if compiled is not None:
        try:
            text = "\0".join(ids).encode()
        except (TypeError, UnicodeEncodeError):  # not all strings, or not all encodable
            text = None
        if text is not None:
            answer = compiled.distinct_texts(np.frombuffer(text, dtype=np.uint8), len(ids))
            if answer is not None:  # None: some id holds a zero byte
                return bool(answer)
    return len(set(ids)) == len(ids)

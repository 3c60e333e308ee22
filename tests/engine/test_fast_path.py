"""The compiled fast path (cpm_kernels.py) gives exactly what the numpy path gives.

Random networks of every kind the engine takes (all link types, lags and percentage lags,
milestones, parts not linked to each other, summaries, constraints, deadlines, progress,
scheduling backward, cycles) are scheduled twice: with the fast path forced on for any size,
and forced off. Every column, the critical path, the order and the conflicts must agree; where
the input is wrong, both must raise the same error naming the same tasks.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm.engine import MISSING, EngineError, Schedule, TaskExtras, fast_path, schedule_arrays
from itpm.engine.model import CONSTRAINT_TYPES

quick = settings(max_examples=200, deadline=None, database=None)
COLUMNS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
    "driver",
    "driving_predecessor",
    "driving_type",
)


@dataclass(frozen=True)
class Drawn:
    arrays: dict[str, Any]
    options: dict[str, Any]


@st.composite
def networks(draw: st.DrawFn, acyclic: bool = True, summaries: bool = False) -> Drawn:
    """Up to 30 tasks and 60 links; acyclic ones link a lower number to a higher one only."""
    count = draw(st.integers(1, 30))
    durations = draw(st.lists(st.integers(0, 12), min_size=count, max_size=count))  # 0: milestone
    link = st.tuples(
        st.integers(0, count - 1),
        st.integers(0, count - 1),
        st.integers(0, 3),
        st.integers(-3, 6),
        st.one_of(st.just(np.nan), st.integers(-50, 150).map(float)),
    )
    links = [row for row in draw(st.lists(link, max_size=60)) if row[0] != row[1]]
    if acyclic:
        links = [(min(p, s), max(p, s), *rest) for p, s, *rest in links]
    columns = list(zip(*links, strict=True)) if links else [()] * 5
    arrays: dict[str, Any] = {
        "durations": np.array(durations, dtype=np.int64),
        "predecessor": np.array(columns[0], dtype=np.int64),
        "successor": np.array(columns[1], dtype=np.int64),
        "link_type": np.array(columns[2], dtype=np.int64),
        "lag": np.array(columns[3], dtype=np.int64),
        "lag_percent": np.array(columns[4], dtype=np.float64),
        "ids": [f"T{n}" for n in range(count)],
    }
    if summaries and count > 1:
        arrays["parent"] = np.array(
            [-1] + [draw(st.integers(-1, n - 1)) for n in range(1, count)], dtype=np.int64
        )
    return Drawn(arrays, draw(options(count)))


@st.composite
def options(draw: st.DrawFn, count: int) -> dict[str, Any]:
    """Constraints, deadlines and progress on some tasks; a status date; sometimes backward."""
    chosen: dict[str, Any] = {"project_start_unit": draw(st.integers(0, 3))}
    if draw(st.booleans()):
        chosen["project_finish_unit"] = draw(st.integers(10, 60))
    if draw(st.booleans()):
        return chosen
    rows = sorted(draw(st.sets(st.integers(0, count - 1), max_size=count)))
    kinds = [draw(st.integers(0, len(CONSTRAINT_TYPES) - 1)) for _ in rows]
    undated = {CONSTRAINT_TYPES.index("ASAP"), CONSTRAINT_TYPES.index("ALAP")}
    starts = [draw(st.one_of(st.just(MISSING), st.integers(0, 20))) for _ in rows]
    chosen["extras"] = TaskExtras.of(
        rows,
        constraint=kinds,
        constraint_date=[MISSING if k in undated else draw(st.integers(0, 40)) for k in kinds],
        deadline=[draw(st.one_of(st.just(MISSING), st.integers(0, 50))) for _ in rows],
        actual_start=starts,
        actual_finish=[
            MISSING if s == MISSING or draw(st.booleans()) else s + draw(st.integers(0, 8)) for s in starts
        ],
        percent_complete=[float(draw(st.integers(0, 100))) for _ in rows],
    )
    chosen["status_unit"] = draw(st.one_of(st.none(), st.integers(0, 30)))
    return chosen


@pytest.fixture(scope="module")
def fast_everywhere() -> Iterator[None]:
    """The fast path for networks of any size (numba is loaded for them, as in a server)."""
    saved = fast_path.FAST_FROM, fast_path.LOAD_FROM
    fast_path.FAST_FROM = fast_path.LOAD_FROM = 0
    yield
    fast_path.FAST_FROM, fast_path.LOAD_FROM = saved


def outcome(drawn: Drawn, fast: bool) -> Schedule | tuple[str, tuple[str, ...]]:
    saved = fast_path.FAST_FROM
    if not fast:
        fast_path.FAST_FROM = 1 << 62
    try:
        return schedule_arrays(**drawn.arrays, **drawn.options)
    except EngineError as error:
        return error.code, error.tasks
    finally:
        fast_path.FAST_FROM = saved


def assert_same(drawn: Drawn) -> None:
    fast, reference = outcome(drawn, fast=True), outcome(drawn, fast=False)
    if not isinstance(reference, Schedule):
        assert fast == reference
        return
    assert isinstance(fast, Schedule), fast
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(fast.columns, name), getattr(reference.columns, name), name)
    assert fast.critical_path == reference.critical_path
    assert (fast.start, fast.finish) == (reference.start, reference.finish)
    assert list(fast.order) == list(reference.order)
    assert fast.conflicts == reference.conflicts


@quick
@given(networks())
def test_the_fast_path_schedules_as_numpy_does(fast_everywhere: None, drawn: Drawn) -> None:
    assert_same(drawn)


@quick
@given(networks(summaries=True))
def test_the_fast_path_agrees_through_summaries(fast_everywhere: None, drawn: Drawn) -> None:
    assert_same(drawn)


@quick
@given(networks(acyclic=False))
def test_the_fast_path_names_the_same_cycle(fast_everywhere: None, drawn: Drawn) -> None:
    assert_same(drawn)


def test_a_cycle_is_named_by_the_fast_path(fast_everywhere: None) -> None:
    """A cycle among many tasks: the kernels find nodes never placed, and E001 names the loop."""
    with pytest.raises(EngineError) as raised:
        schedule_arrays([3, 2, 4, 1], [0, 1, 2, 3], [1, 2, 3, 1], ids=["A", "B", "C", "D"])
    assert (raised.value.code, raised.value.tasks) == ("E001", ("B", "C", "D"))


def test_the_fast_path_runs_the_kernels(fast_everywhere: None) -> None:
    """Forced on, a schedule really goes through the compiled module (not the numpy path)."""
    schedule_arrays([2, 3], [0], [1])
    assert fast_path.kernels(2) is not None
    assert "itpm.engine.cpm_kernels" in sys.modules


def test_a_small_network_loads_no_numba() -> None:
    """`itpm schedule` on a small or mid-sized file stays off numba: its import costs more than
    it saves there."""
    code = (
        "import sys\n"
        "from itpm.engine import schedule_arrays\n"
        "import numpy as np\n"
        "n = 10_000\n"
        "schedule_arrays(np.ones(n, int), np.arange(n - 1), np.arange(1, n))\n"
        "assert 'numba' not in sys.modules, 'numba loaded for 10,000 tasks'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nowhere_to_cache_the_kernels_falls_back_to_numpy() -> None:
    """A read-only package directory and no writable cache directory: numba refuses to cache
    (RuntimeError on import of the kernels); the schedule is still made, on the numpy path."""
    code = (
        "import numba.core.caching as caching\n"
        "caching.CacheImpl._locator_classes = []  # as if no directory could hold the cache\n"
        "from itpm.engine import fast_path, schedule_arrays\n"
        "fast_path.FAST_FROM = 0\n"
        "result = schedule_arrays([2, 3, 1], [0, 1], [1, 2])\n"
        "assert fast_path.kernels(10**9) is None, 'kernels loaded without a cache'\n"
        "assert result.finish == 6, result.finish\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

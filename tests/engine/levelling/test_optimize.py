"""optimize(): CP-SAT proves optima the heuristic cannot, and never returns a worse schedule."""

from __future__ import annotations

import subprocess
import sys

import pytest

from itpm.engine.cpsat import preemptive_bound
from itpm.engine.levelling import level
from itpm.engine.model import Link
from itpm.engine.optimize import optimize
from itpm.engine.rcpsp import Activity, Problem, Resource, check_schedule
from itpm.engine.rcpsp_arrays import compile_problem

from .test_level import four_activities


def test_the_four_activities_are_proven_optimal() -> None:
    problem = four_activities()
    result = optimize(problem, time_limit_s=5, workers=1)
    assert check_schedule(problem, result.starts) == []
    assert (result.makespan, result.lower_bound, result.optimal, result.gap) == (8, 8, True, 0.0)
    assert result.heuristic_makespan == 8
    assert result.delays == {a: result.starts[a] - e for a, e in level(problem).early_starts.items()}


def test_a_heuristic_that_meets_the_bound_needs_no_search() -> None:
    problem = Problem([Activity("a", 2, {"r": 1}), Activity("b", 3, {"r": 1})], [Resource("r", 1)])
    result = optimize(problem)
    assert (result.makespan, result.lower_bound, result.status, result.optimal) == (5, 5, "LOWER_BOUND", True)


def test_the_preemptive_bound_counts_periods_of_compatible_activities() -> None:
    from ortools.sat.python import cp_model

    problem = four_activities()
    bound, _ = preemptive_bound(cp_model, compile_problem(problem), 1.0, 1)
    assert bound == 7  # C alone for 2 periods, then A, B, D two at a time: 3 + 3 + 4 = 10 units, 5 periods


def test_a_search_improves_on_a_poor_hint() -> None:
    problem = Problem(
        [Activity(f"t{n}", 1 + n % 3, {"r": 1 + n % 2}) for n in range(8)],
        [Resource("r", 2)],
        [Link("t0", "t3"), Link("t1", "t4", "SS", 1), Link("t2", "t6", "FF")],
    )
    poor = level(problem, budget_schedules=1)
    result = optimize(problem, time_limit_s=5, workers=2, hint=poor)
    assert check_schedule(problem, result.starts) == []
    assert result.optimal
    assert result.makespan <= poor.makespan
    assert result.makespan <= level(problem).makespan


def test_fixed_activities_that_overlap_do_not_make_it_infeasible() -> None:
    problem = Problem(
        [
            Activity("x", 2, {"ann": 1}, fixed=True),
            Activity("y", 2, {"ann": 1}, fixed=True),
            Activity("z", 1, {"ann": 1}),
            Activity("w", 2, {"ann": 1}),
        ],
        [Resource("ann", 1)],
        [Link("z", "w")],
    )
    result = optimize(problem, time_limit_s=5, workers=1)
    assert result.status in ("OPTIMAL", "LOWER_BOUND")
    assert (result.starts["x"], result.starts["y"]) == (0, 0)
    assert result.makespan == 5


def test_times_in_hundredths_of_a_day() -> None:
    problem = Problem(
        [Activity("a", 300, {"r": 1}), Activity("b", 200, {"r": 1}), Activity("c", 100, {"r": 1})],
        [Resource("r", 1)],
        [Link("a", "c", "SS", 100)],
    )
    result = optimize(problem, time_limit_s=5, workers=1)
    assert result.makespan == 600
    assert all(start % 100 == 0 for start in result.starts.values())
    assert check_schedule(problem, result.starts) == []


def test_a_hint_of_another_problem_is_refused() -> None:
    other = level(Problem([Activity("zz", 1)], []))
    with pytest.raises(ValueError, match="another problem"):
        optimize(four_activities(), hint=other)


def test_the_package_exports_levelling_without_importing_its_solvers() -> None:
    """`import itpm.engine` stays quick: numba and OR-Tools load only when levelling runs."""
    script = (
        "import sys, itpm.engine as e\n"
        "m = sys.modules['itpm.engine.optimize']\n"
        "assert 'numba' not in sys.modules and 'ortools' not in sys.modules, 'imported too soon'\n"
        "assert callable(e.optimize) and e.optimize is m.optimize\n"
        "from itpm.engine import level, LevelResult, single_pass\n"
        "assert 'numba' in sys.modules and 'ortools' not in sys.modules\n"
        "print(level.__module__, LevelResult.__name__, single_pass.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["itpm.engine.levelling", "LevelResult", "single_pass"]


@pytest.mark.parametrize(
    ("options", "words"), [({"time_limit_s": 0}, "time limit"), ({"workers": 0}, "workers")]
)
def test_a_bad_time_limit_or_worker_count_is_refused(options: dict[str, float], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        optimize(four_activities(), **options)  # type: ignore[arg-type]

"""PSPLIB j30: every levelled schedule of all 480 instances is valid and never below the optimum."""

from __future__ import annotations

import pytest

from itpm.engine.errors import DEMAND_EXCEEDS_CAPACITY, EngineError
from itpm.engine.formats import parse_psplib
from itpm.engine.levelling import level, single_pass
from itpm.engine.optimize import optimize
from itpm.engine.rcpsp import check_schedule

from .conftest import J30, j30_optima, psplib_problem

HANDFUL = ("j301_1.sm", "j3010_5.sm", "j3011_7.sm", "j3025_2.sm", "j3046_3.sm")


@pytest.mark.slow
def test_level_on_all_of_j30_is_valid_and_close_to_the_optimum() -> None:
    optima = j30_optima()
    above = []
    for name, optimum in sorted(optima.items()):
        problem = psplib_problem(J30 / name)
        result = level(problem, budget_schedules=5_000)
        assert check_schedule(problem, result.starts) == [], name
        assert result.lower_bound <= optimum <= result.makespan, name
        above.append((result.makespan - optimum) / optimum)
    assert len(above) == 480
    assert sum(above) / len(above) < 0.003  # 0.15 % at a tenth of the default budget


def test_single_pass_on_a_handful_is_valid() -> None:
    optima = j30_optima()
    for name in HANDFUL:
        problem = psplib_problem(J30 / name)
        for scheme in ("serial", "parallel"):
            result = single_pass(problem, "LFT", scheme=scheme)
            assert check_schedule(problem, result.starts) == [], name
            assert result.makespan >= optima[name]


def test_optimize_on_a_handful_proves_the_optimum() -> None:
    optima = j30_optima()
    for name in HANDFUL:
        problem = psplib_problem(J30 / name)
        result = optimize(problem, time_limit_s=10, workers=1)
        assert check_schedule(problem, result.starts) == [], name
        assert result.optimal, name
        assert result.makespan == result.lower_bound == optima[name]
        assert result.gap == 0.0


def test_a_request_above_the_availability_is_refused_with_e205() -> None:
    """The reader keeps the file as written; making the levelling problem names the job."""
    text = (J30 / "j301_1.sm").read_text() if J30.exists() else pytest.skip("j30 not found")
    broken = text.replace(
        "  3      1     4      10    0    0    0", "  3      1     4      13    0    0    0"
    )
    assert broken != text
    project = parse_psplib(broken, "broken.sm")
    with pytest.raises(EngineError) as raised:
        project.levelling_problem()
    assert raised.value.code == DEMAND_EXCEEDS_CAPACITY
    assert raised.value.tasks == ("3",)
    assert "needs 13 units of 'R1', which has 12" in raised.value.message

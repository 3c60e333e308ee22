"""Levelling tests: PSPLIB instances as levelling problems, and the `slow` marker.

The j30 set lives outside the project (../shared/data/psplib/j30); tests that need it skip when
it is not there, so the project never needs it to run.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from itpm.engine.formats import parse_psplib
from itpm.engine.rcpsp import Problem

J30 = Path(
    os.environ.get("ITPM_PSPLIB_J30", Path(__file__).parents[4] / "shared" / "data" / "psplib" / "j30")
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes tens of seconds (deselect with -m 'not slow')")


def psplib_problem(path: Path) -> Problem:
    """A PSPLIB .sm file as a levelling problem: its renewable resources, jobs and links."""
    return parse_psplib(path.read_text(), str(path)).levelling_problem()


def j30_optima() -> dict[str, int]:
    """Instance file name -> proven optimal makespan; skips the test when j30 is missing."""
    table = J30 / "optimum.csv"
    if not table.exists():
        pytest.skip(f"PSPLIB j30 not found at {J30}")
    with table.open() as rows:
        return {row["problem"]: int(row["optimum"]) for row in csv.DictReader(rows)}

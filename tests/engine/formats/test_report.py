"""Writing a schedule out: dates on the calendar, JSON, CSV that spreadsheets cannot run, tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itpm.engine import Calendar, WorkCalendar
from itpm.engine.formats.report import (
    ScheduleReport,
    neutralise,
    render_csv,
    render_json,
    render_table,
    task_dates,
)

MONDAY = dt.date(2026, 1, 5)


def report(**overrides: object) -> ScheduleReport:
    fields: dict[str, object] = {
        "finish": "2026-01-09",
        "makespan": 4.5,
        "critical_path": ["A", "M"],
        "ids": ["A", "M", "=cmd"],
        "names": ["Design", "Done", "-2+3"],
        "starts": ["2026-01-05", "2026-01-09", "2026-01-05"],
        "finishes": ["2026-01-09", "2026-01-09", "2026-01-06"],
        "total_floats": [0, 0, -1.5],
        "critical": [True, True, True],
        "unit": "working days",
    }
    fields.update(overrides)
    return ScheduleReport(**fields)  # type: ignore[arg-type]


def test_a_milestone_after_work_shows_on_the_day_the_work_ends() -> None:
    calendar = WorkCalendar.build(Calendar(units_per_day=100), MONDAY)
    start = np.array([0, 500, 250, 0])
    finish = np.array([500, 500, 250, 0])
    starts, finishes = task_dates(calendar, start, finish)
    assert starts == ["2026-01-05", "2026-01-09", "2026-01-07", "2026-01-05"]  # Friday, not Monday
    assert finishes == ["2026-01-09", "2026-01-09", "2026-01-07", "2026-01-05"]


def test_json_is_one_object_with_the_contract_keys() -> None:
    document = json.loads(render_json(report()))
    assert list(document) == ["finish", "makespan", "critical_path", "tasks"]
    assert document["tasks"][0] == {
        "id": "A",
        "name": "Design",
        "start": "2026-01-05",
        "finish": "2026-01-09",
        "total_float": 0,
        "critical": True,
    }
    assert document["makespan"] == 4.5


def test_csv_quotes_off_cells_a_spreadsheet_would_run_but_keeps_negative_numbers() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report()))))
    assert rows[0] == ["id", "name", "start", "finish", "total_float", "critical"]
    assert rows[3] == ["'=cmd", "'-2+3", "2026-01-05", "2026-01-06", "-1.5", "true"]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "-1e5", "--1", "-"])
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1", "-1.25", "0", "Design", "2026-01-05", "a=b", ""])
def test_plain_cells_are_kept(cell: str) -> None:
    assert neutralise(cell) == cell


@given(st.text())
def test_no_neutralised_cell_starts_a_formula(cell: str) -> None:
    out = neutralise(cell)
    assert not out.startswith(("=", "+", "@", "\t", "\r")) and (
        not out.startswith("-") or out.lstrip("-").replace(".", "", 1).isdigit()
    )
    assert out.removeprefix("'") == cell or out == cell


def test_the_table_aligns_columns_and_ends_with_the_summary() -> None:
    lines = render_table(report(names=["Design", "Done\x1b[31m", "x"])).splitlines()
    assert lines[0].split() == ["id", "name", "start", "finish", "total", "float", "critical"]
    assert len({line.index("2026") for line in lines[2:5]}) == 1
    assert "\x1b" not in "".join(lines)
    assert lines[-3:] == ["finish: 2026-01-09", "makespan: 4.5 working days", "critical path: A → M"]


@given(st.lists(st.tuples(st.text(), st.text()), min_size=1, max_size=5), st.sampled_from([0, -1.5, 2.25]))
def test_json_rows_round_trip_any_ids_and_names(rows: list[tuple[str, str]], total: float) -> None:
    count = len(rows)
    written = report(
        ids=[row[0] for row in rows],
        names=[row[1] for row in rows],
        starts=[3] * count,
        finishes=[5] * count,
        total_floats=[total] * count,
        critical=[False] * count,
        unit="periods",
    )
    tasks = json.loads(render_json(written))["tasks"]
    assert [(task["id"], task["name"]) for task in tasks] == rows
    assert {(task["start"], task["finish"], task["total_float"]) for task in tasks} == {(3, 5, total)}

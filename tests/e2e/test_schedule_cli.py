"""`itpm schedule` run as a subprocess, the way a user or a script runs it."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "crm-rollout.itpm.json"
J30 = ROOT.parent / "shared" / "data" / "psplib" / "j30"


def _itpm() -> str:
    beside_python = Path(sys.executable).with_name("itpm")
    found = str(beside_python) if beside_python.exists() else shutil.which("itpm")
    if not found:
        pytest.fail("the itpm command is not installed: pip install -e .")
    return found


def itpm(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_itpm(), *args], input=stdin, capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def write(folder: Path, name: str, document: dict[str, Any] | str) -> Path:
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def plan(tasks: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "itpm-project",
        "version": 1,
        "project": {"name": "Small", "start": "2026-01-05", "calendar": {"holidays": ["2026-01-07"]}},
        "tasks": tasks,
        "links": links,
    }


SMALL = plan(
    [{"id": "A", "name": "Design", "duration": 3}, {"id": "B", "name": "Build", "duration": 2}],
    [{"from": "A", "to": "B", "lag": 1}],
)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# ---------------------------------------------------------------- native files


def test_json_output_is_one_object_with_dates_on_the_calendar(tmp_path: Path) -> None:
    result = itpm("schedule", str(write(tmp_path, "small.json", SMALL)), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    # A: Mon 5, Tue 6, (Wed 7 holiday), Thu 8; one day's lag (Fri 9); B: Mon 12, Tue 13.
    assert document == {
        "finish": "2026-01-13",
        "makespan": 6,
        "critical_path": ["A", "B"],
        "tasks": [
            {
                "id": "A",
                "name": "Design",
                "start": "2026-01-05",
                "finish": "2026-01-08",
                "total_float": 0,
                "critical": True,
            },
            {
                "id": "B",
                "name": "Build",
                "start": "2026-01-12",
                "finish": "2026-01-13",
                "total_float": 0,
                "critical": True,
            },
        ],
    }


def test_the_table_is_the_default_and_ends_with_the_critical_path(tmp_path: Path) -> None:
    result = itpm("schedule", str(write(tmp_path, "small.json", SMALL)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "start", "finish", "total", "float", "critical"]
    assert lines[2].split() == ["A", "Design", "2026-01-05", "2026-01-08", "0", "yes"]
    assert lines[-3:] == ["finish: 2026-01-13", "makespan: 6 working days", "critical path: A → B"]


def test_csv_has_a_header_and_neutralises_formulas(tmp_path: Path) -> None:
    document = plan(
        [{"id": "A", "name": '=HYPERLINK("http://x")', "duration": 1}, {"id": "@B", "duration": 2}], []
    )
    result = itpm("schedule", str(write(tmp_path, "p.json", document)), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "name", "start", "finish", "total_float", "critical"]
    assert rows[1] == ["A", '\'=HYPERLINK("http://x")', "2026-01-05", "2026-01-05", "1", "false"]
    assert rows[2][0] == "'@B"


def test_a_dash_reads_standard_input(tmp_path: Path) -> None:
    result = itpm("schedule", "-", "--format", "json", stdin=json.dumps(SMALL))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["finish"] == "2026-01-13"


def test_the_documented_example_schedules_cleanly() -> None:
    result = itpm("schedule", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    tasks = {task["id"]: task for task in document["tasks"]}
    # Half of "Solution design" is done by the status date, Friday 13 March; the rest, four
    # days, resumes on Monday 16th. "Integrations" may not start before 7 April.
    assert tasks["1.2"]["finish"] == "2026-03-19"
    assert tasks["2.3"]["start"] == "2026-04-07"
    assert document["critical_path"][-1] == "4"


def test_a_later_status_date_moves_the_work_left(tmp_path: Path) -> None:
    document = plan([{"id": "A", "duration": 4, "actual_start": "2026-01-05", "percent_complete": 25}], [])
    path = write(tmp_path, "late.json", document)
    result = itpm("schedule", str(path), "--format", "json", "--status-date", "2026-01-19")
    assert result.returncode == 0, result.stderr
    # One day done on Monday 5th; three left, from Tuesday 20th: 20, 21, 22.
    assert json.loads(result.stdout)["tasks"][0]["finish"] == "2026-01-22"


def test_a_conflict_is_a_warning_and_the_schedule_still_prints(tmp_path: Path) -> None:
    document = plan(
        [
            {"id": "A", "duration": 5},
            {"id": "B", "duration": 1, "constraint": {"type": "MSO", "date": "2026-01-06"}},
        ],
        [{"from": "A", "to": "B"}],
    )
    result = itpm("schedule", str(write(tmp_path, "c.json", document)), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["tasks"][1]["start"] == "2026-01-06"  # the constraint wins
    assert result.stderr.startswith("itpm: warning: ") and "C101" in result.stderr


def test_scheduling_backward_from_a_finish(tmp_path: Path) -> None:
    document = plan([{"id": "A", "duration": 2}, {"id": "B", "duration": 1}], [{"from": "A", "to": "B"}])
    document["project"]["finish"] = "2026-01-16"
    result = itpm("schedule", str(write(tmp_path, "back.json", document)), "--format", "json")
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)["tasks"]
    assert [(t["start"], t["finish"]) for t in tasks] == [
        ("2026-01-14", "2026-01-15"),
        ("2026-01-16", "2026-01-16"),
    ]
    document["project"]["finish"] = "2026-01-06"  # too soon: it must start on Friday 2nd
    result = itpm("schedule", str(write(tmp_path, "soon.json", document)), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["tasks"][0]["start"] == "2026-01-02"
    assert "must start on 2026-01-02, before its start 2026-01-05" in result.stderr


def test_a_bad_value_exits_2_naming_file_and_json_path(tmp_path: Path) -> None:
    document = plan([{"id": "A", "duration": 1}, {"id": "B", "duration": -1}], [])
    path = write(tmp_path, "bad.json", document)
    assert_one_line_error(
        itpm("schedule", str(path)), "itpm: error: ", str(path), "tasks[1].duration: must be >= 0"
    )


def test_a_json_syntax_error_exits_2_naming_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{"format": "itpm-project",\n  "version": 1\n  "project": {}}')
    assert_one_line_error(itpm("schedule", str(path)), f"{path}:3:3: not valid JSON")


def test_a_cycle_exits_2_naming_the_tasks(tmp_path: Path) -> None:
    document = plan(
        [{"id": "A", "duration": 1}, {"id": "B", "duration": 1}, {"id": "C", "duration": 1}],
        [{"from": "A", "to": "B"}, {"from": "B", "to": "C"}, {"from": "C", "to": "A"}],
    )
    path = write(tmp_path, "cycle.json", document)
    assert_one_line_error(itpm("schedule", str(path)), "E001", "A → B → C → A")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--status-date", "13/01/2026"], "must be a date written YYYY-MM-DD"),
        (["--status-date", "2025-12-31"], "before the project start"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], fragment: str) -> None:
    assert_one_line_error(itpm("schedule", str(write(tmp_path, "small.json", SMALL)), *args), fragment)


def test_a_missing_or_unreadable_file_exits_2(tmp_path: Path) -> None:
    assert_one_line_error(itpm("schedule", str(tmp_path / "nothing.json")), "nothing.json: cannot read")
    assert_one_line_error(itpm("schedule", str(tmp_path)), "cannot read")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"format": "\xff"}')
    assert_one_line_error(itpm("schedule", str(binary)), "binary.json:1: not UTF-8 text")


def test_the_command_does_not_import_django(tmp_path: Path) -> None:
    path = write(tmp_path, "small.json", SMALL)
    code = (
        "import sys\nfrom itpm.cli import main\n"
        f"code = main(['schedule', {str(path)!r}, '--format', 'json'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'django', 'ninja', 'ortools'})\n"
        "sys.exit(f'exit {code}, imported {heavy}' if code or heavy else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- PSPLIB files


def longest_path(text: str) -> tuple[dict[int, int], dict[int, list[int]], int]:
    """Durations, successors and the critical path length of a .sm file, read independently."""
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("PRECEDENCE RELATIONS")) + 2
    successors: dict[int, list[int]] = {}
    for line in lines[first:]:
        if line.startswith("*"):
            break
        numbers = [int(word) for word in line.split()]
        successors[numbers[0]] = numbers[3:]
    first = next(n for n, line in enumerate(lines) if line.startswith("REQUESTS/DURATIONS")) + 3
    durations = {
        int(line.split()[0]): int(line.split()[2]) for line in lines[first : first + len(successors)]
    }
    earliest = dict.fromkeys(successors, 0)
    for job in sorted(successors):  # PSPLIB numbers every job after all its predecessors
        for after in successors[job]:
            earliest[after] = max(earliest[after], earliest[job] + durations[job])
    return durations, successors, max(earliest[job] + durations[job] for job in successors)


@pytest.mark.skipif(not J30.is_dir(), reason="PSPLIB j30 instances are not beside the project")
@pytest.mark.parametrize("name", ["j301_1.sm", "j3010_5.sm", "j3048_10.sm"])
def test_psplib_output_keeps_the_contract(name: str) -> None:
    path = J30 / name
    durations, successors, length = longest_path(path.read_text(encoding="utf-8"))
    result = itpm("schedule", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["makespan"] == document["finish"] == length
    tasks = {task["id"]: task for task in document["tasks"]}
    assert list(tasks) == [str(job) for job in sorted(durations)]  # every job, source and sink too
    assert tasks["1"]["start"] == 0
    for job, duration in durations.items():
        task = tasks[str(job)]
        assert isinstance(task["start"], int) and task["finish"] == task["start"] + duration
        for after in successors[job]:
            assert tasks[str(after)]["start"] >= task["finish"]
    path_ids = document["critical_path"]
    assert path_ids[0] == "1" and path_ids[-1] == str(max(durations))
    for before, after in itertools.pairwise(path_ids):
        assert int(after) in successors[int(before)]
        assert tasks[after]["start"] == tasks[before]["finish"]
        assert tasks[before]["critical"] and tasks[before]["total_float"] == 0


@pytest.mark.skipif(not J30.is_dir(), reason="PSPLIB j30 instances are not beside the project")
def test_psplib_table_and_csv_list_periods() -> None:
    path = J30 / "j301_1.sm"
    table = itpm("schedule", str(path))
    assert table.returncode == 0 and table.stdout.splitlines()[-2] == "makespan: 38 periods"
    rows = list(csv.reader(io.StringIO(itpm("schedule", str(path), "--format", "csv").stdout)))
    assert len(rows) == 33 and rows[1] == ["1", "source", "0", "0", "0", "true"]


def test_a_truncated_psplib_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    text = "PRECEDENCE RELATIONS:\njobnr. #modes #successors successors\n   1    1    2    2\n"
    path = write(tmp_path, "cut.sm", text)
    assert_one_line_error(
        itpm("schedule", str(path)), f"{path}:3: job 1 says it has 2 successors but lists 1"
    )


def test_a_status_date_does_not_apply_to_psplib(tmp_path: Path) -> None:
    if not J30.is_dir():
        pytest.skip("PSPLIB j30 instances are not beside the project")
    result = itpm("schedule", str(J30 / "j301_1.sm"), "--status-date", "2026-01-05")
    assert_one_line_error(result, "--status-date needs a project file with dates")

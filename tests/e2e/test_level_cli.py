"""`itpm schedule --level/--optimize` and `itpm bench psplib`, run as a subprocess on PSPLIB j30.

Each schedule printed is checked here against the .sm file read independently of the engine:
every precedence holds and no resource is over its availability in any period.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .test_schedule_cli import J30, assert_one_line_error, itpm, write

pytestmark = pytest.mark.skipif(not J30.is_dir(), reason="PSPLIB j30 instances are not beside the project")
FEW = {"j301_1.sm": 43, "j3010_5.sm": 41, "j3046_3.sm": 65}  # their proven optima, from optimum.csv


def read_sm(text: str) -> tuple[dict[int, int], dict[int, list[int]], dict[int, list[int]], list[int]]:
    """Durations, successors, requests per job, and availabilities: a reader apart from itpm's."""
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("PRECEDENCE RELATIONS")) + 2
    successors: dict[int, list[int]] = {}
    for line in lines[first:]:
        if line.startswith("*"):
            break
        numbers = [int(word) for word in line.split()]
        successors[numbers[0]] = numbers[3:]
    first = next(n for n, line in enumerate(lines) if line.startswith("REQUESTS/DURATIONS")) + 3
    rows = [[int(word) for word in line.split()] for line in lines[first : first + len(successors)]]
    durations = {row[0]: row[2] for row in rows}
    requests = {row[0]: row[3:] for row in rows}
    where = next(n for n, line in enumerate(lines) if line.startswith("RESOURCEAVAILABILITIES"))
    return durations, successors, requests, [int(word) for word in lines[where + 2].split()]


def assert_feasible(path: Path, tasks: list[dict[str, Any]]) -> int:
    """Every precedence and capacity holds; returns the makespan."""
    durations, successors, requests, capacities = read_sm(path.read_text(encoding="utf-8"))
    start = {int(task["id"]): task["start"] for task in tasks}
    assert sorted(start) == sorted(durations)
    for task in tasks:
        assert task["finish"] == task["start"] + durations[int(task["id"])]
        assert task["delay"] >= 0
    for job, after in successors.items():
        for successor in after:
            assert start[successor] >= start[job] + durations[job], (job, successor)
    makespan = max(start[job] + durations[job] for job in durations)
    for period in range(makespan):
        running = [job for job in durations if start[job] <= period < start[job] + durations[job]]
        for resource, capacity in enumerate(capacities):
            assert sum(requests[job][resource] for job in running) <= capacity, (period, resource)
    return makespan


def level_json(path: Path, *options: str) -> dict[str, Any]:
    result = itpm("schedule", str(path), "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("name", sorted(FEW))
def test_level_prints_a_feasible_schedule_at_the_optimum(name: str) -> None:
    document = level_json(J30 / name, "--level")
    assert document["method"] == "level"
    assert document["makespan"] == document["finish"] == assert_feasible(J30 / name, document["tasks"])
    assert document["makespan"] == FEW[name]  # level() reaches these optima with its defaults
    assert "lower_bound" not in document and "optimal" not in document
    before, after = document["over_allocations"]["before"], document["over_allocations"]["after"]
    assert after == []
    assert before, "the early schedule of a j30 instance over-allocates"
    _, _, requests, capacities = read_sm((J30 / name).read_text(encoding="utf-8"))
    early = {int(task["id"]): task["start"] - task["delay"] for task in document["tasks"]}
    durations = {int(task["id"]): task["finish"] - task["start"] for task in document["tasks"]}
    for over in before:  # each run is over capacity in the early schedule, with the demand stated
        resource = int(over["resource"].removeprefix("R")) - 1
        assert over["capacity"] == capacities[resource] < over["demand"]
        for period in range(over["start"], over["finish"]):
            running = [job for job in early if early[job] <= period < early[job] + durations[job]]
            assert sum(requests[job][resource] for job in running) == over["demand"]


def test_optimize_proves_the_optimum() -> None:
    path = J30 / "j3046_3.sm"
    document = level_json(path, "--optimize", "--time-limit", "10", "--workers", "2")
    assert document["method"] == "optimize"
    assert assert_feasible(path, document["tasks"]) == document["makespan"] == FEW["j3046_3.sm"]
    assert document["lower_bound"] == document["makespan"]
    assert document["optimal"] is True


def test_a_seed_gives_the_same_schedule_every_time_and_a_time_budget_is_kept() -> None:
    path = J30 / "j301_1.sm"
    first, again = level_json(path, "--level", "--seed", "7"), level_json(path, "--level", "--seed", "7")
    assert first == again
    quick = level_json(path, "--level", "--budget-ms", "30")
    assert assert_feasible(path, quick["tasks"]) >= FEW["j301_1.sm"]


def test_table_and_csv_show_each_delay() -> None:
    path = J30 / "j301_1.sm"
    table = itpm("schedule", str(path), "--level")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["id", "name", "start", "finish", "delay"]
    assert table.stdout.splitlines()[-1] == "makespan: 43 periods (level)"
    assert table.stdout.splitlines()[-3].endswith("before levelling, 0 after")
    optimized = itpm("schedule", str(path), "--optimize")
    assert optimized.stdout.splitlines()[-1] == "lower bound: 43 periods (optimal)"
    rows = list(csv.reader(io.StringIO(itpm("schedule", str(path), "--level", "--format", "csv").stdout)))
    assert rows[0] == ["id", "name", "start", "finish", "delay"] and len(rows) == 33
    document = level_json(path, "--level")
    assert rows[1:] == [[str(task[key]) for key in rows[0]] for task in document["tasks"]]


def folder_of(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "set"
    folder.mkdir()
    for name in names:
        shutil.copy(J30 / name, folder / name)
    return folder


def test_bench_lists_each_instance_and_the_mean_above_the_optimum(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, sorted(FEW))
    result = itpm("bench", "psplib", str(folder), "--optimum", str(J30 / "optimum.csv"), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    rows = document["instances"]
    assert [row["problem"] for row in rows] == ["j301_1.sm", "j3010_5.sm", "j3046_3.sm"]  # natural order
    assert {row["problem"]: row["optimum"] for row in rows} == FEW
    assert all(row["makespan"] >= row["optimum"] and row["seconds"] > 0 for row in rows)
    mean = sum(row["percent_above"] for row in rows) / 3
    summary = document["summary"]
    assert summary["instances"] == summary["with_optimum"] == 3
    assert summary["mean_percent_above"] == pytest.approx(mean, abs=1e-3)
    assert summary["proven_optimal"] is None
    table = itpm("bench", "psplib", str(folder), "--optimum", str(J30 / "optimum.csv"), "--level")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[2].split()[:4] == [
        "j301_1.sm",
        str(rows[0]["makespan"]),
        "43",
        f"{rows[0]['percent_above']:.2f}",
    ]
    assert f"mean {mean:.2f} % above the optimum (3 known)" in table.stdout


def test_bench_optimize_counts_the_proofs(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, ["j3010_5.sm", "j3046_3.sm"])
    result = itpm("bench", "psplib", str(folder), "--optimize", "--time-limit", "10", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["method"] == "optimize"
    assert [(row["makespan"], row["lower_bound"], row["optimal"]) for row in document["instances"]] == [
        (41, 41, True),
        (65, 65, True),
    ]
    assert document["summary"]["proven_optimal"] == 2
    assert document["summary"]["mean_percent_above"] is None  # no --optimum given


def over_capacity(tmp_path: Path) -> Path:
    text = (J30 / "j301_1.sm").read_text(encoding="utf-8")
    job_3 = "  3      1     4      10    0    0    0"
    return write(tmp_path, "over.sm", text.replace(job_3, job_3.replace("10", "13")))


@pytest.mark.parametrize(
    ("arguments", "fragments"),
    [
        (["schedule", "missing.sm", "--level"], ["missing.sm: cannot read"]),
        (["schedule", "{j30}/j301_1.sm", "--budget-ms", "5"], ["--budget-ms needs --level"]),
        (["schedule", "{j30}/j301_1.sm", "--optimize", "--budget-ms", "5"], ["--budget-ms needs --level"]),
        (["schedule", "{j30}/j301_1.sm", "--level", "--workers", "2"], ["--workers needs --optimize"]),
        (["schedule", "{j30}/j301_1.sm", "--level", "--time-limit", "3"], ["--time-limit needs --optimize"]),
        (["schedule", "{j30}/j301_1.sm", "--seed", "3"], ["--seed needs --level or --optimize"]),
        (
            ["schedule", "{j30}/j301_1.sm", "--optimize", "--time-limit", "0"],
            ["--time-limit", "above 0, not '0'"],
        ),
        (["schedule", "{j30}/j301_1.sm", "--optimize", "--time-limit", "nan"], ["--time-limit", "'nan'"]),
        (["schedule", "{j30}/j301_1.sm", "--optimize", "--workers", "0"], ["--workers", "at least 1"]),
        (["schedule", "{j30}/j301_1.sm", "--level", "--seed", "-1"], ["--seed", "'-1'"]),
        (["schedule", "{j30}/j301_1.sm", "--level", "--budget-ms", "x"], ["--budget-ms", "'x'"]),
        (
            ["schedule", "{j30}/j301_1.sm", "--level", "--optimize"],
            ["--optimize: not allowed with argument --level"],
        ),
        (
            ["schedule", "{j30}/j301_1.sm", "--level", "--status-date", "2026-01-05"],
            ["--status-date does not apply"],
        ),
        (["schedule", "{over}", "--level"], ["over.sm: E205:", "needs 13 units of 'R1', which has 12"]),
        (["schedule", "{over}", "--optimize"], ["over.sm: E205:"]),
        (["bench", "psplib", "{tmp}/nowhere"], ["nowhere: not a folder"]),
        (["bench", "psplib", "{tmp}/empty"], ["empty: no PSPLIB .sm files in this folder"]),
        (["bench", "psplib", "{j30}", "--optimum", "{tmp}/none.csv"], ["none.csv: cannot read"]),
        (["bench", "psplib", "{j30}", "--optimum", "{tmp}/bad.csv"], ["bad.csv:3: expected problem,optimum"]),
        (["bench", "psplib", "{tmp}/broken"], ["cut.sm:3: job 1 says it has 2 successors but lists 1"]),
        (["bench", "psplib", "{tmp}/over"], ["over.sm: E205:"]),
        (["bench", "psplib", "{j30}", "--format", "csv"], ["--format", "invalid choice: 'csv'"]),
        (["bench", "psplib", "{j30}", "--level", "--workers", "2"], ["--workers needs --optimize"]),
        (["bench", "nope"], ["invalid choice: 'nope'"]),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, arguments: list[str], fragments: list[str]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    write(
        tmp_path / "broken",
        "cut.sm",
        "PRECEDENCE RELATIONS:\njobnr. #modes #successors successors\n   1    1    2    2\n",
    )
    (tmp_path / "over").mkdir()
    over = over_capacity(tmp_path / "over")
    write(tmp_path, "bad.csv", "problem,optimum\nj301_1.sm,43\nj301_2.sm,forty\n")
    values = {"j30": str(J30), "tmp": str(tmp_path), "over": str(over)}
    result = itpm(*[argument.format(**values) for argument in arguments], cwd=tmp_path)
    assert_one_line_error(result, *(fragment.format(**values) for fragment in fragments))


def test_levelling_from_the_command_line_does_not_load_django(tmp_path: Path) -> None:
    """The CLI's promise (cli.py): only commands that need Django import it."""
    script = (
        "import sys\n"
        "from itpm.cli import main\n"
        f"code = main(['schedule', {str(J30 / 'j3010_5.sm')!r}, '--level', '--budget-ms', '50'])\n"
        "code += main(['bench', 'psplib', sys.argv[1], '--level', '--budget-ms', '20'])\n"
        "assert code == 0, code\n"
        "loaded = {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(loaded & {'django', 'ortools'}), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder_of(tmp_path, ["j3010_5.sm"]))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "makespan: 41 periods (level)" in done.stdout

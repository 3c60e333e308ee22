"""The PSPLIB single-mode reader: a small instance by hand, every kind of bad file, and PSPLIB's j30."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itpm.engine import schedule, schedule_arrays
from itpm.engine.formats import FormatError, parse_psplib

J30 = Path(__file__).resolve().parents[4] / "shared" / "data" / "psplib" / "j30"

# Five jobs: source 1, then 2 and 3 in parallel, 4 after both, sink 5. Two renewable resources.
SMALL = """\
************************************************************************
file with basedata            : small.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  5
horizon                       :  12
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      3      0        9        4        9
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     5       1    1
  4      1     4       0    2
  5      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    3    2
************************************************************************
"""


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def bad(text: str) -> FormatError:
    with pytest.raises(FormatError) as caught:
        parse_psplib(text, "bad.sm")
    return caught.value


def test_a_small_instance_is_read_with_its_resources() -> None:
    project = parse_psplib(SMALL, "small.sm")
    assert [job.number for job in project.jobs] == [1, 2, 3, 4, 5]
    assert [job.duration for job in project.jobs] == [0, 3, 5, 4, 0]
    assert project.jobs[0].successors == (2, 3)
    assert project.jobs[2].requests == (1, 1)
    assert [(r.name, r.kind, r.capacity) for r in project.resources] == [
        ("R1", "renewable", 3),
        ("R2", "renewable", 2),
    ]
    assert (project.horizon, project.due_date) == (12, 9)


def test_a_small_instance_schedules_to_its_longest_path() -> None:
    project = parse_psplib(SMALL, "small.sm")
    plan = schedule(project.engine_tasks(), project.engine_links())
    assert plan.finish == 9  # 0 + 5 (job 3) + 4 (job 4)
    assert plan.critical_path == ["1", "3", "4", "5"]
    assert [task.name for task in project.engine_tasks()] == ["source", "job 2", "job 3", "job 4", "sink"]


def test_the_arrays_of_an_instance_schedule_as_its_tasks_and_links_do() -> None:
    project = parse_psplib(SMALL, "small.sm")
    by_arrays = schedule_arrays(project.network_arrays())
    by_objects = schedule(project.engine_tasks(), project.engine_links())
    assert dict(by_arrays.results) == dict(by_objects.results)
    assert (by_arrays.finish, by_arrays.critical_path) == (9, ["1", "3", "4", "5"])


def test_windows_line_ends_and_trailing_blanks_are_read() -> None:
    project = parse_psplib(SMALL.replace("\n", "  \r\n"), "small.sm")
    assert len(project.jobs) == 5


@pytest.mark.parametrize(
    ("cut_after", "message"),
    [
        ("   3        1          1           4", "PRECEDENCE RELATIONS lists 3 of 5 jobs"),
        ("  3      1     5       1    1", "REQUESTS/DURATIONS lists 3 of 5 jobs"),
        ("jobnr.    #modes", "PRECEDENCE RELATIONS lists 0 of 5 jobs"),
        ("RESOURCEAVAILABILITIES:", "needs a line of names and a line of numbers"),
    ],
)
def test_a_truncated_file_says_how_far_it_got(cut_after: str, message: str) -> None:
    end = SMALL.index(cut_after) + len(cut_after)
    error = bad(SMALL[:end] + "\n")
    assert message in error.message
    assert error.line is not None


def test_a_file_cut_before_a_section_names_the_missing_section() -> None:
    error = bad(SMALL[: SMALL.index("REQUESTS/DURATIONS")])
    assert "no REQUESTS/DURATIONS section" in error.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  2      1     3       2    0", "  2      1     x       2    0", "'x' is not a whole number"),
        ("  2      1     3       2    0", "  2      1     2.5     2    0", "'2.5' is not a whole number"),
        ("  2      1     3       2    0", "  2      1    -3       2    0", "job 2: duration -3 is negative"),
        ("  2      1     3       2    0", "  2      1     3      -2    0", "request -2 for R1 is negative"),
        ("  2      1     3       2    0", "  2      1     3       2", "expected 5 numbers"),
        (
            "   2        1          1           4",
            "   2        1          1           9",
            "successor 9 is not a job",
        ),
        (
            "   2        1          1           4",
            "   2        1          2           4",
            "says it has 2 successors",
        ),
        ("   2        1          1           4", "   2        1          1           2", "lists itself"),
        ("   2        1          1           4", "   2        2          1           4", "only single-mode"),
        (
            "   3        1          1           4",
            "   2        1          1           4",
            "job 2 is listed twice",
        ),
        ("  3      1     5       1    1", "  2      1     5       1    1", "job 2 is listed twice"),
        ("   5        1          0", "   6        1          0", "job number 6 is outside 1..5"),
        ("    3    2\n", "    3\n", "expected 2 availabilities, got 1"),
        ("    3    2\n", "    3   -2\n", "availability -2 of R2 is negative"),
        ("  R 1  R 2\n    3", "  R 1  R 3\n    3", "resources R1 R3 differ"),
        (":  2   R", ":  3   R", "the header says 3 renewable resource(s)"),
        ("jobs (incl. supersource/sink ):  5", "jobs (incl. supersource/sink ):  five", "'five' is not"),
    ],
)
def test_a_bad_value_is_reported_on_its_line(old: str, new: str, message: str) -> None:
    assert old in SMALL
    text = SMALL.replace(old, new, 1)
    error = bad(text)
    assert message in error.message
    assert error.line is not None
    expected_line = line_of(text, new.strip().splitlines()[0]) if new.strip() else None
    if message.startswith(("'x'", "'2.5'", "job 2: duration", "request", "expected 5", "successor", "says")):
        assert error.line == expected_line


def test_the_error_names_file_and_line_in_one_line() -> None:
    error = bad(SMALL.replace("  2      1     3       2    0", "  2      1     x       2    0"))
    assert (
        str(error)
        == f"bad.sm:{line_of(SMALL, '  2      1     3')}: requests/durations: 'x' is not a whole number"
    )
    assert "\n" not in str(error)


def test_a_job_missing_from_a_table_is_named() -> None:
    text = SMALL.replace("  4      1     4       0    2\n", "  6      1     4       0    2\n")
    assert "outside 1..5" in bad(text).message


def test_something_that_is_not_psplib_says_so() -> None:
    error = bad("hello\nworld\n")
    assert "no PRECEDENCE RELATIONS section" in error.message
    assert bad("").line == 1


@pytest.mark.skipif(not J30.is_dir(), reason="PSPLIB j30 instances are not beside the project")
def test_every_j30_instance_reads_and_its_critical_path_is_the_mpm_time() -> None:
    """PSPLIB's header gives each instance's MPM time: the resource-free critical path length."""
    files = sorted(J30.glob("*.sm"))
    assert len(files) == 480
    for path in files:
        text = path.read_text(encoding="utf-8")
        project = parse_psplib(text, path.name)
        assert len(project.jobs) == 32 and len(project.resources) == 4
        plan = schedule(project.engine_tasks(), project.engine_links())
        mpm_time = int(re.search(r"^\s+1\s+30\s+\d+\s+\d+\s+\d+\s+(\d+)", text, re.MULTILINE)[1])  # type: ignore[index]
        assert plan.finish == mpm_time, path.name

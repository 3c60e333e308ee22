"""Writing a project for TaskJuggler 3: each link as the start gap that says the same thing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from itpm.engine.formats import parse_project
from itpm.engine.formats.project import ProjectLink
from itpm.engine.formats.taskjuggler import Gap, NotExpressible, gap_of, read_report, to_tjp, working_units

DURATIONS = {"A": 500, "B": 200, "C": 800}


@pytest.mark.parametrize(
    ("link", "gap"),
    [
        (ProjectLink("A", "B", "FS", 100), Gap(on_end=True, units=100)),
        (ProjectLink("A", "B", "SS", 0), Gap(on_end=False, units=0)),
        (ProjectLink("A", "B", "FF", 300), Gap(on_end=True, units=100)),  # B ends 3 days after A
        (ProjectLink("A", "C", "FF", 400), Gap(on_end=False, units=100)),  # C is longer: from A's start
        (ProjectLink("A", "B", "SF", 500), Gap(on_end=False, units=300)),
    ],
)
def test_each_link_type_becomes_a_start_gap(link: ProjectLink, gap: Gap) -> None:
    assert gap_of(link, DURATIONS) == gap


@pytest.mark.parametrize(
    "link",
    [
        ProjectLink("A", "B", "FS", -100),
        ProjectLink("A", "B", "FS", 0, lag_percent=Decimal(50)),
        ProjectLink("B", "C", "FF", 0),  # C would have to start before B does
        ProjectLink("A", "B", "SF", 100),
    ],
)
def test_what_taskjuggler_cannot_say_is_refused(link: ProjectLink) -> None:
    with pytest.raises(NotExpressible):
        gap_of(link, DURATIONS)


def project_text() -> str:
    return json.dumps(
        {
            "format": "itpm-project",
            "version": 1,
            "project": {"name": 'Say "hi"', "start": "2026-01-05", "calendar": {"holidays": ["2026-01-07"]}},
            "tasks": [
                {"id": "A", "duration": 2},
                {"id": "S"},
                {"id": "B", "duration": 1.5, "parent": "S"},
                {"id": "M", "milestone": True},
            ],
            "links": [{"from": "A", "to": "S"}, {"from": "S", "to": "M", "type": "SS", "lag": 1}],
        }
    )


def test_the_tjp_file_has_calendar_tasks_dependencies_and_a_csv_report() -> None:
    text = to_tjp(parse_project(project_text(), "p.json"))
    assert 'project itpm "Say \\"hi\\"" 2026-01-05 +3660d {' in text
    assert "workinghours mon, tue, wed, thu, fri 9:00 - 17:00" in text
    assert "workinghours sat, sun off" in text
    assert 'leaves holiday "holiday" 2026-01-07' in text
    assert 'task t0 "A" {\n  start ${projectstart}\n  length 2d\n}' in text
    assert 'task t1 "S" {\n  depends t0\n  task t2 "B" {\n    length 1.5d\n  }\n}' in text
    assert "depends t1 { onstart gaplength 1d }\n  milestone" in text
    assert "formats csv" in text and "columns id, start, end" in text


def test_a_constraint_is_not_written() -> None:
    document = json.loads(project_text())
    document["tasks"][0]["constraint"] = {"type": "MSO", "date": "2026-01-06"}
    with pytest.raises(NotExpressible):
        to_tjp(parse_project(json.dumps(document), "p.json"))


def test_the_report_is_read_back_by_itpm_id_and_instants_become_working_time() -> None:
    project = parse_project(project_text(), "p.json")
    report = (
        '"Id";"Start";"End"\n'
        '"t0";"2026-01-05-00:00";"2026-01-08-17:00"\n'
        '"t1.t2";"2026-01-08-17:00";"2026-01-12-13:00"\n'
    )
    found = read_report(report, project)
    assert found["A"] == (dt.datetime(2026, 1, 5, 0, 0), dt.datetime(2026, 1, 8, 17, 0))
    start, end = found["B"]
    # Monday, Tuesday and Thursday worked (Wednesday a holiday), then Friday, then half of Monday.
    assert working_units(start, project) == 300
    assert working_units(end, project) == 450

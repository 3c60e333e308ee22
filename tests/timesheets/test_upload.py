"""CSV and XLSX upload: good files save every row; a bad row names itself and nothing is saved."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from itpm.core.errors import Invalid
from itpm.timesheets.models import TimeEntry
from itpm.timesheets.upload import check_upload
from tests.api.test_crud import client_for
from tests.conftest import World
from tests.timesheets.helpers import log_and_submit

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hours_of(world: World) -> list[tuple[str, Decimal]]:
    entries = TimeEntry.objects.filter(timesheet__resource=world.member_resource).order_by("day")
    return [(e.day.isoformat(), e.hours) for e in entries]


def test_csv_by_project_and_wbs_with_semicolons(world: World) -> None:
    content = "Date;Project;WBS;Hours;Comment\n2026-03-02;ERP;1;7,5;workshop\n\n2026-03-03;erp;1;4:15;\n"
    assert check_upload(world.member, "hours.csv", content.encode("utf-8-sig")) == 2
    assert hours_of(world) == [("2026-03-02", Decimal("7.50")), ("2026-03-03", Decimal("4.25"))]
    assert TimeEntry.objects.get(day="2026-03-02").comment == "workshop"


def test_xlsx_by_task_id_with_real_dates_and_numbers(world: World) -> None:
    import datetime as dt

    rows = [
        ["task_id", "date", "hours"],
        [world.design.pk, dt.datetime(2026, 3, 2), 8],
        [world.design.pk, "2026-03-04", 2.5],
    ]
    assert check_upload(world.member, "week.xlsx", xlsx(rows)) == 2
    assert hours_of(world) == [("2026-03-02", Decimal("8.00")), ("2026-03-04", Decimal("2.50"))]


def test_bad_rows_are_each_named_and_nothing_is_saved(world: World) -> None:
    rows = [
        ["project", "wbs", "date", "hours"],
        ["ERP", "1", "2026-03-02", 8],  # row 2: good
        ["ERP", "9", "2026-03-02", 1],  # row 3: no such task
        ["ERP", "1", "2026-02-30", 1],  # row 4: no such date
        ["ERP", "1", "2026-03-05", 30],  # row 5: too many hours
        ["ERP", "1", "2026-03-06", None],  # row 6: hours missing
        ["CANARY", "1", "2026-03-06", 1],  # row 7: a project the member is not on
        ["ERP", "1", "2026-03-02", 2],  # row 8: the same cell as row 2
    ]
    with pytest.raises(Invalid) as raised:
        check_upload(world.member, "bad.xlsx", xlsx(rows))
    errors = raised.value.errors
    assert sorted(errors) == ["row 3", "row 4", "row 5", "row 6", "row 7", "row 8"]
    assert "no task 'ERP 9'" in errors["row 3"][0] and "not a date" in errors["row 4"][0]
    assert "at most 24" in errors["row 5"][0] and "given twice (also row 2)" in errors["row 8"][0]
    assert not TimeEntry.objects.exists()


def test_rows_in_a_locked_week_must_match(world: World) -> None:
    log_and_submit(world.member, world.design, "8")
    same = f"task_id,date,hours\n{world.design.pk},2026-03-02,8\n{world.design.pk},2026-03-09,3\n"
    assert check_upload(world.member, "again.csv", same.encode()) == 2  # re-upload is harmless
    changed = f"task_id,date,hours\n{world.design.pk},2026-03-02,6\n"
    with pytest.raises(Invalid, match=r"row 2: .*submitted and locked"):
        check_upload(world.member, "changed.csv", changed.encode())


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("hours.pdf", b"%PDF", "neither .csv nor .xlsx"),
        ("hours.csv", b"date,hours\n2026-03-02,1\n", "missing column task_id (or project and wbs)"),
        ("hours.csv", b"task_id,date\n1,2026-03-02\n", "missing column hours"),
        ("hours.csv", b"task_id,date,hours\n", "no rows"),
        ("hours.csv", "task_id,date,hours\n1,2026-03-02,\xe9\n".encode("latin-1"), "UTF-8"),
        ("hours.xlsx", b"not a workbook", "not a readable .xlsx"),
    ],
)
def test_unreadable_files_are_refused(world: World, name: str, content: bytes, problem: str) -> None:
    with pytest.raises(Invalid, match=re.escape(problem)) as raised:
        check_upload(world.member, name, content)
    assert raised.value.field == "file"


def test_upload_over_the_api(world: World) -> None:
    member = client_for(world, "member")
    good = SimpleUploadedFile("h.csv", f"task_id,date,hours\n{world.design.pk},2026-03-02,3\n".encode())
    answer = member.post("/api/v1/timesheets/upload", {"file": good})
    assert answer.status_code == 200 and answer.json() == {"rows": 1}
    bad = SimpleUploadedFile("h.csv", f"task_id,date,hours\n{world.design.pk},2026-03-02,x\n".encode())
    refused = member.post("/api/v1/timesheets/upload", {"file": bad})
    assert refused.status_code == 422 and refused.json()["field"] == "row 2"
    assert "not a number of hours" in refused.json()["detail"]
    assert hours_of(world) == [("2026-03-02", Decimal("3.00"))]

"""Hours from a CSV or XLSX file: every row checked, every bad row named, nothing saved if any is bad.

Columns (a header row, any order, case-insensitive; docs/file-formats.md): date, hours, and
either task_id or project + wbs; comment is optional. A row sets the hours of that task on that
day for the uploading person, as typing them into the grid would; rows in weeks that are
submitted or approved must repeat what is stored, so uploading the same file twice is harmless.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zipfile import BadZipFile

from itpm.core.errors import Invalid
from itpm.timesheets.cells import Cell
from itpm.timesheets.services import do_save_cells, loggable_tasks, own_resource

MAX_ROWS = 100_000
REQUIRED = ("date", "hours")


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, Any]


def check_upload(user: Any, name: str, content: bytes) -> int:
    """Save the file's hours for the user; returns how many rows were read."""
    resource = own_resource(user)
    rows = list(read_rows(name, content))
    if not rows:
        raise Invalid("file: no rows of hours below the header", field="file")
    if len(rows) > MAX_ROWS:
        raise Invalid(f"file: {len(rows)} rows; at most {MAX_ROWS} in one upload", field="file")
    cells = _cells(user, rows)
    do_save_cells(user, resource, cells, replace_weeks=set(), label=lambda i: f"row {rows[i].number}")
    return len(rows)


def read_rows(name: str, content: bytes) -> Iterator[Row]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return _xlsx_rows(content)
    if lowered.endswith((".csv", ".txt")):
        return _csv_rows(content)
    raise Invalid(f"file: {name!r} is neither .csv nor .xlsx", field="file")


def _csv_rows(content: bytes) -> Iterator[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid("file: not UTF-8 text; save the CSV as UTF-8", field="file") from error
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in many locales writes semicolons
    lines = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _rows(lines)


def _xlsx_rows(content: bytes) -> Iterator[Row]:
    from openpyxl import load_workbook  # only uploads need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise Invalid("file: not a readable .xlsx workbook", field="file") from error
    sheet = book.worksheets[0]
    return _rows(sheet.iter_rows(values_only=True))


def _rows(lines: Any) -> Iterator[Row]:
    iterator = iter(lines)
    header = [str(h or "").strip().lower().replace(" ", "_") for h in next(iterator, [])]
    _check_header(header)
    for number, values in enumerate(iterator, start=2):
        if not any(v not in (None, "") for v in values):
            continue  # blank lines between blocks are common in hand-made sheets
        yield Row(number, dict(zip(header, values, strict=False)))


def _check_header(header: list[str]) -> None:
    missing = [column for column in REQUIRED if column not in header]
    if "task_id" not in header and not {"project", "wbs"} <= set(header):
        missing.append("task_id (or project and wbs)")
    if missing:
        raise Invalid(f"file: missing column {', '.join(missing)} in the header row", field="file")


def _cells(user: Any, rows: list[Row]) -> list[Cell]:
    by_code = {
        (code.lower(), wbs): pk
        for pk, code, wbs in loggable_tasks(user).values_list("pk", "project__code", "wbs_code")
    }
    return [Cell(_task_ref(row, by_code), row.values.get("date"), _hours(row), _comment(row)) for row in rows]


def _task_ref(row: Row, by_code: dict[tuple[str, str], int]) -> Any:
    """The task's id, or the row's own words for it when no task matches (named in the error)."""
    task_id = row.values.get("task_id")
    if task_id not in (None, ""):
        return int(task_id) if isinstance(task_id, float) and task_id.is_integer() else str(task_id).strip()
    project = str(row.values.get("project") or "").strip()
    wbs = row.values.get("wbs")
    wbs = str(int(wbs) if isinstance(wbs, float) and wbs.is_integer() else wbs or "").strip()
    return by_code.get((project.lower(), wbs), f"{project} {wbs}".strip() or "(none)")


def _hours(row: Row) -> Any:
    hours = row.values.get("hours")
    return "missing" if hours in (None, "") else hours  # an upload row always states its hours


def _comment(row: Row) -> str:
    comment = row.values.get("comment")
    return "" if comment is None else str(comment)

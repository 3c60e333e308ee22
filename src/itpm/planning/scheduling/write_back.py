"""Write the engine's dates, floats and critical flags back onto the task rows, in bulk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from django.db import connection

from itpm import engine
from itpm.engine.drivers import DRIVERS
from itpm.planning.models import Task
from itpm.planning.scheduling.dating import UNITS_PER_DAY, Dating

Units = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]


COMPUTED = (
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float_days",
    "free_float_days",
    "is_critical",
    "duration_days",
    "driver",
    "driving_predecessor",
    "driving_type",
)


def write_computed(rows: list[Task], result: engine.Schedule, dating: Dating, first: int) -> dt.date | None:
    """Dates, floats and critical flags onto the rows; only rows that changed are written."""
    columns = result.columns
    earliest = min(int(columns.early_start.min()), int(columns.late_start.min())) if rows else 0
    work, shift = dating.reaching(earliest)
    first += shift
    starts, finishes = _span_dates(work, columns.early_start + shift, columns.early_finish + shift, first)
    late = _span_dates(work, columns.late_start + shift, columns.late_finish + shift, first)
    spans = (columns.early_finish - columns.early_start).tolist()
    pks = [row.pk for row in rows]
    drivers = [DRIVERS[i] for i in columns.driver.tolist()]
    predecessors = [pks[i] if i >= 0 else None for i in columns.driving_predecessor.tolist()]
    link_types = [engine.LINK_TYPES[i] if i >= 0 else "" for i in columns.driving_type.tolist()]
    values = zip(
        rows,
        starts.tolist(),
        finishes.tolist(),
        late[0].tolist(),
        late[1].tolist(),
        columns.total_float.tolist(),
        columns.free_float.tolist(),
        columns.critical.tolist(),
        spans,
        drivers,
        predecessors,
        link_types,
        strict=True,
    )
    changed = [row for row, *computed in values if _apply(row, Computed(*computed))]
    _save_computed(changed)
    if not rows:
        return None
    last: dt.date = work.finish_date(shift, result.finish + shift)
    return last


@dataclass(frozen=True)
class Computed:
    start: dt.date
    finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int
    free_float: int
    critical: bool
    span: int
    driver: str
    driving_predecessor: int | None
    driving_type: str


def _apply(row: Task, computed: Computed) -> bool:
    """Set the computed fields; True when any of them changed. A summary lasts its children's span."""
    before = tuple(getattr(row, name) for name in COMPUTED_ATTRS)
    row.start, row.finish = computed.start, computed.finish
    row.late_start, row.late_finish = computed.late_start, computed.late_finish
    row.total_float_days = Decimal(computed.total_float) / UNITS_PER_DAY
    row.free_float_days = Decimal(computed.free_float) / UNITS_PER_DAY
    row.is_critical = computed.critical
    row.driver, row.driving_type = computed.driver, computed.driving_type
    row.driving_predecessor_id = computed.driving_predecessor
    if row.is_summary:
        row.duration_days = Decimal(computed.span) / UNITS_PER_DAY
    return before != tuple(getattr(row, name) for name in COMPUTED_ATTRS)


COMPUTED_ATTRS = tuple(name + "_id" if name == "driving_predecessor" else name for name in COMPUTED)


def _save_computed(rows: list[Task]) -> None:
    """One UPDATE statement executed for many rows: Django's bulk_update builds CASE expressions
    that take seconds at 10,000 tasks; executemany takes milliseconds. History is not recorded
    for computed fields, as with bulk_update."""
    if not rows:
        return
    table = connection.ops.quote_name(Task._meta.db_table)
    by_name = {field.name: field for field in Task._meta.concrete_fields}
    fields = [by_name[name] for name in COMPUTED]
    columns = ", ".join(f"{connection.ops.quote_name(str(field.column))} = %s" for field in fields)
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", params)  # noqa: S608 - names are ours


def _span_dates(work: engine.WorkCalendar, starts: Units, finishes: Units, first: int) -> tuple[Days, Days]:
    """Calendar dates of spans; a zero-length span on a day boundary after the project start
    sits at the end of the day before, the way MS Project shows a milestone that follows a task
    on that task's finish date."""
    on_boundary = (starts == finishes) & (starts > first) & (starts % UNITS_PER_DAY == 0)
    opening = np.where(on_boundary, starts - 1, starts)
    closing = np.where(finishes > starts, finishes - 1, opening)
    return work.to_dates(opening), work.to_dates(closing)

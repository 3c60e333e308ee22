"""Working-time arithmetic: integer units of working time to and from calendar dates.

Unit 0 is the first unit of the first working day on or after the project start; a working
day holds `units_per_day` units, so working day number `unit // units_per_day` contains a unit.
Every conversion is an index into arrays built once, so that writing back the dates of a large
schedule costs no loop over days. The arrays grow (doubling) when asked about a date or unit
beyond the horizon, so a schedule longer than the horizon still converts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from itpm.engine.model import Calendar

DEFAULT_HORIZON_DAYS = 730


class WorkCalendar:
    """A Calendar laid out over the days from a project start; build it with `build`."""

    def __init__(self, calendar: Calendar, start: dt.date, horizon_days: int) -> None:
        self.calendar = calendar
        self.start = start
        self.units_per_day = calendar.units_per_day
        self._busdays = np.busdaycalendar(
            weekmask=calendar.weekmask,
            holidays=np.array(sorted(calendar.holidays), dtype="datetime64[D]"),
        )
        self._lay_out(max(horizon_days, 1))

    @classmethod
    def build(
        cls, calendar: Calendar, start: dt.date, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> WorkCalendar:
        return cls(calendar, start, horizon_days)

    @property
    def horizon_days(self) -> int:
        return len(self._working_days_before) - 1

    def _lay_out(self, horizon_days: int) -> None:
        """Precompute, for the calendar days in [start, start + horizon_days)."""
        days = np.datetime64(self.start, "D") + np.arange(horizon_days)
        is_working = np.is_busday(days, busdaycal=self._busdays)
        # _working_days_before[k]: working days in [start, start + k), which is also the number
        # of the first working day on or after start + k. One extra entry covers k == horizon.
        self._working_days_before = np.concatenate(([0], np.cumsum(is_working)))
        self._working_dates = days[is_working]

    @property
    def working_dates(self) -> npt.NDArray[np.datetime64]:
        """The working days within the horizon, in order: working day number n is the nth."""
        return self._working_dates

    def grow(self) -> None:
        """Lay the calendar out over twice the days."""
        self._lay_out(2 * self.horizon_days)

    def _cover_day(self, offset: int) -> None:
        while offset > self.horizon_days:
            self._lay_out(2 * self.horizon_days)

    def _cover_working_day(self, number: int) -> None:
        # Finite holidays and at least one working weekday: doubling always gets there.
        while number >= len(self._working_dates):
            self._lay_out(2 * self.horizon_days)

    def _offset(self, day: dt.date) -> int:
        offset = (day - self.start).days
        if offset < 0:
            raise ValueError(f"{day} is before the project start {self.start}")
        self._cover_day(offset)
        return offset

    def to_date(self, unit: int) -> dt.date:
        """The working day that contains `unit`."""
        if unit < 0:
            raise ValueError(f"unit {unit} is before the project start")
        number = unit // self.units_per_day
        self._cover_working_day(number)
        day: dt.date = self._working_dates[number].item()
        return day

    def finish_date(self, start_unit: int, finish_unit: int) -> dt.date:
        """The last working day a task occupying [start_unit, finish_unit) works on.

        A zero-length task (a milestone) happens on its start date.
        """
        return self.to_date(finish_unit - 1 if finish_unit > start_unit else start_unit)

    def to_unit(self, day: dt.date) -> int:
        """The first unit of the first working day on or after `day`."""
        offset = self._offset(day)  # first: it may grow the arrays
        return int(self._working_days_before[offset]) * self.units_per_day

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days in [first, last); negative when `last` comes before `first`."""
        last_offset, first_offset = self._offset(last), self._offset(first)
        counts = self._working_days_before
        return int(counts[last_offset] - counts[first_offset])

    def is_working_day(self, day: dt.date) -> bool:
        offset = self._offset(day)
        self._cover_day(offset + 1)
        counts = self._working_days_before
        return bool(counts[offset + 1] > counts[offset])

    def to_dates(self, units: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
        """`to_date` for a whole array of units at once, for writing back a schedule in bulk."""
        if units.size == 0:
            return np.array([], dtype="datetime64[D]")
        if units.min() < 0:
            raise ValueError("units before the project start")
        numbers = units // self.units_per_day
        self._cover_working_day(int(numbers.max()))
        return self._working_dates[numbers]

    def finish_dates(
        self, start_units: npt.NDArray[np.int64], finish_units: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.datetime64]:
        """`finish_date` for whole arrays at once."""
        last_units = np.where(finish_units > start_units, finish_units - 1, start_units)
        return self.to_dates(last_units)

"""Checked reads of JSON values, each failing with the path of the value that is wrong.

Paths are written the way people look values up: `tasks[3].duration`. They are built only when
something fails, so checking a large file costs little more than reading it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from typing import Any, NoReturn

from itpm.engine.formats.errors import FormatError

UNITS_PER_DAY = 100  # engine units in a working day: two decimals of a day convert exactly
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_DAYS = 36_525  # a hundred years: longer durations, lags and date ranges are typing mistakes
Number = int | Decimal


def kind_of(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", Decimal: "a number"}
    return names.get(type(value), type(value).__name__)


class Values:
    """Reads values out of one parsed document, named `source` in every message."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> NoReturn:
        raise FormatError(self.source, message, path=path)

    def mapping(
        self, value: object, path: str, keys: Iterable[str], required: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {kind_of(value)}")
        unknown = [key for key in value if key not in keys]
        if unknown:
            known = ", ".join(keys)
            self.fail(_join(path, unknown[0]), f"unknown key; the keys here are {known}")
        missing = next((key for key in required if key not in value), None)
        if missing is not None:
            self.fail(_join(path, missing), "is required")
        return value

    def sequence(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {kind_of(value)}")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, f"must be a string, not {kind_of(value)}")
        return value

    def identifier(self, value: object, path: str) -> str:
        """A task id: a non-empty string, or a whole number (taken as its decimal string)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"must be a non-empty string or a whole number, not {_shown(value)}")
        return value

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false, not {_shown(value)}")
        return value

    def number(
        self, value: object, path: str, low: Number | None = None, high: Number | None = None
    ) -> Number:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(path, f"must be a number, not {_shown(value)}")
        if low is not None and value < low:
            self.fail(path, f"must be >= {low}, not {value}")
        if high is not None and value > high:
            self.fail(path, f"must be <= {high}, not {value}")
        return value

    def date(self, value: object, path: str) -> dt.date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.fail(path, f"must be a date written YYYY-MM-DD, not {_shown(value)}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"{value!r} is not a date in the calendar")

    def choice(self, value: object, path: str, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            self.fail(path, f"must be one of {', '.join(choices)}, not {_shown(value)}")
        return value


def units(value: Number, units_per_day: int) -> int:
    """Working days as whole engine units, rounded away from zero to the next unit."""
    if isinstance(value, int):
        return value * units_per_day
    scaled = abs(value) * units_per_day
    whole = int(scaled.to_integral_value(rounding=ROUND_CEILING))
    return whole if value >= 0 else -whole


def working_days(values: Values, value: object, path: str, negative: bool = False) -> int:
    """A number of working days, as engine units (a hundredth of a day)."""
    low = -MAX_DAYS if negative else 0
    return units(values.number(value, path, low, MAX_DAYS), UNITS_PER_DAY)


def days(units_count: int, units_per_day: int) -> int | float:
    """Engine units as working days: a whole number when whole, else a decimal fraction."""
    whole, part = divmod(units_count, units_per_day)
    return whole if part == 0 else units_count / units_per_day


def finite(name: str) -> NoReturn:
    """json's parse_constant hook: NaN and Infinity are not JSON numbers."""
    raise ValueError(f"{name} is not a JSON number")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return kind_of(value)

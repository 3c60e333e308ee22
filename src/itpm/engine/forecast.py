"""Reference-class forecasting: what similar past projects actually did, applied to a new one.

Entry functions:

- `reference_class(projects, measure, project_type=None, *, minimum=MINIMUM_PROJECTS)
  -> ReferenceClass`: the overrun ratios (actual ÷ planned) of the closed projects of a type,
  for duration, cost or scope, with their empirical quantiles P10/P50/P80/P90, the share that
  overran, and a note when the class is too small to trust;
- `ReferenceClass.uplift(certainty) -> Decimal | None`: the uplift on the plan needed to be
  `certainty` % sure of not overrunning (P80: 80 % of the class finished within it), e.g. 0.35
  for +35 %;
- `quantiles(overruns, levels) -> list[float] | None` and `uplift(overruns, level) -> float |
  None`: the same quantiles on plain floats (overruns as actual ÷ planned − 1, levels 0 to 1),
  for callers that hold a class's overruns already;
- `apply_uplift(planned, reference, certainties=(50, 80, 90)) -> dict[int, Decimal]` and
  `forecast_finish(start, planned_finish, reference, certainty, calendar=None) -> date`: the
  uplift applied to a new project's budget, duration or finish date.

IT projects have fat tails (a few overrun by several times): the distribution is described by
its empirical quantiles, never by a mean and standard deviation. Quantiles interpolate linearly
between order statistics (Hyndman and Fan's definition 7, numpy's and Excel's PERCENTILE.INC
default): with the n ratios sorted x₁ … xₙ, Q(p) = x_k + f·(x_{k+1} − x_k) where
(n − 1)·p = (k − 1) + f. Decimal throughout, so quantiles can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from itpm.engine.calendar import WorkCalendar

MEASURES = ("duration", "cost", "scope")
CERTAINTIES = (10, 50, 80, 90)
MINIMUM_PROJECTS = 10  # below this, a class's quantiles are shown as indicative only
ONE = Decimal(1)


@dataclass(frozen=True)
class PastProject:
    """A closed project's plan and outcome: durations in days (working or calendar, alike for
    all), costs in one currency, scope in any unit (requirements, story points, function
    points). A measure not recorded is None and the project is left out of that measure."""

    id: str
    project_type: str
    planned_duration: Decimal | None = None
    actual_duration: Decimal | None = None
    planned_cost: Decimal | None = None
    actual_cost: Decimal | None = None
    planned_scope: Decimal | None = None
    actual_scope: Decimal | None = None

    def ratio(self, measure: str) -> Decimal | None:
        """actual ÷ planned for `measure`, or None if either is missing or the plan is 0."""
        planned, actual = getattr(self, f"planned_{measure}"), getattr(self, f"actual_{measure}")
        if planned is None or actual is None:
            return None
        planned, actual = Decimal(planned), Decimal(actual)
        if planned <= 0 or actual < 0:
            raise ValueError(f"project {self.id!r}: planned {measure} must be > 0 and actual >= 0")
        return actual / planned


@dataclass(frozen=True)
class ReferenceClass:
    """The overrun ratios of a class of past projects, sorted, and what they say."""

    measure: str
    project_type: str | None  # None: all types
    ratios: tuple[Decimal, ...]
    minimum: int

    @property
    def count(self) -> int:
        return len(self.ratios)

    @property
    def sufficient(self) -> bool:
        """Enough projects for the quantiles to be more than indicative."""
        return self.count >= self.minimum

    @property
    def note(self) -> str:
        """Why to be careful, in a sentence; empty when the class is large enough."""
        kind = "all types" if self.project_type is None else f"type {self.project_type!r}"
        if not self.count:
            return (
                f"no closed projects of {kind} record planned and actual {self.measure}: no reference class"
            )
        if not self.sufficient:
            return (
                f"only {self.count} closed project{'s' if self.count > 1 else ''} of {kind} record"
                f" {self.measure} (at least {self.minimum} are needed): the figures are indicative only"
            )
        return ""

    def quantile(self, certainty: int | Decimal) -> Decimal | None:
        """The ratio that `certainty` % of the class stayed within; None for an empty class."""
        share = Decimal(certainty) / 100
        if not 0 <= share <= 1:
            raise ValueError(f"certainty must be from 0 to 100, not {certainty}")
        return _interpolate(self.ratios, share) if self.ratios else None

    @property
    def quantiles(self) -> dict[int, Decimal | None]:
        return {certainty: self.quantile(certainty) for certainty in CERTAINTIES}

    @property
    def share_overrun(self) -> Decimal | None:
        """The share of the class whose actual exceeded its plan."""
        if not self.ratios:
            return None
        return Decimal(sum(ratio > ONE for ratio in self.ratios)) / len(self.ratios)

    def uplift(self, certainty: int | Decimal) -> Decimal | None:
        """The uplift on the plan (0.35 for +35 %) that the class stayed within `certainty` %
        of the time. Negative when even that share of the class came in under plan."""
        ratio = self.quantile(certainty)
        return None if ratio is None else ratio - ONE


def _interpolate(ordered: Sequence[Any], share: Any) -> Any:
    """Hyndman and Fan's quantile 7 of sorted values at `share` (0 to 1): Decimal or float."""
    place = (len(ordered) - 1) * share
    below = int(place)  # place >= 0: int() rounds down
    if below + 1 >= len(ordered):
        return ordered[-1]
    return ordered[below] + (place - below) * (ordered[below + 1] - ordered[below])


def quantiles(overruns: Sequence[float], levels: Sequence[float]) -> list[float] | None:
    """The empirical quantiles of `overruns` at each of `levels` (0.8 for P80); None if there
    are no overruns."""
    if not overruns:
        return None
    ordered = sorted(float(value) for value in overruns)
    for level in levels:
        if not 0 <= level <= 1:
            raise ValueError(f"a quantile level must be from 0 to 1, not {level}")
    return [float(_interpolate(ordered, level)) for level in levels]


def uplift(overruns: Sequence[float], level: float) -> float | None:
    """The uplift that `level` (0.8 for P80) of the class stayed within: the overrun quantile."""
    found = quantiles(overruns, [level])
    return None if found is None else found[0]


def reference_class(
    projects: Iterable[PastProject],
    measure: str,
    project_type: str | None = None,
    *,
    minimum: int = MINIMUM_PROJECTS,
) -> ReferenceClass:
    """The reference class of `project_type` (all types if None) for `measure`."""
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r}: use one of {', '.join(MEASURES)}")
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")
    ratios = [
        ratio
        for project in projects
        if project_type is None or project.project_type == project_type
        if (ratio := project.ratio(measure)) is not None
    ]
    return ReferenceClass(measure, project_type, tuple(sorted(ratios)), minimum)


def apply_uplift(
    planned: Decimal, reference: ReferenceClass, certainties: Sequence[int] = (50, 80, 90)
) -> dict[int, Decimal | None]:
    """A new project's planned budget or duration times the class's quantile ratio, per
    certainty: the figure it will stay within with that certainty, if it behaves like its class."""
    if Decimal(planned) < 0:
        raise ValueError(f"planned must be 0 or more, not {planned}")
    forecast: dict[int, Decimal | None] = {}
    for certainty in certainties:
        ratio = reference.quantile(certainty)
        forecast[certainty] = None if ratio is None else Decimal(planned) * ratio
    return forecast


def forecast_finish(
    start: dt.date,
    planned_finish: dt.date,
    reference: ReferenceClass,
    certainty: int,
    calendar: WorkCalendar | None = None,
) -> dt.date | None:
    """The finish date the project stays within with `certainty` % if it overruns as its class
    did: the planned duration (working days on `calendar`, else calendar days) times the
    quantile ratio, rounded up to a whole day; None for an empty class."""
    if planned_finish < start:
        raise ValueError(f"planned finish {planned_finish} is before the start {start}")
    ratio = reference.quantile(certainty)
    if ratio is None:
        return None
    if calendar is None:
        days = math.ceil((planned_finish - start).days * ratio)
        return start + dt.timedelta(days=days)
    worked = calendar.working_days_between(start, planned_finish) + 1  # the finish day is worked
    days = max(math.ceil(worked * ratio), 1)
    return calendar.to_date(calendar.to_unit(start) + (days - 1) * calendar.units_per_day)

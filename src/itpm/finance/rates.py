"""Cost rates and exchange rates, loaded once per calculation and looked up by day without queries.

A resource's hourly rate on a day is the latest CostRate of its own effective on or before that
day; failing that, the latest of its role's; failing that, Resource.cost_rate in the resource's
currency (the default the resource pool has always held). Exchange rates work the same way by
date; a pair stored one way round also converts the other way (1 / rate), and two currencies
without a rate of their own convert through a third they both have one with (USD → EUR → GBP).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from itpm.finance.models import CostRate, ExchangeRate
from itpm.resources.models import Resource

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round money for display and storage: to the cent, halves away from zero (as invoices do)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    standard: Decimal
    overtime: Decimal | None
    currency: str


class Dated:
    """Values that change on dates: the one in force on a day is the latest from on or before it."""

    def __init__(self) -> None:
        self._days: list[dt.date] = []
        self._values: list[object] = []

    def add(self, day: dt.date, value: object) -> None:
        at = bisect.bisect_right(self._days, day)
        self._days.insert(at, day)
        self._values.insert(at, value)

    def on(self, day: dt.date) -> object | None:
        at = bisect.bisect_right(self._days, day)
        return self._values[at - 1] if at else None

    def last_change(self, day: dt.date) -> dt.date | None:
        """The date of the value in force on the day, if any."""
        at = bisect.bisect_right(self._days, day)
        return self._days[at - 1] if at else None

    def next_change(self, day: dt.date) -> dt.date | None:
        """The first date after the day on which another value takes over, if any."""
        at = bisect.bisect_right(self._days, day)
        return self._days[at] if at < len(self._days) else None

    def earliest(self) -> object | None:
        return self._values[0] if self._values else None


@dataclass
class ExchangeTable:
    """Exchange rates by pair and date; a day before the first rate uses the first rate."""

    pairs: dict[tuple[str, str], Dated] = field(default_factory=lambda: defaultdict(Dated))

    @classmethod
    def load(cls) -> ExchangeTable:
        table = cls()
        for row in ExchangeRate.objects.all():
            table.pairs[(row.base_currency, row.quote_currency)].add(row.effective_from, row.rate)
        return table

    def rate(self, source: str, target: str, day: dt.date) -> Decimal | None:
        """Units of target per unit of source on the day, or None when no rate is known."""
        if source == target:
            return Decimal(1)
        known = self._either_way(source, target, day)
        if known is not None:
            return known
        for middle in self._neighbours(source):  # a cross rate through a shared currency
            first, second = self._either_way(source, middle, day), self._either_way(middle, target, day)
            if first is not None and second is not None:
                return first * second
        return None

    def _either_way(self, source: str, target: str, day: dt.date) -> Decimal | None:
        direct = self._on((source, target), day)
        if direct is not None:
            return direct
        inverse = self._on((target, source), day)
        return None if inverse is None else Decimal(1) / inverse

    def _neighbours(self, currency: str) -> list[str]:
        return sorted({b if a == currency else a for a, b in self.pairs if currency in (a, b)})

    def _on(self, pair: tuple[str, str], day: dt.date) -> Decimal | None:
        if pair not in self.pairs:
            return None
        dated = self.pairs[pair]
        value = dated.on(day)
        return (value if value is not None else dated.earliest()) or None  # type: ignore[return-value]

    def convert(self, amount: Decimal, source: str, target: str, day: dt.date) -> Decimal | None:
        rate = self.rate(source, target, day)
        return None if rate is None else amount * rate


@dataclass
class RateBook:
    """Hourly cost rates of the resources in one calculation, by resource, role and date."""

    defaults: dict[int, Rate]
    roles: dict[int, str]
    own: dict[int, Dated]
    by_role: dict[str, Dated]
    # Per resource, the rate last found and the days it holds for: [since, until), None open.
    _spans: dict[int, tuple[dt.date | None, dt.date | None, Rate]] = field(default_factory=dict)

    @classmethod
    def load(cls, resource_ids: Iterable[int]) -> RateBook:
        resources = list(Resource.objects.filter(pk__in=set(resource_ids)))
        roles = {r.pk: r.role for r in resources}
        book = cls(
            defaults={r.pk: Rate(r.cost_rate, None, r.currency) for r in resources},
            roles=roles,
            own=defaultdict(Dated),
            by_role=defaultdict(Dated),
        )
        rows = CostRate.objects.filter(resource_id__in=roles) | CostRate.objects.filter(
            resource__isnull=True, role__in={role for role in roles.values() if role}
        )
        for row in rows:
            rate = Rate(row.standard_rate, row.overtime_rate, row.currency)
            (book.own[row.resource_id] if row.resource_id else book.by_role[row.role]).add(
                row.effective_from, rate
            )
        return book

    def on(self, resource_id: int, day: dt.date) -> Rate:
        return self.in_force(resource_id, day)[0]

    def in_force(self, resource_id: int, day: dt.date) -> tuple[Rate, dt.date | None]:
        """The rate on the day and the first later date it may change on (None: never).
        Remembered per resource with the days it holds for, as plans and timesheets ask for
        day after day of the same person."""
        since, until, rate = self._spans.get(resource_id, (day, day, None))
        if rate is None or (since is not None and day < since) or (until is not None and day >= until):
            since, until, rate = (
                self._since(resource_id, day),
                self.until(resource_id, day),
                self._find(resource_id, day),
            )
            self._spans[resource_id] = (since, until, rate)
        return rate, until

    def _since(self, resource_id: int, day: dt.date) -> dt.date | None:
        """The last date on or before the day on which the resource's rate changed."""
        changes = [dated.last_change(day) for dated in self._dated(resource_id) if dated is not None]
        return max((change for change in changes if change is not None), default=None)

    def _dated(self, resource_id: int) -> tuple[Dated | None, Dated | None]:
        return self.own.get(resource_id), self.by_role.get(self.roles.get(resource_id, ""))

    def until(self, resource_id: int, day: dt.date) -> dt.date | None:
        """The first date after the day on which the resource's rate may change (its own or its
        role's next rate); None when it holds for good. Lets a plan price a run of days at once."""
        changes = [dated.next_change(day) for dated in self._dated(resource_id) if dated is not None]
        return min((change for change in changes if change is not None), default=None)

    def _find(self, resource_id: int, day: dt.date) -> Rate:
        for dated in self._dated(resource_id):
            rate = dated.on(day) if dated is not None else None
            if rate is not None:
                return rate  # type: ignore[return-value]
        return self.defaults.get(resource_id, Rate(Decimal(0), None, "EUR"))

"""Money by day for one project: planned (time-phased from the schedule), earned and actual.

Every amount is in the project's currency, unrounded; callers round for display (rates.cents).

- Planned labour: each assignment's hours (the task's effort shared by units, else duration ×
  hours per day × units, as planning's baseline cost counts them) spread evenly over the task's
  working days between its start and finish, priced at the rate in force on each day.
- Fixed costs: at the task's start, spread over its working days, or at its finish (`accrual`).
- Purchases: on their date. A purchase is its own work package: earned when received.
- Earned: a task's budget × percent complete, accrued evenly from its actual start to its actual
  finish or the status date (itpm keeps today's percent complete, not its history).
- Actual: approved timesheet hours × the rate on the day they were worked; fixed costs of tasks
  that have started, by their accrual; purchases received, invoiced or paid.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from itpm.finance.inputs import AssignmentRow, Inputs, TaskRow
from itpm.finance.models import Accrual, Category, FixedCost, Purchase, PurchaseStatus
from itpm.finance.rates import ExchangeTable, RateBook
from itpm.planning.services.working_days import HOURS_PER_DAY, WorkingDays
from itpm.portfolio.models import Project

__all__ = ["Inputs", "ProjectMoney", "TaskMoney", "project_money"]

ZERO = Decimal(0)
Daily = dict[dt.date, Decimal]


@dataclass
class TaskMoney:
    """One leaf task's money: planned by day and category, earned and actual by day."""

    task: TaskRow
    start: dt.date | None  # the planned dates the money is phased over
    finish: dt.date | None
    planned: Daily = field(default_factory=lambda: defaultdict(Decimal))
    planned_by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    earned: Daily = field(default_factory=lambda: defaultdict(Decimal))
    actual: Daily = field(default_factory=lambda: defaultdict(Decimal))
    actual_by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    actual_by_type: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # labour apart
    # Planned cost of the work not yet done: labour × (1 − % complete), fixed costs not yet accrued.
    remaining_by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def bac(self) -> Decimal:
        return sum(self.planned.values(), ZERO)

    @property
    def ac(self) -> Decimal:
        return sum(self.actual.values(), ZERO)


@dataclass
class ProjectMoney:
    project: Project
    status_date: dt.date
    tasks: dict[int, TaskMoney]
    purchases: list[Purchase]
    purchase_planned: Daily
    purchase_earned: Daily
    purchase_actual: Daily
    committed_by_category: dict[str, Decimal]
    purchases_actual_by_category: dict[str, Decimal]
    purchases_planned_by_category: dict[str, Decimal]
    purchases_actual_by_type: dict[str, Decimal]
    purchases_to_order_by_category: dict[str, Decimal]  # planned, not yet ordered
    missing_rates: set[tuple[str, str]]

    def planned(self) -> Daily:
        return _merge([t.planned for t in self.tasks.values()] + [self.purchase_planned])

    def earned(self) -> Daily:
        return _merge([t.earned for t in self.tasks.values()] + [self.purchase_earned])

    def actual(self) -> Daily:
        return _merge([t.actual for t in self.tasks.values()] + [self.purchase_actual])


def _merge(days: list[Daily]) -> Daily:
    total: Daily = defaultdict(Decimal)
    for one in days:
        for day, amount in one.items():
            total[day] += amount
    return total


@dataclass
class _Context:
    project: Project
    status_date: dt.date
    working: WorkingDays
    hours_per_day: Decimal
    rates: RateBook
    fx: ExchangeTable
    missing: set[tuple[str, str]] = field(default_factory=set)
    _ordered: list[dt.date] = field(default_factory=list)  # the working days from _first to _last
    _first: dt.date | None = None
    _last: dt.date | None = None

    def money(self, amount: Decimal, currency: str, day: dt.date) -> Decimal:
        if currency == self.project.currency:
            return amount
        converted = self.fx.convert(amount, currency, self.project.currency, day)
        if converted is None:
            self.missing.add((currency, self.project.currency))
            return ZERO
        return converted

    def working_days(self, start: dt.date, finish: dt.date) -> list[dt.date]:
        """The working days from start to finish (the start alone when there are none): a slice
        of the calendar, laid out once per calculation and grown as tasks reach beyond it."""
        self._cover(start, max(start, finish))
        ordered = self._ordered
        return ordered[bisect.bisect_left(ordered, start) : bisect.bisect_right(ordered, finish)] or [start]

    def _cover(self, start: dt.date, finish: dt.date) -> None:
        if self._first is None or self._last is None:
            self._ordered, self._first, self._last = self._working(start, finish), start, finish
        if start < self._first:
            self._ordered[:0] = self._working(start, self._first - dt.timedelta(days=1))
            self._first = start
        if finish > self._last:
            self._ordered += self._working(self._last + dt.timedelta(days=1), finish)
            self._last = finish

    def _working(self, first: dt.date, last: dt.date) -> list[dt.date]:
        every = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [day for day in every if self.working.is_working(day)]


def project_money(
    project: Project,
    dates: dict[int, tuple[dt.date | None, dt.date | None]] | None = None,
    status_date: dt.date | None = None,
    approved: list[Any] | None = None,
    inputs: Inputs | None = None,
    same_as: ProjectMoney | None = None,
) -> ProjectMoney:
    """All of one project's money by day. `dates` replaces tasks' planned dates (a baseline's);
    `approved` is the approved time; `inputs` the rows already loaded (then `approved` is theirs).
    `same_as`, the same inputs priced on other dates: a task on the same dates there is the same
    money, taken over rather than priced again (a baseline and the schedule mostly agree)."""
    given = inputs or Inputs.load(project, approved)
    context = _Context(
        project=project,
        status_date=status_date or project.status_date or dt.date.today(),
        working=given.working,
        hours_per_day=project.calendar.hours_per_day if project.calendar else HOURS_PER_DAY,
        rates=given.rates,
        fx=given.fx,
    )
    spans = {t.pk: _span(t, (dates or {}).get(t.pk)) for t in given.tasks}
    priced = _taken_over(context, spans, same_as)
    fresh = {t.pk: TaskMoney(t, *spans[t.pk]) for t in given.tasks if t.pk not in priced}
    _plan_labour(context, fresh, given.assignments)
    _plan_fixed_costs(context, fresh, given.fixed_costs)
    for item in fresh.values():
        _earn(context, item)
        labour = item.planned_by_category.get(Category.LABOUR, ZERO)
        item.remaining_by_category[Category.LABOUR] += labour * (100 - item.task.percent_complete) / 100
    _actual_labour(context, fresh, given.approved)
    money = {t.pk: priced[t.pk] if t.pk in priced else fresh[t.pk] for t in given.tasks}  # plan order
    return _with_purchases(context, money, given.purchases)


def _taken_over(
    context: _Context, spans: dict[int, tuple[dt.date | None, dt.date | None]], same_as: ProjectMoney | None
) -> dict[int, TaskMoney]:
    """The tasks `same_as` priced on the same dates and status date: their money is this money."""
    if same_as is None or same_as.status_date != context.status_date:
        return {}
    taken = {
        pk: other
        for pk, span in spans.items()
        if (other := same_as.tasks.get(pk)) is not None and (other.start, other.finish) == span
    }
    if taken:
        context.missing |= same_as.missing_rates
    return taken


def _span(
    task: TaskRow, dates: tuple[dt.date | None, dt.date | None] | None
) -> tuple[dt.date | None, dt.date | None]:
    """The dates a task's money is phased over: the given ones (a baseline's) when both are set."""
    start, finish = dates or (None, None)
    if start is None or finish is None:
        return task.start, task.finish
    return start, finish


def _plan_labour(context: _Context, money: dict[int, TaskMoney], assignments: list[AssignmentRow]) -> None:
    by_task: dict[int, list[AssignmentRow]] = defaultdict(list)
    for assignment in assignments:
        by_task[assignment.task_id].append(assignment)
    for task_id, items in by_task.items():
        item = money.get(task_id)
        if item is None or item.start is None or item.finish is None:
            continue
        days = context.working_days(item.start, item.finish)
        units = sum((a.units for a in items), ZERO)
        for assignment in items:
            hours = _assignment_hours(item.task, assignment, units, context.hours_per_day)
            _price_hours(context, item, assignment.resource_id, hours / len(days), days)


def _assignment_hours(
    task: TaskRow, assignment: AssignmentRow, units: Decimal, hours_per_day: Decimal
) -> Decimal:
    if task.effort_hours is not None:
        return task.effort_hours * assignment.units / units
    return task.duration_days * hours_per_day * assignment.units


def _price_hours(
    context: _Context, item: TaskMoney, resource_id: int, hours: Decimal, days: list[dt.date]
) -> None:
    """The same cost on every day until the rate changes: priced once per run of days (in the
    project's currency; another currency's exchange rate may move daily, so it is priced daily)."""
    planned, labour = item.planned, item.planned_by_category[Category.LABOUR]
    cost, until, daily = ZERO, None, True  # `daily` on the first day: nothing priced yet
    for day in days:
        if daily or (until is not None and day >= until):
            rate, until = context.rates.in_force(resource_id, day)
            cost = context.money(hours * rate.standard, rate.currency, day)
            daily = rate.currency != context.project.currency
        planned[day] += cost
        labour += cost
    item.planned_by_category[Category.LABOUR] = labour


def _plan_fixed_costs(context: _Context, money: dict[int, TaskMoney], costs: list[FixedCost]) -> None:
    for cost in costs:
        item = money.get(cost.task_id)
        if item is None or item.start is None or item.finish is None:
            continue
        planned = ZERO
        for day, share in _accrue(context, cost.accrual, item.start, item.finish):
            amount = context.money(cost.amount * share, cost.currency, day)
            item.planned[day] += amount
            item.planned_by_category[cost.category] += amount
            planned += amount
        accrued = _fixed_actual(context, item, cost)
        item.remaining_by_category[cost.category] += max(ZERO, planned - accrued)


def _accrue(
    context: _Context, accrual: str, start: dt.date, finish: dt.date
) -> list[tuple[dt.date, Decimal]]:
    """The days a fixed cost falls on between two dates and the share of it on each."""
    if accrual == Accrual.FINISH:
        return [(finish, Decimal(1))]
    if accrual == Accrual.PRORATED:
        days = context.working_days(start, finish)
        return [(day, Decimal(1) / len(days)) for day in days]
    return [(start, Decimal(1))]


def _progress_span(context: _Context, task: TaskRow) -> tuple[dt.date, dt.date] | None:
    """From when to when a started task made its progress: actual start to actual finish or the
    status date. None when it has not started."""
    if not task.percent_complete and task.actual_start is None:
        return None
    start = task.actual_start or task.start or context.status_date
    finish = task.actual_finish or max(start, context.status_date)
    return start, finish


def _earn(context: _Context, item: TaskMoney) -> None:
    span = _progress_span(context, item.task)
    if span is None or not item.task.percent_complete:
        return
    earned = item.bac * item.task.percent_complete / 100
    for day, share in _spread(*span):
        item.earned[day] += earned * share


def _spread(start: dt.date, finish: dt.date) -> list[tuple[dt.date, Decimal]]:
    """Evenly over the calendar days of [start, finish]: progress is reported, not worked, per day."""
    length = (finish - start).days + 1
    return [(start + dt.timedelta(days=n), Decimal(1) / length) for n in range(length)]


def _fixed_actual(context: _Context, item: TaskMoney, cost: FixedCost) -> Decimal:
    """Record what of a fixed cost has accrued by the task's progress; answer how much."""
    span = _progress_span(context, item.task)
    if span is None:
        return ZERO
    task = item.task
    if cost.accrual == Accrual.PRORATED:
        shares = [(day, share * task.percent_complete / 100) for day, share in _spread(*span)]
    elif cost.accrual == Accrual.FINISH:
        shares = [(task.actual_finish, Decimal(1))] if task.actual_finish else []
    else:
        shares = [(span[0], Decimal(1))]
    accrued = ZERO
    for day, share in shares:
        amount = context.money(cost.amount * share, cost.currency, day)
        item.actual[day] += amount
        item.actual_by_category[cost.category] += amount
        item.actual_by_type[cost.cost_type] += amount
        accrued += amount
    return accrued


def _actual_labour(context: _Context, money: dict[int, TaskMoney], approved: list[Any]) -> None:
    if not money:
        return  # every task was taken over, actual cost and all
    for row in approved:
        item = money.get(row.task_id)
        if item is None:
            continue
        rate = context.rates.on(row.resource_id, row.day)
        hourly = (
            rate.overtime if getattr(row, "overtime", False) and rate.overtime is not None else rate.standard
        )
        cost = context.money(row.hours * hourly, rate.currency, row.day)
        item.actual[row.day] += cost
        item.actual_by_category[Category.LABOUR] += cost
        item.actual_by_type[Category.LABOUR] += cost


def _with_purchases(
    context: _Context, money: dict[int, TaskMoney], purchases: list[Purchase]
) -> ProjectMoney:
    result = ProjectMoney(
        project=context.project,
        status_date=context.status_date,
        tasks=money,
        purchases=purchases,
        purchase_planned=defaultdict(Decimal),
        purchase_earned=defaultdict(Decimal),
        purchase_actual=defaultdict(Decimal),
        committed_by_category=defaultdict(Decimal),
        purchases_actual_by_category=defaultdict(Decimal),
        purchases_planned_by_category=defaultdict(Decimal),
        purchases_actual_by_type=defaultdict(Decimal),
        purchases_to_order_by_category=defaultdict(Decimal),
        missing_rates=context.missing,
    )
    for purchase in purchases:
        amount = context.money(purchase.amount, purchase.currency, purchase.date)
        result.purchase_planned[purchase.date] += amount
        result.purchases_planned_by_category[purchase.category] += amount
        if purchase.is_actual:
            result.purchase_earned[purchase.date] += amount
            result.purchase_actual[purchase.date] += amount
            result.purchases_actual_by_category[purchase.category] += amount
            result.purchases_actual_by_type[purchase.cost_type] += amount
        elif purchase.status == PurchaseStatus.COMMITTED:
            result.committed_by_category[purchase.category] += amount
        else:
            result.purchases_to_order_by_category[purchase.category] += amount
    return result

"""Earned value and earned schedule: pure arithmetic on Decimal money.

Entry functions:

- `earned_value(pv, ev, ac, bac, *, etc_bottom_up=None) -> EarnedValue`: variances, indices,
  the four standard estimates at completion, ETC, VAC and the two TCPIs at one status date;
- `earned_schedule(cumulative_pv, ev, actual_time, planned_duration=None, *,
  performance_factor=None) -> EarnedSchedule`: Lipke's earned schedule ES (linear
  interpolation in the baseline), SPI(t), SV(t) and IEAC(t) = AT + (PD − ES) / PF;
- `evm_series(cumulative_pv, cumulative_ev, cumulative_ac, *, bac=None) -> list[EvmPeriod]`: both
  of the above for every status period reported so far (the S-curve's data);
- `roll_up(measures) -> Measures` and `roll_up_tree(measures, parent) -> dict[str, Measures]`:
  PV, EV, AC, BAC and bottom-up ETC are additive, so tasks sum to phases, projects, programs and
  a portfolio; the indices are then recomputed from the sums with `Measures.earned_value()`
  (an index is never averaged).

Money and indices are Decimal, computed at the decimal context's precision (28 digits) and not
rounded: the caller rounds for display. A ratio whose divisor is zero is not defined and is None
(SPI before any work was planned, CPI before any cost, TCPI once the budget is spent), never an
exception. Bad input (a negative amount, a float, a baseline that goes down) raises ValueError.
Time in earned schedule is in status periods (weeks, months: whatever the baseline counts in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, getcontext, localcontext

Amount = Decimal | int | str  # what the entry functions take; floats are refused (binary money)

ZERO = Decimal(0)


def money(value: Amount, name: str) -> Decimal:
    """A non-negative finite Decimal from a Decimal, an int or a numeric string."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ValueError(f"{name} must be a Decimal, an int or a numeric string, not {type(value).__name__}")
    try:
        amount = Decimal(value)
    except ArithmeticError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{name} must be finite, not {value}")
    if amount < 0:
        raise ValueError(f"{name} must be 0 or more, not {amount}")
    return amount


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator, or None when the denominator is zero (not defined)."""
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True)
class EarnedValue:
    """Earned value at one status date. Estimates at completion, each with its assumption:

    - `eac_atypical` = AC + (BAC − EV): the variance so far was a one-off, the rest goes to plan;
    - `eac_cpi` = BAC / CPI: the cost efficiency so far continues;
    - `eac_cpi_spi` = AC + (BAC − EV) / (CPI × SPI): both cost and schedule efficiency weigh on
      the remaining work;
    - `eac_bottom_up` = AC + ETC: a fresh estimate of the remaining work (when given).

    `eac` is the one the project reports: bottom-up when there is one, else BAC / CPI; `etc`,
    `vac` and `tcpi_eac` follow from it. `tcpi_bac` = (BAC − EV) / (BAC − AC) is the cost
    efficiency the remaining work needs to finish on budget.
    """

    pv: Decimal
    ev: Decimal
    ac: Decimal
    bac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac_atypical: Decimal
    eac_cpi: Decimal | None
    eac_cpi_spi: Decimal | None
    eac_bottom_up: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi_bac: Decimal | None
    tcpi_eac: Decimal | None
    percent_complete: Decimal | None  # EV / BAC × 100
    percent_spent: Decimal | None  # AC / BAC × 100


def earned_value(
    pv: Amount, ev: Amount, ac: Amount, bac: Amount, *, etc_bottom_up: Amount | None = None
) -> EarnedValue:
    """Earned value measures from cumulative PV, EV, AC, the budget at completion and,
    optionally, a bottom-up estimate to complete the remaining work."""
    pv_, ev_, ac_, bac_ = money(pv, "pv"), money(ev, "ev"), money(ac, "ac"), money(bac, "bac")
    spi, cpi = ratio(ev_, pv_), ratio(ev_, ac_)
    remaining = bac_ - ev_
    eac_cpi, eac_cpi_spi = _index_estimates(pv_, ev_, ac_, bac_) if cpi else (None, None)
    eac_bottom_up = None if etc_bottom_up is None else ac_ + money(etc_bottom_up, "etc_bottom_up")
    eac = eac_bottom_up if eac_bottom_up is not None else eac_cpi
    return EarnedValue(
        pv=pv_,
        ev=ev_,
        ac=ac_,
        bac=bac_,
        sv=ev_ - pv_,
        cv=ev_ - ac_,
        spi=spi,
        cpi=cpi,
        eac_atypical=ac_ + remaining,
        eac_cpi=eac_cpi,
        eac_cpi_spi=eac_cpi_spi,
        eac_bottom_up=eac_bottom_up,
        eac=eac,
        etc=None if eac is None else eac - ac_,
        vac=None if eac is None else bac_ - eac,
        tcpi_bac=ratio(remaining, bac_ - ac_),
        tcpi_eac=None if eac is None else ratio(remaining, eac - ac_),
        percent_complete=_percent(ev_, bac_),
        percent_spent=_percent(ac_, bac_),
    )


def _index_estimates(pv: Decimal, ev: Decimal, ac: Decimal, bac: Decimal) -> tuple[Decimal, Decimal | None]:
    """BAC / CPI and AC + (BAC − EV) / (CPI × SPI), with CPI × SPI = EV² / (AC × PV): one
    division each, in double precision, rounded once, so that an estimate that is a whole
    number of cents comes out exactly rather than a hair off."""
    precision = getcontext().prec
    with localcontext() as wide:
        wide.prec = 2 * precision + 4
        by_cpi = bac * ac / ev
        by_both = ac + (bac - ev) * ac * pv / (ev * ev) if pv else None
    return +by_cpi, None if by_both is None else +by_both  # unary plus rounds to the caller's context


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    share = ratio(part, whole)
    return None if share is None else share * 100


@dataclass(frozen=True)
class EarnedSchedule:
    """Earned schedule at actual time AT, in status periods.

    ES is the time at which the baseline planned to have earned today's EV: C whole periods
    whose cumulative PV the EV reaches, plus the fraction of the next one, by linear
    interpolation. SPI(t) = ES / AT and SV(t) = ES − AT, in time; IEAC(t) = AT + (PD − ES) / PF,
    the forecast duration, with PF = SPI(t) unless another performance factor was given.
    """

    es: Decimal
    actual_time: Decimal
    planned_duration: Decimal
    spi_t: Decimal | None
    sv_t: Decimal
    performance_factor: Decimal | None
    ieac_t: Decimal | None
    forecast_slip: Decimal | None  # IEAC(t) − PD: how many periods late the project will finish


def earned_schedule(
    cumulative_pv: Sequence[Amount],
    ev: Amount,
    actual_time: Amount,
    planned_duration: Amount | None = None,
    *,
    performance_factor: Amount | None = None,
) -> EarnedSchedule:
    """Earned schedule from the baseline's cumulative PV at the end of each period (period 1
    first; PV is 0 at time 0), today's cumulative EV and the periods elapsed, AT.

    `planned_duration` PD defaults to the first period whose cumulative PV reaches the budget
    (the baseline's last value). `performance_factor` 1 forecasts the remaining work at plan
    speed; the default, SPI(t), at the speed so far.
    """
    baseline = _baseline(cumulative_pv)
    earned, elapsed = money(ev, "ev"), money(actual_time, "actual_time")
    duration = _planned_duration(baseline, planned_duration)
    es = _earned_time(baseline, earned, duration)
    spi_t = ratio(es, elapsed)
    factor = spi_t if performance_factor is None else money(performance_factor, "performance_factor")
    ieac_t = elapsed + (duration - es) / factor if factor else None
    return EarnedSchedule(
        es=es,
        actual_time=elapsed,
        planned_duration=duration,
        spi_t=spi_t,
        sv_t=es - elapsed,
        performance_factor=factor,
        ieac_t=ieac_t,
        forecast_slip=None if ieac_t is None else ieac_t - duration,
    )


def _baseline(cumulative_pv: Sequence[Amount]) -> list[Decimal]:
    """[0, PV_1, PV_2, ...], checked: cumulative values never go down."""
    if isinstance(cumulative_pv, (str, bytes)) or not len(cumulative_pv):
        raise ValueError("cumulative_pv needs the baseline's cumulative PV for at least one period")
    values = [ZERO] + [money(value, f"cumulative_pv[{n}]") for n, value in enumerate(cumulative_pv)]
    for period in range(1, len(values)):
        if values[period] < values[period - 1]:
            raise ValueError(
                f"cumulative_pv[{period - 1}] is {values[period]}, less than the period before"
                f" ({values[period - 1]}): give cumulative values"
            )
    if values[-1] == 0:
        raise ValueError("cumulative_pv plans no value at all: earned schedule is not defined")
    return values


def _planned_duration(baseline: list[Decimal], given: Amount | None) -> Decimal:
    if given is not None:
        duration = money(given, "planned_duration")
        if duration == 0:
            raise ValueError("planned_duration must be more than 0")
        return duration
    budget = baseline[-1]
    return Decimal(next(period for period, value in enumerate(baseline) if value >= budget))


def _earned_time(baseline: list[Decimal], ev: Decimal, duration: Decimal) -> Decimal:
    """C + I: the whole periods (up to PD) whose cumulative PV the EV reaches, as Lipke counts
    them, plus the interpolated fraction of the next."""
    last = min(len(baseline) - 1, int(duration))
    whole = 0
    while whole < last and baseline[whole + 1] <= ev:
        whole += 1
    if whole == last:
        return Decimal(whole)
    step = baseline[whole + 1] - baseline[whole]
    return Decimal(whole) + (ev - baseline[whole]) / step


@dataclass(frozen=True)
class EvmPeriod:
    """One status period of the series: its number (AT) and both sets of measures."""

    period: int
    earned_value: EarnedValue
    earned_schedule: EarnedSchedule


def evm_series(
    cumulative_pv: Sequence[Amount],
    cumulative_ev: Sequence[Amount],
    cumulative_ac: Sequence[Amount],
    *,
    bac: Amount | None = None,
    planned_duration: Amount | None = None,
) -> list[EvmPeriod]:
    """Earned value and earned schedule at the end of each period reported so far.

    The baseline `cumulative_pv` covers the whole plan; EV and AC cover the periods elapsed
    (the same number of each, at most as many as the baseline has; a late project's series
    may run past the baseline, whose PV then stays at BAC). BAC defaults to the baseline's
    last cumulative PV.
    """
    if len(cumulative_ev) != len(cumulative_ac):
        raise ValueError(
            f"{len(cumulative_ev)} EV values but {len(cumulative_ac)} AC values: give one per period"
        )
    baseline = _baseline(cumulative_pv)
    budget = baseline[-1] if bac is None else money(bac, "bac")
    series = []
    for period, (ev, ac) in enumerate(zip(cumulative_ev, cumulative_ac, strict=True), start=1):
        pv = baseline[min(period, len(baseline) - 1)]
        series.append(
            EvmPeriod(
                period=period,
                earned_value=earned_value(pv, ev, ac, budget),
                earned_schedule=earned_schedule(baseline[1:], ev, period, planned_duration),
            )
        )
    return series


@dataclass(frozen=True)
class Measures:
    """The additive measures of a task, work package, phase, project, program or portfolio."""

    pv: Decimal = ZERO
    ev: Decimal = ZERO
    ac: Decimal = ZERO
    bac: Decimal = ZERO
    etc_bottom_up: Decimal | None = None  # None: no bottom-up estimate to complete

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                object.__setattr__(self, field.name, money(value, field.name))

    def __add__(self, other: Measures) -> Measures:
        etc = None
        if self.etc_bottom_up is not None or other.etc_bottom_up is not None:
            etc = (self.etc_bottom_up or ZERO) + (other.etc_bottom_up or ZERO)
        return Measures(self.pv + other.pv, self.ev + other.ev, self.ac + other.ac, self.bac + other.bac, etc)

    def earned_value(self) -> EarnedValue:
        """Indices and estimates recomputed from these sums."""
        return earned_value(self.pv, self.ev, self.ac, self.bac, etc_bottom_up=self.etc_bottom_up)


def roll_up(measures: Iterable[Measures]) -> Measures:
    """The sum of several items' measures. A bottom-up ETC is summed over the items that have
    one; an item without one counts as none to complete (give every item one, or none)."""
    total = Measures()
    for item in measures:
        total = total + item
    return total


def roll_up_tree(measures: Mapping[str, Measures], parent: Mapping[str, str | None]) -> dict[str, Measures]:
    """Each node's own measures plus all its descendants': tasks into phases, phases into
    projects, projects into programs and portfolios.

    `measures` gives the nodes that carry measures of their own (usually the leaves);
    `parent` maps each node to its parent (None or absent at the top). Every node named in
    either gets a total. A cycle in `parent` raises ValueError.
    """
    nodes = set(measures) | set(parent) | {up for up in parent.values() if up is not None}
    totals = {node: measures.get(node, Measures()) for node in nodes}
    for node, own in measures.items():
        for ancestor in _ancestors(node, parent):
            totals[ancestor] = totals[ancestor] + own
    return totals


def _ancestors(node: str, parent: Mapping[str, str | None]) -> list[str]:
    chain, seen, up = [], {node}, parent.get(node)
    while up is not None:
        if up in seen:
            raise ValueError(f"the hierarchy has a cycle through {up!r}")
        seen.add(up)
        chain.append(up)
        up = parent.get(up)
    return chain

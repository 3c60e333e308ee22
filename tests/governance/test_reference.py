"""Reference-class forecasts from the closed-project history, checked against quantiles computed
by hand (linear interpolation between order statistics: Q(p) = x_k + f·(x_{k+1} − x_k) with
(n − 1)·p = (k − 1) + f)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from itpm.governance.models import ForecastProfile, ProjectOutcome
from itpm.governance.reference import reference_forecast
from tests.conftest import World

# Five closed ERP projects, each planned at 100 days and €1,000,000.
# Duration ratios sorted: 1.0, 1.1, 1.2, 1.5, 3.0.  Cost ratios sorted: 0.9, 1.0, 1.2, 1.27, 2.0.
DURATIONS = (100, 110, 120, 150, 300)
COSTS = (Decimal("1000000"), Decimal("1200000"), Decimal("900000"), Decimal("2000000"), Decimal("1270000"))


def _history(world: World) -> None:
    for number, (days, cost) in enumerate(zip(DURATIONS, COSTS, strict=True)):
        ProjectOutcome.objects.create(
            name=f"ERP {number}",
            project_type="erp",
            planned_duration_days=100,
            actual_duration_days=days,
            planned_cost=Decimal(1_000_000),
            actual_cost=cost,
            closed_on=dt.date(2024, 1, 1),
        )
    # Not in the class: another type, and a project whose final cost is not known.
    ProjectOutcome.objects.create(
        name="CRM", project_type="crm", planned_duration_days=100, actual_duration_days=900,
        planned_cost=Decimal(1), actual_cost=Decimal(50), closed_on=dt.date(2024, 1, 1),
    )  # fmt: skip
    ProjectOutcome.objects.create(
        name="ERP, cost unknown", project_type="erp", planned_duration_days=100, actual_duration_days=120,
        planned_cost=Decimal(1_000_000), actual_cost=None, closed_on=dt.date(2024, 1, 1),
    )  # fmt: skip
    ForecastProfile.objects.create(project=world.project, project_type="erp")


def test_quantiles_and_uplifts_match_the_hand_computation(world: World) -> None:
    _history(world)
    forecast = reference_forecast(world.project)
    # Durations: six ERP projects now (the one of unknown cost counts): 1.0, 1.1, 1.2, 1.2, 1.5, 3.0.
    # P80: (6 − 1)·0.8 = 4 → x5 = 1.5, uplift +50 %; P50: 2.5 → 1.2; P90: 4.5 → 1.5 + 0.5·1.5 = 2.25.
    assert forecast.schedule_count == 6
    overruns = dict(forecast.schedule_overruns)
    assert overruns["P50"] == Decimal("0.2") and overruns["P80"] == Decimal("0.5")
    assert overruns["P90"] == Decimal("1.25") and overruns["P10"] == Decimal("0.05")
    # Costs: five known: 0.9, 1.0, 1.2, 1.27, 2.0. P80: 4·0.8 = 3.2 → 1.27 + 0.2·0.73 = 1.416.
    assert forecast.cost_count == 5
    p80 = forecast.at("P80")
    assert p80 is not None
    assert p80.cost_uplift == Decimal("0.416")
    assert p80.budget == Decimal("1699200.00")  # the €1.2M budget × 1.416
    # The planned 347 days (5 Jan to 18 Dec 2026) × 1.5 = 520.5, rounded up: 521 days after the start.
    assert p80.finish == dt.date(2026, 1, 5) + dt.timedelta(days=521)
    assert forecast.at("P50").finish == dt.date(2026, 1, 5) + dt.timedelta(days=417)  # 347 × 1.2 = 416.4


def test_a_class_without_history_says_so(world: World) -> None:
    forecast = reference_forecast(world.project)  # type "other", nothing closed
    assert forecast.schedule_count == 0 and forecast.schedule_overruns == []
    assert forecast.at("P80").finish is None and "no reference class" in forecast.note


def test_the_api_hides_money_from_roles_without_the_budget(world: World) -> None:
    _history(world)
    path = f"/api/v1/projects/{world.project.pk}/reference-forecast"
    viewer, member = Client(), Client()
    viewer.force_login(world.viewer)
    member.force_login(world.member)
    seen = viewer.get(path).json()
    assert seen["project_type"] == "erp" and seen["schedule_count"] == 6
    assert Decimal(seen["schedule_overruns"]["P80"]) == Decimal("0.5")
    assert Decimal(seen["certainties"][1]["budget"]) == Decimal("1699200.00")
    hidden = member.get(path).json()
    assert hidden["cost_overruns"] == {} and hidden["certainties"][1]["budget"] is None
    assert hidden["certainties"][1]["finish"] == seen["certainties"][1]["finish"]
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(path).status_code == 404

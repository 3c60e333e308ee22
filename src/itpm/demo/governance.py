"""Risk and forecasts in the demo: a history of closed projects, quantified risks and uncertainty
for the projects in flight, and a stored Monte Carlo run for each, so the Forecast page answers
"will we make it, and how sure are we?" out of the box.

The history is generated with a fixed seed and fat tails, the shape published studies of IT
projects report (Flyvbjerg & Budzier, "Why your IT project may be riskier than you think",
HBR 2011: 1,471 projects, mean cost overrun 27 %, and one in six a "black swan" with a cost
overrun of about 200 % and a schedule overrun of about 70 %). Most projects here land within
a few tens of percent of plan; a minority overrun by a multiple (a Pareto tail), more often for
ERP than for infrastructure.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.governance.forecasting import RunRequest, do_run_simulation
from itpm.governance.models import ForecastProfile, ProjectOutcome, Risk, TaskEstimate
from itpm.governance.services import do_record_outcome
from itpm.planning.models import Task
from itpm.portfolio.models import Project

SEED = 2011
# type → (closed projects, chance of a black swan, planned days range, planned cost range in €k)
CLASSES = {
    "erp": (12, 0.25, (240, 600), (1500, 9000)),
    "crm": (10, 0.18, (150, 360), (400, 2500)),
    "infrastructure": (12, 0.09, (90, 300), (300, 3000)),
    "web-mobile": (10, 0.15, (60, 240), (150, 1200)),
    "data": (10, 0.17, (120, 330), (300, 2200)),
    "other": (6, 0.12, (90, 270), (150, 900)),
}
NAMES = {
    "erp": (
        "Finance ERP consolidation",
        "Payroll replacement",
        "Procure-to-pay",
        "ERP upgrade",
        "HR core system",
    ),
    "crm": ("Sales CRM rollout", "Customer service platform", "Partner portal", "Marketing automation"),
    "infrastructure": ("Data-centre refresh", "WAN replacement", "Storage migration", "Backup modernisation"),
    "web-mobile": ("Customer app", "Intranet relaunch", "E-commerce replatform", "Field service app"),
    "data": ("Data warehouse", "Master data management", "Reporting platform", "Data lake"),
    "other": ("GDPR remediation", "ISO 27001 certification", "Licence compliance", "PCI DSS programme"),
}
COUNTRIES = ("IE", "UK", "DE", "group")

# The demo's projects by reference class.
PROJECT_TYPES = {
    "ERP-S4": "erp",
    "ITSM-SD": "crm",
    "DCX-AZURE": "infrastructure",
    "NET-BRANCH": "infrastructure",
    "M365-T2T": "infrastructure",
    "EUC-WIN11": "infrastructure",
    "DATA-PLAT": "data",
    "MOB-FIELD": "web-mobile",
    "SEC-ISO27K": "other",
}
UNCERTAINTY = {"ERP-S4": "development", "DCX-AZURE": "development", "DATA-PLAT": "novel"}


def write_governance(anchor: dt.date) -> None:
    """Once, from the demo loader, after finance: history, profiles, risks, estimates, runs."""
    write_history(anchor)
    for project in Project.objects.filter(code__in=PROJECT_TYPES).order_by("code"):
        ForecastProfile.objects.create(
            project=project,
            project_type=PROJECT_TYPES[project.code],
            uncertainty=UNCERTAINTY.get(project.code, "standard"),
        )
        if project.status == "closed":
            do_record_outcome(project, closed_on=project.planned_finish)
            continue
        write_estimates(project)
        write_risks(project)
        do_run_simulation(project, RunRequest(10_000, SEED, project.planned_finish, project.budget or None))


# ---- the organisation's history -------------------------------------------------------------------


def write_history(anchor: dt.date) -> None:
    rng = random.Random(SEED)
    rows = []
    for project_type, (count, swan_chance, days, cost) in CLASSES.items():
        for number in range(count):
            rows.append(_closed_project(rng, anchor, project_type, number, swan_chance, days, cost))
    ProjectOutcome.objects.bulk_create(rows)


def _overruns(rng: random.Random, swan: bool) -> tuple[float, float, float]:
    """(schedule overrun, cost overrun, scope delivered %): black swans overrun by a multiple."""
    if swan:
        cost = 0.9 + (rng.paretovariate(2.2) - 1) * 1.6  # mean about 2.2, a long tail
        schedule = 0.35 + (rng.paretovariate(2.5) - 1) * 0.5
        return schedule, cost, rng.uniform(60, 90)
    schedule = rng.lognormvariate(-2.1, 0.7) - 0.05  # mostly 0 to +30 %, a few early
    cost = rng.gauss(0.03, 0.14)
    return schedule, max(cost, -0.3), rng.uniform(85, 100)


def _closed_project(
    rng: random.Random,
    anchor: dt.date,
    project_type: str,
    number: int,
    swan_chance: float,
    days: tuple[int, int],
    cost: tuple[int, int],
) -> ProjectOutcome:
    schedule, overrun, scope = _overruns(rng, rng.random() < swan_chance)
    planned_days = rng.randint(*days)
    planned_cost = Decimal(rng.randint(*cost) * 1000)
    name = f"{rng.choice(NAMES[project_type])} ({rng.choice(COUNTRIES)}, {number + 1})"
    closed = anchor - dt.timedelta(days=rng.randint(60, 8 * 365))
    return ProjectOutcome(
        name=name,
        project_type=project_type,
        planned_duration_days=planned_days,
        actual_duration_days=max(1, round(planned_days * (1 + schedule))),
        planned_cost=planned_cost,
        actual_cost=(planned_cost * Decimal(repr(round(1 + overrun, 4)))).quantize(Decimal("0.01")),
        scope_delivered_percent=Decimal(repr(round(scope, 1))),
        closed_on=closed,
        notes="Demo history: generated with a fixed seed and fat-tailed overruns.",
    )


# ---- uncertainty and risks of the projects in flight ---------------------------------------------

CATEGORY_WORDS = (
    ("data migration", ("migrat", "mock load", "cleanse", "extract", "reconcile")),
    ("testing", ("test", "uat", "rehearsal", "pilot")),
    ("integration", ("interface", "integrat", "api")),
    ("procurement", ("procure", "tender", "order", "contract", "select ")),
    ("training", ("train",)),
    ("deployment", ("cutover", "cut-over", "go-live", "rollout", "roll out", "deploy", "wave")),
    ("design", ("design", "architecture", "concept")),
    ("analysis", ("workshop", "requirement", "analys", "assess", "discovery")),
    ("development", ("configure", "build", "develop", "enhancement", "report:", "form:", "conversion")),
    ("infrastructure", ("install", "provision", "network", "server", "site", "firewall", "landing zone")),
    ("documentation", ("document", "runbook", "policy")),
    ("management", ("plan", "board", "mobilise", "business case", "pid", "stage", "close")),
)


def category_of(name: str) -> str | None:
    lowered = name.lower()
    for category, words in CATEGORY_WORDS:
        if any(word in lowered for word in words):
            return category
    return None


def write_estimates(project: Project) -> None:
    """A kind of work for every task the words of its name tell, and three points of their own
    for the five longest tasks, as a project manager would estimate the big ones."""
    leaves = list(project.tasks.filter(is_summary=False, is_milestone=False).order_by("-duration_days", "id"))
    rows = []
    for place, task in enumerate(leaves):
        category = category_of(task.name) or ""
        if place < 5 and task.duration_days >= 5:
            days = task.duration_days
            rows.append(_three_point(task, category, days))
        elif category:
            rows.append(TaskEstimate(task=task, category=category))
    TaskEstimate.objects.bulk_create(rows)


def _three_point(task: Task, category: str, days: Decimal) -> TaskEstimate:
    return TaskEstimate(
        task=task,
        category=category,
        optimistic_days=(days * Decimal("0.85")).quantize(Decimal("0.01")),
        most_likely_days=days,
        pessimistic_days=(days * Decimal("1.9")).quantize(Decimal("0.01")),
        distribution="pert",
    )


# (title, category, probability, delay O/M/P days, cost O/M/P €k, words naming the tasks it hits)
RISKS = (
    ("Key users not released for workshops and testing", "resources", "0.35", (2, 5, 12), (0, 15, 45),
     ("workshop", "test", "user acceptance")),
    ("Supplier delivers late", "supplier", "0.25", (3, 6, 15), (5, 25, 80),
     ("order", "deliver", "install", "provision", "procure")),
    ("Data quality worse than assumed", "technical", "0.30", (3, 8, 20), (10, 40, 120),
     ("migrat", "mock load", "cleanse", "data")),
    ("Interfaces fail end-to-end testing", "technical", "0.20", (2, 5, 12), (5, 20, 60),
     ("interface", "integration", "end-to-end")),
    ("Scope grows after design sign-off", "requirements", "0.25", (3, 8, 20), (15, 60, 200),
     ("configure", "build", "develop", "design")),
    ("Change freeze moves the cut-over", "organisational", "0.15", (2, 5, 10), (0, 10, 30),
     ("cutover", "cut-over", "go-live", "wave", "rollout")),
)  # fmt: skip


RISK_SIZED_FOR = Decimal(1_500_000)


def _thousands(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1)) * 1000


def _longest(task: Task) -> tuple[Decimal, int]:
    return (-task.duration_days, task.pk)


def risk_scale(project: Project) -> Decimal:
    """The cost impacts above are sized for a project of about €1.5m: a smaller one's scope
    creep costs less, a larger one's more (so a €150k project's risks are not half its budget)."""
    scale = (project.budget or RISK_SIZED_FOR) / RISK_SIZED_FOR
    return min(max(scale, Decimal("0.3")), Decimal("1.5"))


def write_risks(project: Project) -> None:
    leaves = list(project.tasks.filter(is_summary=False).order_by("order", "id"))
    owner = project.manager
    scale = risk_scale(project)
    for title, category, probability, delay, cost, words in RISKS:
        # A risk strikes once, where the plan is exposed: the longest task its words name.
        hit = sorted((t for t in leaves if any(word in t.name.lower() for word in words)), key=_longest)[:1]
        if not hit:
            continue
        risk = Risk.objects.create(
            project=project,
            title=title,
            category=category,
            owner=owner,
            probability=Decimal(probability),
            schedule_optimistic_days=delay[0],
            schedule_likely_days=delay[1],
            schedule_pessimistic_days=delay[2],
            cost_optimistic=_thousands(cost[0] * scale),
            cost_likely=_thousands(cost[1] * scale),
            cost_pessimistic=_thousands(cost[2] * scale),
        )
        risk.tasks.set(hit)

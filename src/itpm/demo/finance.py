"""Money of the demo: exchange rates, cost rates with a rate-card uplift, a realistic list of
purchases and fixed costs per project, and budget lines sized from the planned cost.

Runs once from the demo loader, after the schedules, baselines, progress and timesheets, so
that the budget follows the plan the way a project manager would build it: labour from the
costed schedule, purchases from the suppliers' quotes, then contingency and a management
reserve on top. The project record's budget is set to the sum of the lines. The branch network
refresh runs in pounds sterling and some licences are bought in US dollars, so the portfolio
roll-up has something to convert.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from itpm.finance.costs import project_money
from itpm.finance.models import BudgetLine, CostRate, ExchangeRate, FixedCost, Purchase
from itpm.finance.rates import ExchangeTable
from itpm.planning.models import Task
from itpm.portfolio.models import Project
from itpm.resources.models import Resource, ResourceKind

D = Decimal
UPLIFT = D("1.035")  # next year's rate card
CAPEX_LABOUR = {"ERP-S4": D("0.7"), "DCX-AZURE": D("0.6"), "NET-BRANCH": D("0.6"), "ITSM-SD": D("0.5")}
CAPEX_LABOUR |= {"DATA-PLAT": D("0.6")}
POUNDS = {"NET-BRANCH"}
CONTINGENCY, RESERVE = D("0.08"), D("0.05")

# (what, category, type, supplier, where in the project 0..1, amount, currency)
PURCHASES: dict[str, list[tuple[str, str, str, str, float, int, str]]] = {
    "ERP-S4": [
        ("SAP S/4HANA user licences", "software", "capex", "SAP Ireland", 0.04, 620_000, "EUR"),
        ("RISE private cloud subscription, year 1", "services", "opex", "SAP Ireland", 0.12, 280_000, "EUR"),
        ("Data migration tool licence", "software", "capex", "Syniti", 0.2, 92_000, "USD"),
        (
            "Systems integrator: design and build",
            "services",
            "capex",
            "Northbridge Consulting",
            0.35,
            540_000,
            "EUR",
        ),
        (
            "Training environment and materials",
            "services",
            "opex",
            "Northbridge Consulting",
            0.78,
            45_000,
            "EUR",
        ),
        ("Hyper-care support retainer", "services", "opex", "SAP Ireland", 0.95, 60_000, "EUR"),
    ],
    "DCX-AZURE": [
        ("Migration assessment", "services", "opex", "Microsoft Ireland", 0.03, 40_000, "EUR"),
        ("ExpressRoute circuits, year 1", "services", "opex", "Colt Technology", 0.1, 36_000, "EUR"),
        ("Migration factory partner", "services", "capex", "CloudShift Partners", 0.3, 260_000, "EUR"),
        ("Azure reserved instances, 3 years", "software", "opex", "Microsoft Ireland", 0.45, 310_000, "USD"),
        ("Secure data wipe of retired hardware", "services", "opex", "Renew IT", 0.92, 18_000, "EUR"),
    ],
    "NET-BRANCH": [
        (
            "Site surveys and structured cabling",
            "services",
            "capex",
            "Pennine Network Services",
            0.08,
            95_000,
            "GBP",
        ),
        (
            "Catalyst access switches, 12 sites",
            "hardware",
            "capex",
            "Pennine Network Services",
            0.15,
            420_000,
            "GBP",
        ),
        (
            "Meraki wireless access points",
            "hardware",
            "capex",
            "Pennine Network Services",
            0.22,
            180_000,
            "GBP",
        ),
        ("SD-WAN licences, 3 years", "software", "opex", "Cisco Systems", 0.3, 150_000, "USD"),
        (
            "Out-of-hours installation crews",
            "services",
            "opex",
            "Pennine Network Services",
            0.6,
            60_000,
            "GBP",
        ),
    ],
    "SEC-ISO27K": [
        ("SIEM licences, year 1", "software", "opex", "Elastic", 0.15, 48_000, "USD"),
        ("External penetration test", "services", "opex", "Redline Security", 0.5, 22_000, "EUR"),
        (
            "ISO 27001 certification audit, stages 1 and 2",
            "services",
            "opex",
            "BSI Group",
            0.9,
            18_000,
            "EUR",
        ),
    ],
    "ITSM-SD": [
        ("ServiceNow ITSM subscription, year 1", "software", "opex", "ServiceNow", 0.06, 165_000, "USD"),
        (
            "Implementation partner sprint team",
            "services",
            "capex",
            "Flowstate Consulting",
            0.25,
            90_000,
            "EUR",
        ),
        ("Legacy ticket migration", "services", "opex", "Flowstate Consulting", 0.7, 15_000, "EUR"),
    ],
    "M365-T2T": [
        ("Tenant migration tool licences", "software", "opex", "Quest Software", 0.05, 28_000, "USD"),
        ("Migration consultancy", "services", "opex", "Northbridge Consulting", 0.3, 24_000, "EUR"),
    ],
    "MOB-FIELD": [
        ("Mobile device management licences", "software", "opex", "Ivanti", 0.2, 18_000, "EUR"),
        ("Rugged tablets for the pilot", "hardware", "capex", "Dell Technologies", 0.3, 42_000, "EUR"),
    ],
    "DATA-PLAT": [
        ("Data warehouse capacity commitment", "software", "opex", "Snowflake", 0.2, 250_000, "USD"),
        ("Data platform partner", "services", "capex", "Northbridge Consulting", 0.3, 180_000, "EUR"),
    ],
    "EUC-WIN11": [
        ("Laptops, 1,200 units", "hardware", "capex", "Dell Technologies", 0.35, 780_000, "EUR"),
        ("Imaging and deployment services", "services", "opex", "Dell Technologies", 0.5, 95_000, "EUR"),
    ],
}
# Task-name words that bring a fixed cost: (word, what, category, accrual, amount)
FIXED = (
    ("train", "Trainer and venue", "services", "start", 6_000),
    ("workshop", "Workshop facilitation", "services", "start", 2_500),
    ("test", "Test tooling licence", "software", "prorated", 4_000),
    ("cut-over", "Weekend cut-over support", "services", "finish", 8_000),
    ("go-live", "Go-live command centre", "services", "finish", 5_000),
    ("audit", "Auditor travel", "services", "finish", 3_000),
)


def write_finance(anchor: dt.date) -> None:
    """One call from the demo loader, after progress and timesheets."""
    _exchange_rates(anchor)
    _cost_rates(anchor)
    for project in Project.objects.filter(code__in=PURCHASES).select_related("calendar").order_by("code"):
        if project.code in POUNDS:
            project.currency = "GBP"
            Project.objects.filter(pk=project.pk).update(currency="GBP")
        _purchases(project, anchor)
        _fixed_costs(project)
        _budget_lines(project, anchor)


def _exchange_rates(anchor: dt.date) -> None:
    rates = (("GBP", ("0.8550", "0.8600", "0.8450")), ("USD", ("1.0800", "1.1050", "1.1200")))
    ExchangeRate.objects.bulk_create(
        ExchangeRate(
            base_currency="EUR",
            quote_currency=quote,
            rate=D(rate),
            effective_from=anchor - dt.timedelta(days=days),
        )
        for quote, values in rates
        for rate, days in zip(values, (400, 180, 30), strict=True)
    )


def _cost_rates(anchor: dt.date) -> None:
    """Each resource's rate card: today's rate since two years back, 3.5 % more from next January;
    overtime at time and a half for staff, a quarter more for contractors."""
    since, uplift_from = anchor.replace(year=anchor.year - 2, day=1), dt.date(anchor.year + 1, 1, 1)
    rows = []
    for resource in Resource.objects.filter(cost_rate__gt=0):
        overtime = D("1.25") if resource.kind == ResourceKind.CONTRACTOR else D("1.5")
        for start, rate in ((since, resource.cost_rate), (uplift_from, _round(resource.cost_rate * UPLIFT))):
            rows.append(
                CostRate(
                    resource=resource, standard_rate=rate, overtime_rate=_round(rate * overtime),
                    currency=resource.currency, effective_from=start,
                )
            )  # fmt: skip
    CostRate.objects.bulk_create(rows)


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _thousands(amount: Decimal) -> Decimal:
    return (amount / 1000).quantize(D(1), rounding=ROUND_HALF_UP) * 1000


def _status(day: dt.date, anchor: dt.date, project: Project) -> str:
    if project.status == "closed":
        return "paid"
    if project.status in ("proposed", "planning"):
        return "planned"
    age = (anchor - day).days
    if age > 45:
        return "paid"
    if age > 14:
        return "invoiced"
    if age >= 0:
        return "received"
    return "committed" if age > -90 else "planned"


def _purchases(project: Project, anchor: dt.date) -> None:
    span = (project.planned_finish - project.planned_start).days
    rows = []
    for number, (what, category, kind, supplier, at, amount, currency) in enumerate(
        PURCHASES[project.code], 1
    ):
        day = project.planned_start + dt.timedelta(days=round(span * at))
        rows.append(
            Purchase(
                project=project, description=what, category=category, cost_type=kind, supplier=supplier,
                date=day, amount=D(amount), currency=currency, status=_status(day, anchor, project),
                reference=f"PO-{project.pk:02d}{number:03d}",
            )
        )  # fmt: skip
    Purchase.objects.bulk_create(rows)


def _fixed_costs(project: Project) -> None:
    tasks = Task.objects.filter(project=project, is_summary=False, is_milestone=False).order_by("order", "id")
    used: set[str] = set()
    rows = []
    for task in tasks:
        for word, what, category, accrual, amount in FIXED:
            if word in task.name.lower() and word not in used:
                used.add(word)
                rows.append(
                    FixedCost(
                        task=task, name=what, category=category, cost_type="opex", amount=D(amount),
                        currency=project.currency, accrual=accrual,
                    )
                )  # fmt: skip
                break
    FixedCost.objects.bulk_create(rows)


def _budget_lines(project: Project, anchor: dt.date) -> None:
    """Labour from the costed schedule plus 8 %, purchases from the quotes plus 5 %, then
    contingency and management reserve; rounded to the thousand, as budgets are approved."""
    money = project_money(project, status_date=anchor)
    planned: dict[str, Decimal] = {}
    for task in money.tasks.values():
        for category, amount in task.planned_by_category.items():
            planned[category] = planned.get(category, D(0)) + amount
    purchases = _purchase_totals(project, anchor)
    lines = _labour_lines(project, planned.pop("labour", D(0)) * D("1.08"))
    for (category, kind), amount in sorted(purchases.items()):
        lines.append(
            (category, kind, "Quoted purchases plus 5 %", amount * D("1.05") + planned.pop(category, D(0)))
        )
    lines += [(category, "opex", "Fixed costs of tasks", amount) for category, amount in planned.items()]
    subtotal = sum((amount for *_, amount in lines), D(0))
    lines.append(("contingency", "opex", "Known risks, 8 %", subtotal * CONTINGENCY))
    lines.append(
        ("management-reserve", "opex", "Unknown risks, 5 %, held by the sponsor", subtotal * RESERVE)
    )
    rows = [
        BudgetLine(project=project, category=category, cost_type=kind, description=text,
                   amount=_thousands(amount), currency=project.currency)
        for category, kind, text, amount in lines
        if amount > 0
    ]  # fmt: skip
    BudgetLine.objects.bulk_create(rows)
    Project.objects.filter(pk=project.pk).update(budget=sum((row.amount for row in rows), D(0)))


def _labour_lines(project: Project, labour: Decimal) -> list[tuple[str, str, str, Decimal]]:
    capex = CAPEX_LABOUR.get(project.code, D(0))
    lines = [("labour", "capex", "Build labour, capitalised", labour * capex)] if capex else []
    lines.append(("labour", "opex", "Labour from the costed schedule plus 8 %", labour * (1 - capex)))
    return lines


def _purchase_totals(project: Project, anchor: dt.date) -> dict[tuple[str, str], Decimal]:
    fx = ExchangeTable.load()
    totals: dict[tuple[str, str], Decimal] = {}
    for purchase in Purchase.objects.filter(project=project):
        amount = fx.convert(purchase.amount, purchase.currency, project.currency, anchor) or D(0)
        key = (purchase.category, purchase.cost_type)
        totals[key] = totals.get(key, D(0)) + amount
    return totals

"""Two smaller projects: a data platform proposal, and a field-service app put on hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itpm.demo.projects.common import project_rng, vary, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import WbsBuilder

DATA = "DATA-PLAT"
FIELD = "MOB-FIELD"

FIELD_SPRINTS = (
    (
        "Sign in and see today's jobs",
        "Job list synced from the scheduling system",
        "Offline storage of work orders",
    ),
    ("Navigate to the customer site", "Record time on a job", "Capture photos and notes"),
    ("Customer signature on completion", "Parts used from van stock", "Push notifications for urgent jobs"),
    (
        "Order parts from the warehouse",
        "Job completion report e-mailed to the customer",
        "Accessibility review and fixes",
    ),
    (
        "Service orders from S/4HANA (interface)",
        "Billing trigger to S/4HANA",
        "Crash reporting and analytics",
    ),
    ("App store release pipeline", "Pilot with 15 engineers in Manchester", "Performance on low-end devices"),
)


def data_platform(anchor: dt.date) -> ProjectSpec:
    b = WbsBuilder()
    _data_plan(b)
    tasks, links = b.build()
    return ProjectSpec(
        code=DATA,
        name="Enterprise data platform",
        description="A governed lakehouse for finance, sales and operations reporting, fed from "
        "S/4HANA, CRM and the service desk; proposed to the investment committee.",
        methodology="hybrid",
        status="proposed",
        rag="green",
        program="Digital Core",
        sponsor="sponsor",
        manager="ruth.adeyemi",
        start=weeks_from(anchor, 8),
        budget=Decimal("1240000"),
        business_case="Finance builds 40 spreadsheets by hand each month; a single governed source "
        "of truth saves 3 FTE of manual reporting and is a prerequisite for margin analytics.",
        calendar="IE",
        goals=(
            GoalSpec(
                "One source of truth for finance reporting",
                "Management accounts produced from the platform without manual spreadsheets",
            ),
            GoalSpec("Trusted data", "Data quality rules on all critical data elements; 98 % passing"),
        ),
        phases=(
            PhaseSpec("Business case", "Investment committee approves funding"),
            PhaseSpec("Foundation", "Platform accepted by security and operations"),
            PhaseSpec("First use cases", "Minimum viable product in use"),
        ),
        tasks=tasks,
        links=links,
        stakeholders=("brendan.doyle",),
        progress=ProgressSpec(status_date=None),
        baseline=False,
    )


def _data_plan(b: WbsBuilder) -> None:
    rng = project_rng(DATA)
    with b.summary("Discovery and business case", phase="Business case"):
        interviews = b.task("Stakeholder interviews and reporting pain points", 8, who="lena.wagner")
        domains = b.task(
            "Data domain and source system inventory", 6, who="lena.wagner", after=[(interviews, "SS", 2)]
        )
        usecases = b.task(
            "Use-case prioritisation with the business",
            4,
            who=["ruth.adeyemi", ("mairead.lynch", 0.5)],
            after=interviews,
        )
        options = b.task(
            "Target architecture options and vendor comparison",
            8,
            who=["lena.wagner", ("niall.ryan", 0.5)],
            after=domains,
        )
        case = b.task("Business case and funding request", 5, who="ruth.adeyemi", after=[usecases, options])
        decision = b.milestone("Investment committee decision", after=case, priority=900)
    with b.summary("Platform foundation", phase="Foundation"):
        workspace = b.task(
            "Lakehouse workspaces, storage and networking",
            vary(rng, 8),
            who=["lena.wagner", "role:cloud"],
            after=decision,
        )
        work = [
            b.task(name, vary(rng, days), who=who, after=[(workspace, "SS", 3)])
            for name, days, who in (
                ("Ingestion framework and source connectors", 12, "lena.wagner"),
                ("Data catalogue and lineage", 6, "lena.wagner"),
                ("Access model and row-level security", 5, "hannah.keller"),
                ("CI/CD for data pipelines", 6, "role:developer"),
            )
        ]
        ready = b.milestone("Platform accepted by security and operations", after=work)
    with b.summary("Data governance", phase="Foundation"):
        owners = b.task("Appoint data owners and stewards", 5, who="ruth.adeyemi", after=decision)
        rules = b.task(
            "Data quality rules for critical data elements", 10, who="lena.wagner", after=[(owners, "FS", 0)]
        )
        glossary = b.task("Business glossary", 8, who=("mairead.lynch", 0.5), after=[(owners, "SS", 2)])
    with b.summary("First use cases", phase="First use cases"):
        cases = [
            b.task(name, vary(rng, 12), who=who, after=[ready, rules])
            for name, who in (
                ("Finance: management accounts and margin analysis", "lena.wagner"),
                ("Sales pipeline analytics", "role:developer"),
                ("Service desk performance analytics", "role:developer"),
            )
        ]
        b.milestone("Minimum viable product in use", after=[*cases, glossary])


def field_app(anchor: dt.date) -> ProjectSpec:
    """On hold since eight weeks ago: waiting for S/4HANA service orders from the ERP project."""
    b = WbsBuilder()
    _field_plan(b)
    tasks, links = b.build()
    phases = [PhaseSpec("Discovery", "Product vision agreed")]
    phases += [PhaseSpec(f"Sprint {n}", f"Sprint {n} review") for n in range(1, len(FIELD_SPRINTS) + 1)]
    return ProjectSpec(
        code=FIELD,
        name="Field service mobile app",
        description="A mobile app for 120 field engineers: jobs, offline work orders, parts, "
        "photos and customer signatures. On hold until S/4HANA service orders are live.",
        methodology="agile-scrum",
        status="on-hold",
        rag="red",
        program="Digital Core",
        sponsor="richard.hale",
        manager="oliver.grant",
        start=weeks_from(anchor, -18),
        budget=Decimal("320000"),
        business_case="Paper job sheets cost two days of billing delay and 6 % of jobs are never "
        "billed; the app bills on completion and recovers about EUR 300k a year.",
        calendar="GB",
        goals=(
            GoalSpec("Paperless field service", "100 % of jobs closed in the app"),
            GoalSpec(
                "Bill on completion", "Median time from job completion to invoice below 1 day (today 6)"
            ),
        ),
        phases=tuple(phases),
        tasks=tasks,
        links=links,
        stakeholders=("sponsor",),
        progress=ProgressSpec(status_date=weeks_from(anchor, -8), late_share=0.3, pace=0.6),
        baseline=True,
    )


def _field_plan(b: WbsBuilder) -> None:
    rng = project_rng(FIELD)
    with b.summary("Discovery", phase="Discovery"):
        ride = b.task("Ride-alongs with field engineers", 5, who=["jessica.hughes", "oliver.grant"])
        vision = b.task("Product vision and story map", 3, who=["oliver.grant", "elena.popescu"], after=ride)
        design = b.task(
            "Clickable prototype and usability test",
            8,
            who=("jessica.hughes", 0.5),
            after=[(vision, "SS", 1)],
        )
        review = b.milestone("Product vision agreed", after=[vision, design])
    for number, stories in enumerate(FIELD_SPRINTS, start=1):
        with b.summary(f"Sprint {number}", phase=f"Sprint {number}"):
            built = [
                b.task(
                    story,
                    vary(rng, 5, 0.4),
                    who=["elena.popescu", ("ravi.sharma", 0.5)],
                    after=review,
                    effort=vary(rng, 30, 0.4),
                )
                for story in stories
            ]
            # The review closes a two-week timebox, however early the stories finish.
            review = b.milestone(f"Sprint {number} review", after=[*built, (review, "FS", 10)])

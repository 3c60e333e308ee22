"""ERP-S4: SAP S/4HANA finance, procurement and HR rollout, run in PRINCE2 stages."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.demo.projects.common import OUT_OF_HOURS, chain, project_rng, vary, weeks_from
from itpm.demo.projects.erp_scope import DEVELOPMENTS, MIGRATION_STEPS, MODULES, Module
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import After, WbsBuilder

CODE = "ERP-S4"
INITIATION, EXPLORE, REALISE, DEPLOY, CLOSE = (
    "Initiation stage",
    "Stage 2: Explore and design",
    "Stage 3: Realise (build and test)",
    "Stage 4: Deploy",
    "Stage 5: Hyper-care and closure",
)
PHASES = (
    PhaseSpec(INITIATION, "Project board approves the PID"),
    PhaseSpec(EXPLORE, "End stage assessment: solution design signed off"),
    PhaseSpec(REALISE, "End stage assessment: UAT exit, ready to deploy"),
    PhaseSpec(DEPLOY, "Go/no-go decision by the project board"),
    PhaseSpec(CLOSE, "Project board confirms closure and handover"),
)


def build(anchor: dt.date) -> ProjectSpec:
    rng = project_rng(CODE)
    b = WbsBuilder()
    approved = _initiation(b)
    designed = _explore(b, rng, approved)
    ready = _realise(b, rng, designed)
    live = _deploy(b, ready)
    _close(b, live)
    tasks, links = b.build()
    return ProjectSpec(
        code=CODE,
        name="S/4HANA finance, procurement and HR rollout",
        description="Replace the 15-year-old on-premise ERP and three payroll bureaus with SAP "
        "S/4HANA Cloud (finance, procurement) and SuccessFactors (HR, payroll for IE, DE, UK).",
        methodology="prince2",
        status="in-progress",
        rag="amber",
        program="Digital Core",
        sponsor="sponsor",
        manager="pm",
        start=weeks_from(anchor, -30),
        budget=Decimal("3400000"),
        business_case="Legacy ERP support ends next year; one finance template closes the books in "
        "5 days instead of 12, removes EUR 610k a year of bureau and licence costs, and gives the "
        "CFO group-wide procurement spend visibility. Payback in five and a half years.",
        calendar="IE",
        goals=_goals(),
        phases=PHASES,
        tasks=tasks,
        links=links,
        stakeholders=("brendan.doyle", "fiona.gallagher", "richard.hale"),
        progress=ProgressSpec(status_date=anchor, late_share=0.3, pace=0.8, behind_days=15),
        baseline=True,
    )


def _goals() -> tuple[GoalSpec, ...]:
    return (
        GoalSpec(
            "Close the books faster",
            "Month-end close in 5 working days by the third close after go-live (today 12)",
        ),
        GoalSpec(
            "Retire the legacy ERP and payroll bureaus",
            "Legacy contracts terminated; EUR 610k a year run cost removed",
        ),
        GoalSpec("One procurement process", "95 % of spend through purchase orders with approvals"),
        GoalSpec(
            "Pay everyone correctly on day one",
            "Zero payroll errors in the first two pay runs in each country",
        ),
    )


def _initiation(b: WbsBuilder) -> str:
    with b.summary("Initiation stage", phase=INITIATION):
        case = b.task("Confirm business case and benefits profile", 10, who=["pm", ("mairead.lynch", 0.5)])
        pid = b.task("Write project initiation documentation (PID)", 12, who="pm", after=[(case, "SS", 3)])
        approach = b.task(
            "Define risk, quality, change and communication approaches",
            8,
            who=[("admin", 0.5)],
            after=[(pid, "SS", 2)],
        )
        tender = b.task(
            "Select system integrator (tender evaluation)", 20, who=[("pm", 0.5), "conor.byrne"], after=case
        )
        mobilise = b.task("Mobilise project team and system integrator", 5, who="pm", after=tender)
        plan = b.task("Stage plan for Explore", 3, who="pm", after=[pid, approach])
        return b.milestone("Project board approves the PID", after=[mobilise, plan])


def _explore(b: WbsBuilder, rng: random.Random, approved: str) -> dict[str, str]:
    signed: dict[str, str] = {}
    with b.summary("Stage 2: Explore and design", phase=EXPLORE):
        sandbox = b.task("Provision S/4HANA starter system and sandbox", 8, who="conor.byrne", after=approved)
        for m in MODULES:
            with b.summary(f"{m.name} design"):
                steps = [(f"Fit-to-standard workshop: {w}", vary(rng, 4)) for w in m.workshops]
                done = chain(b, steps, who=[m.consultant, (m.lead, 0.5)], after=sandbox)
                doc = b.task(
                    f"{m.name} solution design document",
                    vary(rng, 8),
                    who=m.consultant,
                    after=[(done[-1], "FS", -2)],
                )
                signed[m.name] = b.milestone(f"{m.name} design signed off", after=doc)
        signed["cross"] = _cross_design(b, rng, sandbox)
        signed["gate"] = b.milestone("End stage assessment: design signed off", after=list(signed.values()))
    return signed


def _cross_design(b: WbsBuilder, rng: random.Random, sandbox: str) -> str:
    with b.summary("Integration, data and security design"):
        interfaces = b.task(
            "Integration architecture: banks, payroll provider, e-invoicing",
            vary(rng, 10),
            who="dev",
            after=sandbox,
        )
        data = b.task(
            "Data migration strategy and object list", vary(rng, 10), who="anna.schmidt", after=sandbox
        )
        roles = b.task(
            "Authorisation concept and business role design", vary(rng, 12), who="conor.byrne", after=sandbox
        )
        ricefw = b.task(
            "RICEFW inventory and estimates",
            vary(rng, 6),
            who=["conor.byrne", ("role:abap", 0.5)],
            after=[interfaces, (data, "FF", 0)],
        )
        return b.milestone("Integration and data design signed off", after=[ricefw, roles])


def _realise(b: WbsBuilder, rng: random.Random, signed: dict[str, str]) -> str:
    with b.summary("Stage 3: Realise (build and test)", phase=REALISE):
        built = [_configure(b, rng, m, signed[m.name]) for m in MODULES]
        developed = _developments(b, rng, signed["cross"])
        mocks = _migration(b, rng, signed["gate"])
        uat_exit = _testing(b, rng, [*built, *developed], mocks)
        return b.milestone("End stage assessment: ready to deploy", after=[uat_exit, mocks[-1]])


def _configure(b: WbsBuilder, rng: random.Random, m: Module, signed: str) -> str:
    """Two streams in parallel: the consultant team and the named lead consultant."""
    half = len(m.configuration) // 2
    with b.summary(f"{m.name} build"):
        team = chain(
            b, [(f"Configure: {c}", vary(rng, 8)) for c in m.configuration[:half]], who=m.role, after=signed
        )
        lead = chain(
            b,
            [(f"Configure: {c}", vary(rng, 8)) for c in m.configuration[half:]],
            who=m.consultant,
            after=signed,
        )
        return b.task(
            f"Unit test {m.name} configuration",
            vary(rng, 5),
            who=[m.role, (m.lead, 0.5)],
            after=[team[-1], lead[-1]],
        )


def _developments(b: WbsBuilder, rng: random.Random, designed: str) -> list[str]:
    with b.summary("Developments (RICEFW)"):
        spec = b.task(
            "Functional specifications for developments", vary(rng, 10), who="conor.byrne", after=designed
        )
        return [
            b.task(
                name,
                vary(rng, days),
                who=who,
                after=[(spec, "SS", 5)],
                priority=600 if "bank" in name else 500,
            )
            for name, who, days in DEVELOPMENTS
        ]


def _migration(b: WbsBuilder, rng: random.Random, designed: str) -> list[str]:
    mocks: list[str] = []
    with b.summary("Data migration"):
        cleanse = b.task(
            "Cleanse master data in legacy systems",
            40,
            who=[("anna.schmidt", 0.5), ("mairead.lynch", 0.5)],
            after=designed,
        )
        previous = cleanse
        for number, name in enumerate(("Mock load 1", "Mock load 2", "Mock load 3"), start=1):
            label = f"{name} (dress rehearsal data)" if number == 3 else name
            with b.summary(label):
                after: After = [(previous, "FS", 10)] if number > 1 else [(cleanse, "SS", 15)]
                for action, days, who in MIGRATION_STEPS:
                    after = b.task(f"{action} ({name.lower()})", vary(rng, days, 0.2), who=who, after=after)
                previous = b.milestone(f"{name} accepted", after=after)
                mocks.append(previous)
    return mocks


def _testing(b: WbsBuilder, rng: random.Random, built: list[str], mocks: list[str]) -> str:
    with b.summary("Testing"):
        scripts = b.task(
            "Write test scenarios and scripts",
            vary(rng, 15),
            who=["david.okafor", ("role:tester", 2)],
            after=[(built[0], "SS", 0)],
        )
        sit1 = b.task(
            "System integration test, cycle 1",
            15,
            who=["david.okafor", ("role:tester", 3)],
            after=[scripts, *built, mocks[0]],
            priority=700,
        )
        fixes = b.task(
            "Defect fixing after cycle 1", 10, who=[("role:abap", 2), "dev"], after=[(sit1, "FF", 5)]
        )
        sit2 = b.task(
            "System integration test, cycle 2",
            10,
            who=["david.okafor", ("role:tester", 3)],
            after=[fixes, mocks[1]],
            priority=700,
        )
        perf = b.task(
            "Performance and payroll volume test",
            8,
            who=["marek.kowalski", "role:tester"],
            after=[(sit2, "SS", 3)],
        )
        training_env = b.task(
            "Prepare UAT and training clients", 4, who="conor.byrne", after=[(sit2, "FF", -2)]
        )
        uat = b.task(
            "User acceptance testing with key users",
            20,
            who=[("role:tester", 2), ("mairead.lynch", 0.5), ("stefan.braun", 0.5)],
            after=[sit2, training_env],
            priority=800,
        )
        regression = b.task("Regression test of fixes", 5, who="role:tester", after=[uat, perf])
        return b.milestone("UAT exit signed off", after=regression, priority=900)


def _deploy(b: WbsBuilder, ready: str) -> str:
    with b.summary("Stage 4: Deploy", phase=DEPLOY):
        with b.summary("Training"):
            ttt = b.task(
                "Train the trainers", 5, who=["liam.fitzgerald", "role:trainer"], after=[(ready, "FS", -10)]
            )
            materials = b.task(
                "Training materials and job aids", 10, who="liam.fitzgerald", after=[(ttt, "SS", 0)]
            )
            trained = [
                b.task(f"End-user training: {area}", days, who=("role:trainer", 2), after=[ttt, materials])
                for area, days in (("finance", 8), ("procurement", 6), ("HR and manager self-service", 10))
            ]
        with b.summary("Cut-over"):
            runbook = b.task("Cut-over plan and runbook", 8, who=["pm", "anna.schmidt"], after=ready)
            rehearsal = b.task(
                "Cut-over dress rehearsal",
                2,
                who=["role:ops", "anna.schmidt"],
                notes=OUT_OF_HOURS,
                after=[runbook, ready],
            )
            readiness = b.task(
                "Business readiness checkpoint", 2, who=["pm", "liam.fitzgerald"], after=[rehearsal, *trained]
            )
            go = b.milestone("Go/no-go decision", after=readiness, priority=1000)
            freeze = b.task("Freeze legacy ERP postings", 1, who="mairead.lynch", after=go)
            load = b.task(
                "Final data load and reconciliation",
                3,
                who=[("role:ops", 2), "anna.schmidt"],
                after=freeze,
                priority=1000,
            )
            return b.milestone("Go-live on S/4HANA", after=load, priority=1000)


def _close(b: WbsBuilder, live: str) -> None:
    with b.summary("Stage 5: Hyper-care and closure", phase=CLOSE):
        care = b.task(
            "Hyper-care (six weeks)", 30, who=[("conor.byrne", 0.5), ("role:sap-fi", 1)], after=live
        )
        legacy = b.task(
            "Legacy ERP support and read-only access (final extension)", 40, who=("marek.kowalski", 0.5)
        )
        b.link(care, legacy, "SF", 10)
        close = b.milestone("First month-end close on S/4HANA", after=[(live, "FS", 20)])
        handover = b.task(
            "Handover to application support", 5, who="conor.byrne", after=[(care, "FF", 0), close]
        )
        decommission = b.task(
            "Archive legacy data and decommission legacy ERP",
            15,
            who=["marek.kowalski", ("anna.schmidt", 0.5)],
            after=[legacy, care],
        )
        lessons = b.task("Lessons learned and end project report", 5, who="pm", after=handover)
        b.milestone("Project closure approved", after=[lessons, decommission])

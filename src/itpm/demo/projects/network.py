"""NET-BRANCH: SD-WAN, firewall, switch and Wi-Fi refresh across twelve branch sites (waterfall).

The rollout repeats one block per site (survey, order, install, cut-over) and chains the sites:
one survey team, one installation crew and at most one cut-over a week.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.demo.projects.common import OUT_OF_HOURS, chain, project_rng, vary, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import WbsBuilder

CODE = "NET-BRANCH"
SITES = (
    "Cork",
    "Galway",
    "Limerick",
    "Waterford",
    "Athlone",
    "Belfast",
    "Manchester",
    "Birmingham",
    "Leeds",
    "Glasgow",
    "Frankfurt",
    "Munich",
)
DESIGN, CORE, ROLLOUT, CLOSURE = "Design", "Core build", "Site rollout", "Closure"
PHASES = (
    PhaseSpec(DESIGN, "Design authority approves the low-level design"),
    PhaseSpec(CORE, "Core ready for branches"),
    PhaseSpec(ROLLOUT, "Pilot site accepted; then each site's acceptance"),
    PhaseSpec(CLOSURE, "Handover to network operations accepted"),
)


def build(anchor: dt.date) -> ProjectSpec:
    rng = project_rng(CODE)
    b = WbsBuilder()
    approved = _design(b, rng)
    core = _core(b, rng, approved)
    cutovers = _rollout(b, rng, core)
    _closure(b, cutovers)
    tasks, links = b.build()
    return ProjectSpec(
        code=CODE,
        name="Branch network refresh (12 sites)",
        description="Replace end-of-life branch routers, switches and Wi-Fi at twelve sites in "
        "Ireland, the UK and Germany with SD-WAN over dual internet circuits, and retire MPLS.",
        methodology="waterfall",
        status="in-progress",
        rag="red",
        program="Infrastructure Modernisation",
        sponsor="brendan.doyle",
        manager="pm",
        start=weeks_from(anchor, -16),
        budget=Decimal("1650000"),
        business_case="MPLS costs EUR 540k a year and the branch hardware is out of vendor support; "
        "SD-WAN over dual broadband halves WAN cost and gives every site a second path.",
        calendar="IE",
        goals=(
            GoalSpec(
                "Every branch on SD-WAN with two paths",
                "12 of 12 sites accepted, each surviving a single circuit failure in test",
            ),
            GoalSpec("Retire MPLS", "All MPLS circuits ceased; EUR 270k a year saving"),
            GoalSpec("No business disruption", "Cut-overs only at weekends; no Monday P1 incidents"),
        ),
        phases=PHASES,
        tasks=tasks,
        links=links,
        stakeholders=("sponsor", "eamon.quinn", "richard.hale"),
        progress=ProgressSpec(status_date=anchor, late_share=0.4, pace=0.7, behind_days=10),
        baseline=True,
    )


def _design(b: WbsBuilder, rng: random.Random) -> str:
    with b.summary("Initiation and design", phase=DESIGN):
        plan = b.task("Project initiation and plan", 5, who="pm")
        survey = b.task(
            "Current-state survey of WAN, LAN and Wi-Fi",
            vary(rng, 10),
            who=["padraig.nolan", "sophie.turner"],
            after=[(plan, "SS", 2)],
        )
        hld = b.task(
            "High-level design: SD-WAN, branch firewalls and Wi-Fi 6E",
            vary(rng, 10),
            who="padraig.nolan",
            after=survey,
        )
        tender = b.task(
            "Supplier selection and framework contract",
            vary(rng, 20),
            who=[("pm", 0.5), ("padraig.nolan", 0.5)],
            after=[(hld, "SS", 5)],
        )
        lld = b.task(
            "Low-level design and standard site templates",
            vary(rng, 12),
            who=["padraig.nolan", "vendor"],
            after=[hld, (tender, "FF", 0)],
        )
        return b.milestone("Design authority approves the low-level design", after=lld)


def _core(b: WbsBuilder, rng: random.Random, approved: str) -> str:
    with b.summary("Core and central services", phase=CORE):
        hubs = b.task(
            "Upgrade hub routers in the Dublin data centre",
            vary(rng, 5),
            who=["sophie.turner", "vendor"],
            after=approved,
        )
        orchestrator = b.task(
            "Deploy SD-WAN orchestrator and controllers",
            vary(rng, 8),
            who=["padraig.nolan", ("role:network", 1)],
            after=approved,
        )
        policy = b.task(
            "Migrate firewall policy to the central manager",
            vary(rng, 10),
            who=[("role:network", 2)],
            after=[(orchestrator, "SS", 3)],
        )
        monitoring = b.task(
            "Network monitoring and flow collectors",
            vary(rng, 5),
            who="sophie.turner",
            after=[(orchestrator, "FF", 2)],
        )
        return b.milestone("Core ready for branches", after=[hubs, orchestrator, policy, monitoring])


def _rollout(b: WbsBuilder, rng: random.Random, core: str) -> list[str]:
    previous: dict[str, str] = {}
    cutovers: list[str] = []
    with b.summary("Site rollout", phase=ROLLOUT):
        for number, site in enumerate(SITES, start=1):
            label = f"Site {number:02d}: {site}" + (" (pilot)" if number == 1 else "")
            with b.summary(label, priority=800 if number == 1 else 500):
                previous = _site(b, rng, site, core, previous)
            cutovers.append(previous["cutover"])
    return cutovers


def _site(
    b: WbsBuilder, rng: random.Random, site: str, core: str, previous: dict[str, str]
) -> dict[str, str]:
    """One site's block, linked to the previous site's survey, install and cut-over."""
    first = not previous
    survey = b.task(
        f"Site survey: {site}",
        2,
        who=["sophie.turner" if first else "gareth.jones"],
        after=[(core, "FS", -15)] + ([] if first else [previous["survey"]]),
    )
    pack = b.task(
        f"Site pack approved and hardware ordered: {site}", 2, who=("padraig.nolan", 0.5), after=survey
    )
    hardware = b.task(
        f"Hardware delivery: {site}",
        vary(rng, 20, 0.3),
        after=pack,
        notes="Distributor lead time; no internal effort.",
    )
    circuit = b.task(
        f"Order dual internet circuits: {site}",
        vary(rng, 40, 0.3),
        after=[(survey, "SS", 1)],
        notes="Carrier lead time; no internal effort.",
    )
    stage = b.task(f"Stage and pre-configure equipment: {site}", 2, who="role:network", after=hardware)
    install = b.task(
        f"Install switches, Wi-Fi and SD-WAN edge: {site}",
        vary(rng, 3),
        who=["vendor", ("role:field", 2)],
        after=[stage, core] + [previous[k] for k in ("install", "review") if k in previous],
    )
    cutover = b.task(
        f"Cut-over: {site}",
        1,
        who=["vendor", "role:ops", "sophie.turner"],
        notes=OUT_OF_HOURS,
        after=[install, circuit] + ([] if first else [(previous["cutover"], "FS", 3)]),
        priority=900,
    )
    accept = b.milestone(f"Site accepted: {site}", after=[(cutover, "FS", 2)])
    keys = {"survey": survey, "install": install, "cutover": cutover}
    if first:
        keys["review"] = b.task(
            "Pilot review and site template update", 3, who=["padraig.nolan", "vendor"], after=accept
        )
    return keys


def _closure(b: WbsBuilder, cutovers: list[str]) -> None:
    with b.summary("Closure", phase=CLOSURE):
        cease = b.task(
            "Cease MPLS circuits (90-day notice period)",
            60,
            after=[(cutovers[-1], "FF", 5)],
            notes="Notice served by the PM; no effort.",
        )
        docs, handover = chain(
            b,
            [("As-built documentation and CMDB update", 5), ("Handover to network operations", 2)],
            who=["sophie.turner", ("vendor", 0.5)],
            after=cutovers[-1],
        )
        lessons = b.task(
            "Lessons learned workshop", 1, who=["pm", "padraig.nolan"], after=[(handover, "SS", 0)]
        )
        b.link(docs, lessons)
        b.milestone("Project closed", after=[cease, handover, lessons])

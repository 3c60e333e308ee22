"""DCX-AZURE: exit the Frankfurt colocation data centre to Azure, run as a hybrid project.

Discovery and decommissioning are planned as waterfall; the landing zone is built in sprints;
applications move in waves, each cut over out of hours by the 24x7 operations bridge.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.demo.projects.common import OUT_OF_HOURS, chain, project_rng, vary, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import Link, WbsBuilder

CODE = "DCX-AZURE"
DISCOVERY, LANDING, WAVES, EXIT = (
    "Discovery and assessment",
    "Landing zone (sprints)",
    "Migration waves",
    "Decommission and exit",
)
PHASES = (
    PhaseSpec(DISCOVERY, "Migration strategy and wave plan approved by the design authority"),
    PhaseSpec(LANDING, "Landing zone passes the security and operations readiness review"),
    PhaseSpec(WAVES, "Last wave out of hyper-care"),
    PhaseSpec(EXIT, "Colocation cage handed back"),
)

WAVE_APPS = (
    (
        "pilot",
        ("Intranet (SharePoint 2016)", "Print management", "Build server (Jenkins)", "Test environments"),
    ),
    (
        "back office",
        ("Document management (OpenText)", "Fleet management", "Licence servers", "HR reporting database"),
    ),
    (
        "customer facing",
        (
            "CRM (Dynamics 365 on-premises)",
            "Customer portal",
            "API gateway",
            "Identity synchronisation servers",
        ),
    ),
    (
        "data",
        (
            "Data warehouse (SQL Server)",
            "Power BI gateways",
            "Treasury management system",
            "File servers (4 TB)",
        ),
    ),
    ("operations", ("Manufacturing execution system", "Warehouse management", "EDI gateway")),
)

LANDING_SPRINTS = (
    ("Management groups, subscriptions and Azure Policy", "Identity: Entra ID, PIM and break-glass accounts"),
    ("Hub-and-spoke networking and firewalls", "Infrastructure-as-code pipelines (Terraform)"),
    (
        "Logging, monitoring and Microsoft Sentinel onboarding",
        "Backup and disaster recovery (Azure Site Recovery)",
    ),
    ("Security baseline and Defender for Cloud", "Cost management, budgets and tagging policy"),
)


def build(anchor: dt.date) -> ProjectSpec:
    rng = project_rng(CODE)
    b = WbsBuilder()
    strategy = _discovery(b, rng)
    ready = _landing_zone(b, rng, strategy)
    last = _waves(b, rng, ready)
    _exit(b, last)
    tasks, links = b.build()
    return ProjectSpec(
        code=CODE,
        name="Data-centre exit to Azure",
        description="Move 19 application services and 240 virtual machines out of the Frankfurt "
        "colocation data centre to Azure before the colocation contract ends.",
        methodology="hybrid",
        status="in-progress",
        rag="green",
        program="Infrastructure Modernisation",
        sponsor="brendan.doyle",
        manager="sinead.kelly",
        start=weeks_from(anchor, -20),
        budget=Decimal("1450000"),
        business_case="The colocation contract and the SAN and server maintenance renewals cost "
        "EUR 1.1m a year and the hardware is end of life; Azure run cost is EUR 720k a year with "
        "reserved instances, and DR moves from a 48-hour to a 4-hour recovery time.",
        calendar="DE",
        goals=_goals(),
        phases=PHASES,
        tasks=tasks,
        links=links,
        stakeholders=("eamon.quinn", "katrin.hoffmann", "sponsor"),
        progress=ProgressSpec(status_date=anchor, late_share=0.1, pace=1.0),
        baseline=True,
    )


def _goals() -> tuple[GoalSpec, ...]:
    return (
        GoalSpec(
            "Leave the colocation data centre before the contract ends", "Cage handed back; no renewal signed"
        ),
        GoalSpec(
            "Cut infrastructure run cost",
            "Run cost at or below EUR 720k a year, measured three months after the last wave",
        ),
        GoalSpec("Improve resilience", "Recovery time objective of 4 hours proven in a DR test"),
    )


def _discovery(b: WbsBuilder, rng: random.Random) -> str:
    with b.summary("Discovery and assessment", phase=DISCOVERY):
        inventory = b.task(
            "Application inventory and CMDB reconciliation",
            vary(rng, 10),
            who=["niall.ryan", ("eamon.quinn", 0.5)],
        )
        flows = b.task(
            "Dependency mapping from network flow data",
            vary(rng, 12),
            who=["colm.reilly"],
            after=[(inventory, "SS", 3)],
        )
        assess = b.task(
            "6R assessment per application (rehost, refactor, retire...)",
            vary(rng, 10),
            who=["niall.ryan", "colm.reilly"],
            after=[inventory, (flows, "FF", 2)],
        )
        tco = b.task("TCO model and business case refresh", vary(rng, 6), who="sinead.kelly", after=assess)
        waves = b.task(
            "Migration strategy and wave plan",
            vary(rng, 5),
            who=["niall.ryan", ("sinead.kelly", 0.5)],
            after=[(assess, "FS", -2)],
        )
        return b.milestone("Migration strategy approved by design authority", after=[tco, waves])


def _landing_zone(b: WbsBuilder, rng: random.Random, strategy: str) -> str:
    with b.summary("Landing zone", phase=LANDING):
        circuit = b.task(
            "ExpressRoute circuit order (carrier lead time)",
            45,
            after=[(strategy, "FS", -10)],
            notes="Carrier lead time; no internal effort. Chased weekly by the PM.",
        )
        previous = strategy
        for number, stories in enumerate(LANDING_SPRINTS, start=1):
            with b.summary(f"Landing zone sprint {number}"):
                keys = [
                    b.task(story, vary(rng, 9, 0.1), who=["lukas.fischer", ("role:cloud", 1)], after=previous)
                    for story in stories
                ]
                previous = b.milestone(f"Landing zone sprint {number} review", after=keys)
        connect = b.task(
            "Connect ExpressRoute and test failover to VPN",
            3,
            who=["lukas.fischer", "padraig.nolan"],
            after=[circuit, previous],
        )
        review = b.task(
            "Security and operations readiness review",
            3,
            who=["katrin.hoffmann", "emma.clarke"],
            after=connect,
        )
        return b.milestone("Landing zone ready for production workloads", after=review)


def _waves(b: WbsBuilder, rng: random.Random, ready: str) -> str:
    cutovers: list[str] = []
    done: list[str] = []
    with b.summary("Migration waves", phase=WAVES):
        for number, (label, apps) in enumerate(WAVE_APPS, start=1):
            with b.summary(f"Wave {number}: {label}"):
                cutover, complete = _wave(b, rng, number, apps, ready, cutovers)
                cutovers.append(cutover)
                done.append(complete)
        return b.milestone("All workloads running in Azure", after=done)


def _wave(
    b: WbsBuilder,
    rng: random.Random,
    number: int,
    apps: tuple[str, ...],
    ready: str,
    cutovers: list[str],
) -> tuple[str, str]:
    after = [ready] + ([(cutovers[-1], "FS", -5)] if cutovers else [])
    plan = b.task(
        f"Wave {number} runbook and change approval (CAB)",
        4,
        who=["sinead.kelly", ("colm.reilly", 0.5)],
        after=after,
    )
    tested: list[str] = []
    for position, app in enumerate(apps):
        replicate = b.task(
            f"Replicate {app}", vary(rng, 4), who="colm.reilly", after=[(plan, "FS", position * 2)]
        )
        tested.append(
            b.task(
                f"Test {app} in Azure",
                vary(rng, 3),
                who=["role:tester", ("lukas.fischer", 0.5)],
                after=replicate,
            )
        )
    window: list[str | Link] = [(cutovers[-1], "FS", 10)] if cutovers else []
    cutover = b.task(
        f"Wave {number} cut-over",
        2,
        who=[("role:ops", 2), "colm.reilly"],
        notes=OUT_OF_HOURS,
        after=[*tested, *window],
        priority=900,
    )
    care = b.task(f"Wave {number} hyper-care", 5, who=[("emma.clarke", 0.5), ("role:ops", 1)], after=cutover)
    return cutover, b.milestone(f"Wave {number} complete", after=care)


def _exit(b: WbsBuilder, last: str) -> None:
    with b.summary("Decommission and exit", phase=EXIT):
        steps = chain(
            b,
            [
                ("Power down and decommission servers and storage", 10),
                ("Certified data erasure (NIST 800-88) and certificates", 5),
                ("Remove racks and hand back the colocation cage", 3),
            ],
            who=["emma.clarke", ("role:ops", 1)],
            after=last,
        )
        cmdb = b.task(
            "Update CMDB, runbooks and DR plan",
            5,
            who="emma.clarke",
            after=[(steps[0], "SS", 2), (steps[-1], "FF", 0)],
        )
        contracts = b.task(
            "Terminate colocation and hardware maintenance contracts",
            2,
            who="sinead.kelly",
            after=[(steps[1], "SS", 0)],
        )
        dr = b.task("Disaster recovery test in Azure", 2, who=["niall.ryan", "role:ops"], after=last)
        b.milestone("Data centre exited", after=[steps[-1], cmdb, contracts, dr], priority=900)

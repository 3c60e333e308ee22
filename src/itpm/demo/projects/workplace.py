"""Workplace projects: the M365 tenant migration closed last year, and the Windows 11 refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from itpm.demo.projects.common import OUT_OF_HOURS, chain, monday_of, project_rng, vary, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import WbsBuilder

M365 = "M365-T2T"
WIN11 = "EUC-WIN11"
M365_WAVES = (("Finance and HR", 120), ("Sales", 180), ("Engineering", 150))
DEPARTMENTS = (
    ("Executive office", 20),
    ("Finance", 80),
    ("HR", 40),
    ("Sales", 200),
    ("Operations", 350),
    ("Engineering", 150),
)


def m365(anchor: dt.date) -> ProjectSpec:
    """Closed last year: planned from early February of the previous year."""
    b = WbsBuilder()
    _m365_plan(b)
    tasks, links = b.build()
    start = monday_of(dt.date(anchor.year - 1, 2, 4))
    return ProjectSpec(
        code=M365,
        name="Microsoft 365 tenant-to-tenant migration",
        description="Bring the 470 users of Brightwater Analytics, acquired last year, from "
        "their Microsoft 365 tenant into the group tenant: mail, OneDrive, Teams and SharePoint.",
        methodology="waterfall",
        status="closed",
        rag="green",
        program=None,
        sponsor="brendan.doyle",
        manager="ruth.adeyemi",
        start=start,
        budget=Decimal("160000"),
        business_case="One tenant removes duplicate licences (EUR 95k a year), lets the acquired "
        "team collaborate with the group and brings them under group security policies.",
        calendar="GB",
        goals=(
            GoalSpec(
                "Every Brightwater user working in the group tenant",
                "470 of 470 users migrated; source tenant deleted",
            ),
            GoalSpec("Minimal disruption", "Fewer than 2 % of users raising a migration ticket"),
        ),
        phases=(
            PhaseSpec("Design", "Migration design approved"),
            PhaseSpec("Migration", "Last wave accepted"),
            PhaseSpec("Closure", "Source tenant decommissioned"),
        ),
        tasks=tasks,
        links=links,
        stakeholders=("eamon.quinn", "katrin.hoffmann"),
        progress=ProgressSpec(status_date=dt.date(anchor.year, 1, 1), late_share=0.2),
        baseline=True,
    )


def _m365_plan(b: WbsBuilder) -> None:
    with b.summary("Discovery and design", phase="Design"):
        discovery = b.task(
            "Source tenant discovery: mailboxes, OneDrive, Teams and sites", 8, who="thomas.byrne"
        )
        identity = b.task("Identity, domain and licensing design", 5, who="thomas.byrne", after=discovery)
        tooling = b.task(
            "Migration tool licensing and set-up", 3, who="thomas.byrne", after=[(identity, "SS", 2)]
        )
        comms = b.task(
            "Communication plan and user guides", 5, who="ruth.adeyemi", after=[(discovery, "SS", 3)]
        )
        design = b.milestone("Migration design approved", after=[identity, tooling, comms])
    with b.summary("Identity and devices", phase="Migration"):
        ids = chain(
            b,
            [
                ("Create target accounts and assign licences", 3),
                ("Cross-tenant synchronisation of users and groups", 4),
                ("Conditional access and MFA for migrated users", 3),
            ],
            who=["thomas.byrne"],
            after=design,
        )
        devices = b.task(
            "Device re-enrolment into group Intune", 10, who="ben.carter", after=[(ids[-1], "SS", 2)]
        )
    with b.summary("Mailbox and OneDrive migration", phase="Migration"):
        pilot = chain(
            b,
            [("Pilot migration (25 users)", 3), ("Pilot feedback and runbook update", 2)],
            who=["thomas.byrne", ("ruth.adeyemi", 0.5)],
            after=ids[-1],
        )
        previous = pilot[-1]
        for wave, (team, users) in enumerate(M365_WAVES, start=1):
            with b.summary(f"Wave {wave}: {team} ({users} users)"):
                stage = b.task(
                    f"Pre-stage mailboxes and OneDrive: {team}", 5, who="thomas.byrne", after=previous
                )
                cut = b.task(
                    f"Cut-over: {team}", 1, who=["thomas.byrne", "role:ops"], notes=OUT_OF_HOURS, after=stage
                )
                previous = b.task(f"Floor-walking support: {team}", 3, who=[("role:analyst", 2)], after=cut)
    with b.summary("Teams and SharePoint", phase="Migration"):
        teams = b.task(
            "Migrate Teams, channels and chats", 8, who="thomas.byrne", after=[(pilot[-1], "FS", 0)]
        )
        sites = b.task("Migrate SharePoint sites (1.2 TB)", 12, who="role:ops", after=[(teams, "SS", 3)])
        perms = b.task(
            "Permissions review with site owners", 5, who=("ruth.adeyemi", 0.5), after=[(sites, "FF", 3)]
        )
    with b.summary("Domain cut-over and closure", phase="Closure"):
        domain = b.task(
            "Move the brightwater domain: MX, autodiscover and SPF/DKIM",
            1,
            who=["thomas.byrne", "role:ops"],
            after=[previous, perms, devices],
        )
        source = b.task("Decommission the source tenant", 5, who="thomas.byrne", after=[(domain, "FS", 10)])
        licences = b.task("Cancel source tenant licences", 1, who="ruth.adeyemi", after=[(source, "FF", 0)])
        lessons = b.task("Lessons learned and project closure report", 2, who="ruth.adeyemi", after=domain)
        b.milestone("Project closed", after=[source, licences, lessons])


def windows11(anchor: dt.date) -> ProjectSpec:
    b = WbsBuilder()
    _windows11_plan(b)
    tasks, links = b.build()
    return ProjectSpec(
        code=WIN11,
        name="Windows 11 device refresh",
        description="Replace 840 laptops that cannot run Windows 11 and move everyone to "
        "Autopilot and Intune, department by department, as a Kanban flow.",
        methodology="kanban",
        status="planning",
        rag="green",
        program="Infrastructure Modernisation",
        sponsor="eamon.quinn",
        manager="ruth.adeyemi",
        start=weeks_from(anchor, 4),
        budget=Decimal("1150000"),
        business_case="Windows 10 is out of support; the refresh replaces extended security "
        "updates (EUR 120k a year) and moves device builds from imaging to Autopilot.",
        calendar="GB",
        goals=(
            GoalSpec("No unsupported Windows devices", "0 Windows 10 devices in Intune reports"),
            GoalSpec("Zero-touch deployment", "Device ready for the user within 45 minutes of unboxing"),
        ),
        phases=(
            PhaseSpec("Readiness", "Pilot group signs off the build"),
            PhaseSpec("Rollout", "Every department migrated"),
            PhaseSpec("Closure", "Old devices collected and wiped"),
        ),
        tasks=tasks,
        links=links,
        stakeholders=("brendan.doyle",),
        progress=ProgressSpec(status_date=None),
        baseline=False,
    )


def _windows11_plan(b: WbsBuilder) -> None:
    rng = project_rng(WIN11)
    with b.summary("Readiness", phase="Readiness"):
        apps = b.task(
            "Application compatibility testing (140 apps)", 15, who=["ben.carter", ("role:tester", 1)]
        )
        autopilot = b.task("Autopilot profiles and enrolment status page", 5, who="ben.carter")
        baseline = b.task(
            "Intune security baseline and compliance policies",
            8,
            who=["ben.carter", ("hannah.keller", 0.5)],
            after=[(autopilot, "SS", 2)],
        )
        pilot = b.task(
            "Pilot with 30 IT and key users",
            10,
            who=["ben.carter", ("role:analyst", 1)],
            after=[apps, autopilot, baseline],
        )
        ready = b.milestone("Pilot group signs off the build", after=pilot)
    previous = ready
    with b.summary("Department rollouts", phase="Rollout"):
        for department, devices in DEPARTMENTS:
            with b.summary(f"{department} ({devices} devices)"):
                order = b.task(
                    f"Order devices: {department}",
                    vary(rng, 10),
                    after=ready,
                    notes="Supplier lead time; no internal effort.",
                )
                days = max(2, devices // 40)
                deploy = b.task(
                    f"Deploy devices and migrate user data: {department}",
                    days,
                    who=["ben.carter", ("role:analyst", 2)],
                    after=[order, previous],
                )
                b.task(
                    f"Collect and wipe old devices: {department}",
                    max(1, days // 2),
                    who="role:analyst",
                    after=[(deploy, "SS", 1)],
                )
                previous = deploy
    with b.summary("Closure", phase="Closure"):
        report = b.task(
            "Asset register reconciliation and disposal certificates", 5, who="ben.carter", after=previous
        )
        b.milestone("All devices on Windows 11", after=report)

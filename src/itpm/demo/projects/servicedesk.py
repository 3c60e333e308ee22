"""ITSM-SD: replace the legacy service-desk tool with a SaaS ITSM platform, run in Scrum.

Sprints are the phases; epics are summary tasks and user stories their leaves. Each sprint is a
timebox: stories start after sprint planning and finish before the sprint review.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.demo.projects.common import project_rng, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import WbsBuilder, Who

CODE = "ITSM-SD"
SPRINTS = 7
POINT_DAYS = {1: 1, 2: 2, 3: 3, 5: 5, 8: 8}

# epic -> (who builds it, stories)
EPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Incident management",
        "chloe.evans",
        (
            "Log an incident from an e-mail to the service desk mailbox",
            "Prioritise incidents with the impact and urgency matrix",
            "Route incidents to resolver groups automatically",
            "SLA timers and breach warnings",
            "Major incident process with bridge-call notification",
            "Satisfaction survey when an incident is resolved",
            "Incident dashboards for team leads",
        ),
    ),
    (
        "Service request catalogue",
        "ravi.sharma",
        (
            "Service portal home page and search",
            "Request a laptop with line-manager approval",
            "Request software from the approved catalogue",
            "Password reset self-service",
            "New-starter bundle: laptop, accounts and phone",
            "Access request approved by the data owner",
        ),
    ),
    (
        "Knowledge management",
        "kevin.moran",
        (
            "Knowledge article lifecycle and review dates",
            "Suggest articles while a ticket is logged",
            "Migrate 600 knowledge articles from the legacy tool",
            "Article feedback and ratings",
        ),
    ),
    (
        "Change and problem management",
        "chloe.evans",
        (
            "Normal change with CAB approval",
            "Standard change templates",
            "Change calendar with freeze windows",
            "Problem records linked to incidents",
            "Known error database",
        ),
    ),
    (
        "CMDB and discovery",
        "chloe.evans",
        (
            "Import servers and applications from Azure and VMware discovery",
            "Service maps for the top 20 business services",
            "Laptop and phone asset lifecycle",
            "CMDB health dashboard",
        ),
    ),
    (
        "Integrations",
        "dev",
        (
            "Single sign-on with Entra ID",
            "Joiner, mover and leaver feed from SuccessFactors",
            "Monitoring alerts raise incidents automatically",
            "Service desk channel in Microsoft Teams",
            "Ticket exchange with the network supplier (e-bonding)",
        ),
    ),
    (
        "Reporting",
        "ravi.sharma",
        (
            "Monthly SLA report for business units",
            "Service desk KPIs: first-contact resolution and backlog age",
            "Executive dashboard for the CIO",
        ),
    ),
)


def sprint_name(number: int) -> str:
    return "Sprint 0 (inception)" if number == 0 else f"Sprint {number}"


PHASES = tuple(
    [
        PhaseSpec(sprint_name(n), f"Sprint {n} review: increment accepted by the product owner")
        for n in range(SPRINTS + 1)
    ]
    + [PhaseSpec("Release and transition", "Operational acceptance by the service desk manager")]
)


def build(anchor: dt.date) -> ProjectSpec:
    rng = project_rng(CODE)
    b = WbsBuilder()
    inception = _sprint_zero(b)
    by_sprint = _epics(b, rng)
    reviews = _cadence(b, inception, by_sprint)
    _release(b, reviews)
    tasks, links = b.build()
    return ProjectSpec(
        code=CODE,
        name="Service desk tool replacement",
        description="Replace the on-premise service-desk tool (end of support) with a SaaS ITSM "
        "platform: incidents, requests, knowledge, change, CMDB and a self-service portal.",
        methodology="agile-scrum",
        status="in-progress",
        rag="green",
        program="Digital Core",
        sponsor="eamon.quinn",
        manager="oliver.grant",
        start=weeks_from(anchor, -10),
        budget=Decimal("480000"),
        business_case="The legacy tool is out of support at the end of the year. Self-service and "
        "automatic routing are expected to deflect 20 % of calls, about 1.5 analyst FTE.",
        calendar="GB",
        goals=(
            GoalSpec("Self-service first", "30 % of requests raised in the portal within 3 months"),
            GoalSpec("Faster resolution", "Median incident resolution time down from 9 to 6 hours"),
            GoalSpec("Switch off the legacy tool on time", "Licences cancelled before renewal"),
        ),
        phases=PHASES,
        tasks=tasks,
        links=links,
        stakeholders=("brendan.doyle", "richard.hale"),
        progress=ProgressSpec(status_date=anchor, late_share=0.15, pace=1.0),
        baseline=True,
    )


def _sprint_zero(b: WbsBuilder) -> str:
    with b.summary("Sprint 0: inception", phase=sprint_name(0)):
        vision = b.task("Product vision, goals and roadmap", 3, who=["kevin.moran", "oliver.grant"])
        backlog = b.task(
            "Story mapping and initial product backlog",
            4,
            who=["kevin.moran", "chloe.evans", ("jessica.hughes", 0.5)],
            after=vision,
        )
        instances = b.task(
            "Provision development, test and production instances",
            3,
            who="chloe.evans",
            after=[(vision, "SS", 1)],
        )
        done = b.task(
            "Definition of done and team working agreement",
            1,
            who=["oliver.grant", "chloe.evans", "dev"],
            after=[(backlog, "FF", 0)],
        )
        return b.milestone("Sprint 0 review", after=[backlog, instances, done])


def _ordered_stories() -> list[tuple[str, str, str]]:
    """Backlog order: the first story of every epic, then the second of every epic, and so on."""
    ordered: list[tuple[str, str, str]] = []
    for rank in range(max(len(stories) for _, _, stories in EPICS)):
        ordered += [(epic, who, stories[rank]) for epic, who, stories in EPICS if rank < len(stories)]
    return ordered


def _sprint_of(rng: random.Random) -> dict[str, tuple[int, int, int]]:
    """Story -> (sprint, story points, backlog rank); about five stories fit in a sprint."""
    stories = _ordered_stories()
    per_sprint = -(-len(stories) // SPRINTS)
    return {
        story: (1 + rank // per_sprint, rng.choice((1, 2, 3, 3, 5, 5, 8)), rank)
        for rank, (_, _, story) in enumerate(stories)
    }


def _epics(b: WbsBuilder, rng: random.Random) -> dict[int, list[str]]:
    plan = _sprint_of(rng)
    by_sprint: dict[int, list[str]] = {n: [] for n in range(1, SPRINTS + 1)}
    with b.summary("Product backlog"):
        for epic, who, stories in EPICS:
            with b.summary(f"Epic: {epic}"):
                for story in stories:
                    sprint, points, rank = plan[story]
                    pair: Who = [who, ("jessica.hughes", 0.5)] if who == "ravi.sharma" else [who]
                    with b.phase(sprint_name(sprint)):
                        key = b.task(
                            story,
                            POINT_DAYS[points],
                            who=pair,
                            effort=points * 6,
                            priority=900 - rank * 10,
                            notes=f"Story points: {points}",
                        )
                    by_sprint[sprint].append(key)
    return by_sprint


def _cadence(b: WbsBuilder, inception: str, by_sprint: dict[int, list[str]]) -> list[str]:
    """Sprint planning and review for each sprint; the review closes a ten-day timebox."""
    reviews = [inception]
    with b.summary("Sprint cadence"):
        for number in range(1, SPRINTS + 1):
            with b.phase(sprint_name(number)):
                planning = b.task(
                    f"Sprint {number} planning",
                    1,
                    who=["oliver.grant", ("kevin.moran", 0.5)],
                    after=reviews[-1],
                )
                for story in by_sprint[number]:
                    b.link(planning, story)
                review = b.milestone(
                    f"Sprint {number} review and retrospective",
                    after=[(planning, "FS", 8), *by_sprint[number]],
                )
            reviews.append(review)
    return reviews


def _release(b: WbsBuilder, reviews: list[str]) -> None:
    with b.summary("Release and transition", phase="Release and transition"):
        migrate = b.task(
            "Migrate open tickets and three years of history",
            5,
            who=["dev", "chloe.evans"],
            after=[(reviews[-2], "FS", 0)],
        )
        training = b.task(
            "Train 60 service desk agents and resolver groups",
            5,
            who=[("role:trainer", 1), ("kevin.moran", 0.5)],
            after=[(reviews[-1], "FS", -5)],
        )
        acceptance = b.task(
            "Operational acceptance and support model sign-off",
            2,
            who=["kevin.moran", "oliver.grant"],
            after=[reviews[-1], migrate],
        )
        live = b.milestone("Go-live: new service desk platform", after=[acceptance, training], priority=1000)
        care = b.task("Hyper-care (two weeks)", 10, who=["chloe.evans", ("role:analyst", 2)], after=live)
        legacy = b.task("Legacy tool read-only access (licence run-off)", 20, who=("kevin.moran", 0.5))
        b.link(care, legacy, "SF", 5)
        retire = b.task(
            "Cancel legacy licences and archive the database", 3, who="marek.kowalski", after=[legacy, care]
        )
        b.milestone("Legacy service desk tool switched off", after=retire)

"""SEC-ISO27K: ISO/IEC 27001:2022 certification and NIS2 readiness, run in PRINCE2 stages."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from itpm.demo.projects.common import chain, project_rng, vary, weeks_from
from itpm.demo.spec import GoalSpec, PhaseSpec, ProgressSpec, ProjectSpec
from itpm.demo.wbs import WbsBuilder, Who

CODE = "SEC-ISO27K"
INITIATION, GAPS, CONTROLS, AUDIT, CERTIFY = (
    "Initiation",
    "Gap analysis and risk assessment",
    "Controls implementation",
    "Internal audit and management review",
    "Certification",
)
PHASES = (
    PhaseSpec(INITIATION, "Board approves ISMS scope and policy"),
    PhaseSpec(GAPS, "Risk owners approve the risk treatment plan"),
    PhaseSpec(CONTROLS, "Controls operating with three months of evidence"),
    PhaseSpec(AUDIT, "Management review held; no open major nonconformity"),
    PhaseSpec(CERTIFY, "Certificate issued"),
)

# theme -> (owner, controls with their usual effort in days)
THEMES: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...] = (
    (
        "Organisational controls (A.5)",
        "ciara.doherty",
        (
            ("A.5.1 Topic-specific security policies", 10),
            ("A.5.9 Inventory of information and other assets", 12),
            ("A.5.15 Access control policy and joiner-mover-leaver review", 8),
            ("A.5.19-5.22 Supplier security requirements and contract clauses", 15),
            ("A.5.24-5.28 Incident management with NIS2 24-hour and 72-hour reporting", 10),
            ("A.5.29-5.30 Business continuity and ICT readiness", 15),
            ("A.5.31 Legal, statutory and regulatory requirements register", 6),
        ),
    ),
    (
        "People controls (A.6)",
        "hannah.keller",
        (
            ("A.6.1 Screening in HR onboarding", 5),
            ("A.6.3 Security awareness training for all staff", 20),
            ("NIS2 Article 20: training for the management body", 3),
        ),
    ),
    (
        "Physical controls (A.7)",
        "hannah.keller",
        (
            ("A.7.1-7.4 Physical entry controls and monitoring at offices", 8),
            ("A.7.10 Storage media handling and secure disposal", 4),
        ),
    ),
    (
        "Technological controls (A.8)",
        "hannah.keller",
        (
            ("A.8.2 Privileged access management", 12),
            ("A.8.5 Multi-factor authentication for all users", 10),
            ("A.8.8 Vulnerability management and patch SLAs", 10),
            ("A.8.9 Configuration hardening baselines (CIS benchmarks)", 12),
            ("A.8.13 Backup and restore tests", 6),
            ("A.8.15-8.16 Logging and SIEM monitoring use cases", 15),
            ("A.8.24 Cryptography and key management", 6),
            ("A.8.25-8.29 Secure development lifecycle", 10),
        ),
    ),
)


def build(anchor: dt.date) -> ProjectSpec:
    rng = project_rng(CODE)
    b = WbsBuilder()
    approved = _initiation(b)
    treatment = _gaps(b, rng, approved)
    evidence = _controls(b, rng, treatment)
    reviewed = _internal_audit(b, evidence)
    _certification(b, approved, reviewed)
    tasks, links = b.build()
    return ProjectSpec(
        code=CODE,
        name="ISO 27001 certification and NIS2 compliance",
        description="Build and certify an information security management system for Group IT "
        "and close the gaps against the NIS2 Directive's risk-management measures (Article 21).",
        methodology="prince2",
        status="in-progress",
        rag="amber",
        program="Security & Compliance",
        sponsor="katrin.hoffmann",
        manager="juergen.weber",
        start=weeks_from(anchor, -12),
        budget=Decimal("425000"),
        business_case="Group IT is an important entity under NIS2 in Ireland and Germany: fines "
        "reach 1.4 % of turnover and management is personally accountable. Three key customers "
        "require ISO 27001 certification at their next contract renewal.",
        calendar="DE",
        goals=(
            GoalSpec(
                "ISO/IEC 27001:2022 certificate",
                "Certificate issued with no major nonconformity at the stage 2 audit",
            ),
            GoalSpec(
                "NIS2 readiness",
                "All Article 21 measures implemented; registration with the authority confirmed",
            ),
            GoalSpec(
                "Security-aware staff",
                "95 % of staff complete awareness training; phishing click rate below 5 %",
            ),
        ),
        phases=PHASES,
        tasks=tasks,
        links=links,
        stakeholders=("sponsor", "brendan.doyle", "richard.hale"),
        progress=ProgressSpec(status_date=anchor, late_share=0.25, pace=0.85, behind_days=4),
        baseline=True,
    )


def _initiation(b: WbsBuilder) -> str:
    with b.summary("Initiation", phase=INITIATION):
        scope = b.task(
            "Define ISMS scope, interested parties and boundaries",
            5,
            who=["juergen.weber", ("katrin.hoffmann", 0.5)],
        )
        plan = b.task("Project plan, RACI and ISMS roles", 4, who="juergen.weber", after=[(scope, "SS", 2)])
        policy = b.task("Information security policy for board approval", 5, who="ciara.doherty", after=scope)
        return b.milestone("Board approves ISMS scope and policy", after=[plan, policy])


def _gaps(b: WbsBuilder, rng: random.Random, approved: str) -> str:
    with b.summary("Gap analysis and risk assessment", phase=GAPS):
        clauses = b.task(
            "Gap assessment against clauses 4-10", vary(rng, 5), who=["james.whitfield"], after=approved
        )
        annex = b.task(
            "Gap assessment of Annex A controls",
            vary(rng, 8),
            who=["james.whitfield", "hannah.keller"],
            after=[(clauses, "SS", 2)],
        )
        nis2 = b.task(
            "NIS2 gap analysis against Article 21 measures",
            vary(rng, 6),
            who=["ciara.doherty", "hannah.keller"],
            after=[(annex, "SS", 3)],
        )
        register = b.task(
            "NIS2 entity classification and registration with the authorities",
            3,
            who="ciara.doherty",
            after=nis2,
        )
        *_, rtp, soa = chain(
            b,
            [
                ("Asset inventory and information classification", vary(rng, 8)),
                ("Risk assessment methodology and risk criteria", 3),
                ("Information security risk assessment workshops", vary(rng, 10)),
                ("Risk treatment plan", vary(rng, 5)),
                ("Statement of Applicability", 4),
            ],
            who=["hannah.keller", ("juergen.weber", 0.5)],
            after=approved,
        )
        b.link(annex, rtp)
        b.link(nis2, rtp)
        return b.milestone("Risk owners approve the risk treatment plan", after=[soa, register])


def _controls(b: WbsBuilder, rng: random.Random, treatment: str) -> str:
    implemented: list[str] = []
    with b.summary("Controls implementation", phase=CONTROLS):
        for theme, owner, controls in THEMES:
            with b.summary(theme):
                previous = treatment
                for position, (control, days) in enumerate(controls):
                    who: Who = [owner] if position % 2 else [owner, ("james.whitfield", 0.5)]
                    lag = 0 if position == 0 else 3
                    previous = b.task(
                        control, vary(rng, days), who=who, after=[(previous, "SS" if position else "FS", lag)]
                    )
                    implemented.append(previous)
        docs = b.task(
            "ISMS documentation set and document control",
            10,
            who="ciara.doherty",
            after=[(implemented[0], "SS", 0), (implemented[-1], "FF", 0)],
        )
        evidence = b.task(
            "Operate controls and collect evidence (three months)",
            60,
            who=("hannah.keller", 0.5),
            after=[*implemented, docs],
        )
        return b.milestone("Controls operating with three months of evidence", after=evidence)


def _internal_audit(b: WbsBuilder, evidence: str) -> str:
    with b.summary("Internal audit and management review", phase=AUDIT):
        programme = b.task(
            "Internal audit programme and audit plan", 3, who="orla.mcgrath", after=[(evidence, "FS", -20)]
        )
        clauses = b.task(
            "Internal audit: management system clauses 4-10",
            4,
            who="orla.mcgrath",
            after=[programme, evidence],
        )
        annex = b.task("Internal audit: Annex A controls sample", 6, who="orla.mcgrath", after=clauses)
        actions = b.task(
            "Corrective actions for audit findings",
            10,
            who=["hannah.keller", ("ciara.doherty", 0.5)],
            after=[(annex, "SS", 3)],
        )
        review = b.task(
            "Management review meeting",
            1,
            who=["katrin.hoffmann", "juergen.weber", "brendan.doyle"],
            after=[annex, (actions, "FF", -5)],
        )
        return b.milestone("Management review held", after=[review, actions])


def _certification(b: WbsBuilder, approved: str, reviewed: str) -> None:
    with b.summary("Certification", phase=CERTIFY):
        body = b.task(
            "Select and book the certification body", 10, who="juergen.weber", after=[(approved, "FS", 20)]
        )
        stage1 = b.task(
            "Stage 1 audit: documentation and readiness review",
            2,
            who=["juergen.weber", "hannah.keller"],
            after=[body, reviewed],
        )
        findings = b.task("Close stage 1 findings", 10, who=["hannah.keller", "ciara.doherty"], after=stage1)
        stage2 = b.task(
            "Stage 2 certification audit (on site)",
            4,
            who=["juergen.weber", "hannah.keller", ("katrin.hoffmann", 0.5)],
            after=[(findings, "FS", 5)],
            priority=900,
        )
        minors = b.task(
            "Corrective action plan for minor nonconformities", 10, who="hannah.keller", after=stage2
        )
        b.milestone("ISO/IEC 27001 certificate issued", after=minors, priority=1000)
        b.milestone("NIS2 self-assessment submitted to the authorities", after=[(stage2, "SS", 0)])

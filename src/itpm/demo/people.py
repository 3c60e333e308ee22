"""The people of Group IT, the generic roles in the pool, the contractors, and the demo logins.

Rates are fully loaded EUR per hour: internal staff 60-105, executives higher (rarely
planned), contractors and consultancies 95-165. Calendars: IE, DE or GB by where someone
works; contractors follow their company's country, not the project's.
"""

from __future__ import annotations

from decimal import Decimal

from itpm.demo.spec import LoginSpec, PersonSpec, RoleSpec

DEMO_PASSWORD = "itpm-demo-2026"  # noqa: S105 - printed on purpose: the demo's shared password

NETWORK_SUPPLIER = "Pennine Network Services Ltd"
SAP_SUPPLIER = "Mainfeld Consulting GmbH"
CLOUD_SUPPLIER = "Cirrus Cloud Partners Ltd"
SECURITY_SUPPLIER = "Bastion Security Advisory Ltd"
MOBILE_SUPPLIER = "Codehouse Digital SRL"
SUPPLIERS = {
    "network": NETWORK_SUPPLIER, "sap": SAP_SUPPLIER, "cloud": CLOUD_SUPPLIER,
    "security": SECURITY_SUPPLIER, "mobile": MOBILE_SUPPLIER, "": "",
}  # fmt: skip

# username | name | title | skills | rate | calendar | units
EMPLOYEE_TABLE = """
admin           | Aoife Brennan   | PMO lead | Portfolio management, PRINCE2 | 90 | IE | 1
pm              | Declan Walsh    | Senior project manager | PRINCE2, SAP S/4HANA | 95 | IE | 1
dev             | Priya Nair      | Integration developer | Python, REST APIs, ServiceNow | 78 | IE | 1
sponsor         | Margaret Keane  | Chief Financial Officer | Finance, Governance | 180 | IE | 1
brendan.doyle   | Brendan Doyle   | Chief Information Officer | IT strategy, Governance | 190 | IE | 1
katrin.hoffmann | Katrin Hoffmann | Chief Information Security Officer | ISO 27001, NIS2 | 160 | DE | 1
fiona.gallagher | Fiona Gallagher | HR Director | HR operations, Payroll | 150 | IE | 1
richard.hale    | Richard Hale    | Chief Operating Officer | Operations, Governance | 185 | GB | 1
eamon.quinn     | Eamon Quinn     | Head of Infrastructure and Operations | ITIL, Governance | 130 | IE | 1
sinead.kelly    | Sinéad Kelly    | Project manager | PMP, Microsoft Azure | 88 | IE | 1
oliver.grant    | Oliver Grant    | Delivery manager and Scrum Master | Scrum, Kanban, ITIL | 85 | GB | 1
juergen.weber   | Jürgen Weber    | Security programme manager | ISO 27001, NIS2, PRINCE2 | 95 | DE | 1
ruth.adeyemi    | Ruth Adeyemi    | Project manager | Microsoft 365, Kanban | 82 | GB | 1
conor.byrne     | Conor Byrne     | SAP solution architect | SAP S/4HANA, Architecture | 105 | IE | 1
mairead.lynch   | Mairéad Lynch   | Finance business analyst | SAP FI, Business analysis | 70 | IE | 0.5
stefan.braun    | Stefan Braun    | Procurement lead | SAP MM, Procurement | 72 | DE | 0.5
grainne.murphy  | Gráinne Murphy  | HR systems analyst | SAP SuccessFactors, Payroll | 68 | IE | 1
david.okafor    | David Okafor    | Test manager | Test management | 80 | GB | 1
anna.schmidt    | Anna Schmidt    | Data migration lead | SAP data migration, SQL | 88 | DE | 1
liam.fitzgerald | Liam Fitzgerald | Change and training lead | Change management, Training | 70 | IE | 1
niall.ryan      | Niall Ryan      | Cloud architect | Microsoft Azure, Terraform | 105 | IE | 1
lukas.fischer   | Lukas Fischer   | Cloud engineer | Microsoft Azure, Kubernetes | 82 | DE | 1
emma.clarke     | Emma Clarke     | Platform engineer | Microsoft Azure, Backup | 80 | GB | 1
padraig.nolan   | Pádraig Nolan   | Network architect | Cisco, SD-WAN, Network design | 100 | IE | 1
sophie.turner   | Sophie Turner   | Network engineer | Cisco, SD-WAN, Firewalls | 75 | GB | 1
marek.kowalski  | Marek Kowalski  | Database administrator | PostgreSQL, SQL Server | 82 | IE | 1
ben.carter      | Ben Carter      | End-user computing engineer | Microsoft Intune, Windows 11 | 62 | GB | 1
thomas.byrne    | Thomas Byrne    | Messaging and identity engineer | Exchange Online, Entra ID | 76 | IE | 1
kevin.moran     | Kevin Moran     | Service desk manager | ITIL, Product ownership | 72 | IE | 1
chloe.evans     | Chloe Evans     | ITSM developer | ServiceNow, JavaScript | 76 | GB | 1
ravi.sharma     | Ravi Sharma     | Full-stack developer | Python, React, REST APIs | 78 | GB | 1
jessica.hughes  | Jessica Hughes  | UX designer | User research, UX design | 72 | GB | 0.5
lena.wagner     | Lena Wagner     | Data engineer | Databricks, Python, SQL | 84 | DE | 1
hannah.keller   | Hannah Keller   | Information security analyst | ISO 27001, SIEM | 78 | DE | 1
ciara.doherty   | Ciara Doherty   | Compliance officer | GDPR, NIS2, Policy writing | 80 | IE | 0.5
orla.mcgrath    | Orla McGrath    | Internal auditor | Internal audit, ISO 27001 | 85 | IE | 0.5
"""

# username | name | title | skills | rate | calendar | supplier
CONTRACTOR_TABLE = """
vendor          | Tomasz Nowak    | Senior network engineer | Cisco, SD-WAN, Firewalls | 125 | GB | network
gareth.jones    | Gareth Jones    | Field engineer | Cisco, Structured cabling | 95 | GB | network
michael.lehmann | Michael Lehmann | SAP FI/CO consultant | SAP FI, SAP CO | 165 | DE | sap
sabine.krueger  | Sabine Krüger   | SAP SuccessFactors consultant | SAP SuccessFactors | 160 | DE | sap
arjun.mehta     | Arjun Mehta     | SAP MM consultant | SAP MM, SAP Ariba | 155 | DE | sap
colm.reilly     | Colm Reilly     | Azure migration engineer | Microsoft Azure, VMware | 135 | IE | cloud
james.whitfield | James Whitfield | ISO 27001 consultant | ISO 27001, Internal audit | 150 | GB | security
elena.popescu   | Elena Popescu   | Mobile developer | Kotlin, Swift, Flutter | 95 | GB | mobile
"""

# key | name | skills | rate | calendar | team size | supplier
ROLE_TABLE = """
sap-fi    | SAP FI consultant              | SAP FI, SAP CO                  | 150 | DE   | 3 | sap
sap-mm    | SAP MM consultant              | SAP MM                          | 145 | DE   | 2 | sap
sap-hcm   | SAP HCM and payroll consultant | SAP SuccessFactors, Payroll     | 150 | DE   | 2 | sap
abap      | ABAP developer                 | ABAP, SAP S/4HANA               | 110 | DE   | 3 | sap
tester    | Test analyst                   | Manual testing, Test automation | 65  | IE   | 4 |
network   | Network engineer               | Cisco, SD-WAN                   | 85  | IE   | 4 |
field     | Field technician               | Structured cabling              | 55  | GB   | 6 | network
cloud     | Cloud engineer                 | Microsoft Azure, Terraform      | 95  | IE   | 3 |
analyst   | Service desk analyst           | Service desk, ITIL              | 45  | IE   | 5 |
trainer   | Trainer                        | Training                        | 70  | IE   | 2 |
ops       | Operations bridge (24x7)       | ITIL, Monitoring                | 70  | 24x7 | 2 |
developer | Software developer             | Python, JavaScript, REST APIs   | 80  | IE   | 3 |
"""


def _rows(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in table.strip().splitlines()]


def _skills(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split(","))


def _person(row: list[str], supplier: str = "", max_units: str = "1") -> PersonSpec:
    username, name, title, skills, rate, calendar = row[:6]
    first, last = name.split(" ", 1)
    return PersonSpec(
        username=username, first_name=first, last_name=last, title=title, skills=_skills(skills),
        rate=Decimal(rate), calendar=calendar, max_units=Decimal(max_units), supplier=supplier,
    )  # fmt: skip


EMPLOYEES: tuple[PersonSpec, ...] = tuple(_person(row, max_units=row[6]) for row in _rows(EMPLOYEE_TABLE))
CONTRACTORS: tuple[PersonSpec, ...] = tuple(
    _person(row, supplier=SUPPLIERS[row[6]]) for row in _rows(CONTRACTOR_TABLE)
)
ROLES: tuple[RoleSpec, ...] = tuple(
    RoleSpec(
        key=f"role:{key}",
        name=name,
        skills=_skills(skills),
        rate=Decimal(rate),
        max_units=Decimal(units),
        calendar=calendar,
        supplier=SUPPLIERS[supplier],
    )
    for key, name, skills, rate, calendar, units, supplier in _rows(ROLE_TABLE)
)

LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", "PMO administrator (superuser): Aoife Brennan, PMO lead; sees and changes everything",
              superuser=True),
    LoginSpec("pm", "Project manager: Declan Walsh, runs the ERP rollout and the branch network refresh"),
    LoginSpec("dev", "Team member: Priya Nair, integration developer on the ERP rollout and the service-desk "
              "replacement"),
    LoginSpec("sponsor", "Stakeholder viewer: Margaret Keane, CFO, sponsor of the ERP rollout, read-only on "
              "several projects"),
    LoginSpec("vendor", "External supplier: Tomasz Nowak, Pennine Network Services, contractor on the branch "
              "network refresh"),
)  # fmt: skip

PROJECT_MANAGERS: tuple[str, ...] = ("pm", "sinead.kelly", "oliver.grant", "juergen.weber", "ruth.adeyemi")

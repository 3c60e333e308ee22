"""ERP-S4 scope: the SAP modules with their workshops and configuration, developments, migration."""

from __future__ import annotations

from typing import NamedTuple


class Module(NamedTuple):
    name: str
    lead: str  # business process owner, half time on the project
    consultant: str
    role: str  # the integrator's consultant team
    workshops: tuple[str, ...]
    configuration: tuple[str, ...]


MODULES = (
    Module(
        "Finance (FI/CO)",
        "mairead.lynch",
        "michael.lehmann",
        "role:sap-fi",
        (
            "General ledger and financial close",
            "Accounts payable and payment run",
            "Accounts receivable and credit management",
            "Asset accounting",
            "Controlling (cost centres and internal orders)",
            "Bank accounting and cash management",
        ),
        (
            "Chart of accounts, ledgers and company codes",
            "Accounts payable and automatic payment run",
            "Accounts receivable and dunning",
            "Asset classes and depreciation areas",
            "Cost centre and internal order accounting",
            "Bank statement processing and cash position",
        ),
    ),
    Module(
        "Procurement (MM)",
        "stefan.braun",
        "arjun.mehta",
        "role:sap-mm",
        (
            "Purchase requisitions and approval limits",
            "Purchase orders and contracts",
            "Goods receipt and inventory",
            "Invoice verification (three-way match)",
            "Supplier master data and onboarding",
        ),
        (
            "Purchasing organisation and release strategy",
            "Purchase order types and output",
            "Goods receipt and stock valuation",
            "Logistics invoice verification and tolerances",
            "Business partner for suppliers",
        ),
    ),
    Module(
        "HR (SuccessFactors and payroll)",
        "grainne.murphy",
        "sabine.krueger",
        "role:sap-hcm",
        (
            "Organisational management",
            "Personnel administration",
            "Time and absence management",
            "Payroll Ireland (Revenue PAYE modernisation)",
            "Payroll Germany (DEÜV and ELStAM)",
            "Payroll UK (RTI)",
        ),
        (
            "Organisation structure and positions",
            "Employee central: personnel actions",
            "Time profiles and absence quotas",
            "Payroll schemas Ireland",
            "Payroll schemas Germany",
            "Payroll schemas UK",
        ),
    ),
)

DEVELOPMENTS = (
    ("Interface: outgoing bank payments (ISO 20022 pain.001)", "dev", 12),
    ("Interface: bank statements (camt.053)", "dev", 8),
    ("Interface: payroll provider results posting", "dev", 10),
    ("Interface: e-invoicing via Peppol access point", "dev", 12),
    ("Report: monthly management accounts pack", "role:abap", 10),
    ("Enhancement: purchase order approval workflow", "role:abap", 12),
    ("Form: purchase order and remittance advice", "role:abap", 6),
    ("Conversion programs: open items and balances", "role:abap", 10),
)

MIGRATION_STEPS = (
    ("Extract data from legacy ERP and payroll", 4, "anna.schmidt"),
    ("Transform and map to S/4HANA templates", 6, "anna.schmidt"),
    ("Load into migration cockpit", 4, "role:sap-fi"),
    ("Reconcile balances and record counts", 4, "mairead.lynch"),
    ("Business sign-off of loaded data", 2, "stefan.braun"),
)

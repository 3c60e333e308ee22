"""A program's earned value: its projects' PV, EV, AC, indices and EAC in the currency of the
program's portfolio, and the program's own indicators from their sums. Reached from the program's
heading on the portfolio page; only projects whose budget the user may see are counted."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from itpm.finance.budget import program_budget
from itpm.web import finance_pages
from itpm.web.errors import service_errors


@require_GET
@login_required
@service_errors
def program_earned_value(request: HttpRequest, program_id: int) -> HttpResponse:
    roll = program_budget(request.user, program_id)
    context = {
        "roll": roll,
        "program": roll.program,
        "tiles": finance_pages.rollup_tiles(roll) if roll.lines else [],
        "thresholds": settings.ITPM_EVM_THRESHOLDS,
        "nav_section": "portfolio",
    }
    return render(request, "web/finance/program_earned_value.html", context)

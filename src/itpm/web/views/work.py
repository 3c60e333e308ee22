"""My work: the signed-in user's assignments across projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from itpm.portfolio.overview.my_work import my_work as load_my_work
from itpm.web.errors import service_errors


@require_GET
@login_required
@service_errors
def my_work(request: HttpRequest) -> HttpResponse:
    return render(request, "web/my_work.html", {"work": load_my_work(request.user)})

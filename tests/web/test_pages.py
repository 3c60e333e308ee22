"""Web pages for each persona: what is shown, what is not, forms, errors and headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, PERSONAS

pytestmark = pytest.mark.django_db

CANARY = "Canary project zq9x"
ERP_BUDGET = "€1,200,000"
BUDGET_ROLES = {"admin", "pm", "viewer"}
EDIT_ROLES = {"admin", "pm"}
TEAM_ROLES = {"admin", "pm", "member", "viewer"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


def field_block(page: str, name: str) -> str:
    """The markup of one form field: from its wrapper to the next field's wrapper."""
    start = page.index(f'id="field-{name}"')
    end = page.find('id="field-', start + 1)
    return page[start : end if end != -1 else None]


def assert_csp(response: Any) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "object-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


# ---- login and logout ----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(world: Any) -> None:
    for url in ("/", "/projects/", "/projects/ERP/", "/projects/ERP/tasks/", "/my-work/", "/projects/new/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login/?next=")


def test_login_page(world: Any) -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "Log in to itpm" in html(response)
    assert_csp(response)


def test_wrong_password_shows_an_error(world: Any) -> None:
    response = Client().post("/login/", {"username": "pm", "password": "not the password"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in html(response)
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_rotates_the_session_and_lands_on_the_portfolio(world: Any) -> None:
    client = Client()
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post("/login/", {"username": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.cookies["sessionid"].value != before
    assert client.get("/").status_code == 200


def test_login_does_not_redirect_off_site(world: Any) -> None:
    response = Client().post("/login/?next=//evil.example/", {"username": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_is_a_post(world: Any) -> None:
    client = client_for(world.pm)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


# ---- portfolio and projects pages ----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_portfolio_page(world: Any, persona: str) -> None:
    response = client_for(world.persona(persona)).get("/")
    page = html(response)
    assert response.status_code == 200
    assert_csp(response)
    assert "ERP rollout" in page
    assert "Digital core" in page
    assert (CANARY in page) is (persona == "admin")
    assert (ERP_BUDGET in page) is (persona in BUDGET_ROLES)
    assert '<meta name="htmx-config"' in page
    assert "style=" not in page
    assert "<script>" not in page
    assert (">Admin</a>" in page) is (persona == "admin")


def test_portfolio_kpis_count_only_visible_projects(world: Any) -> None:
    response = client_for(world.pm).get("/")
    kpis = response.context["kpis"]
    assert (kpis.visible, kpis.in_flight) == (1, 1)
    assert kpis.budgets == {"EUR": Decimal("1200000")}
    admin_kpis = client_for(world.admin).get("/").context["kpis"]
    assert admin_kpis.visible == 2
    assert admin_kpis.budgets == {"EUR": Decimal("1205000")}
    member_kpis = client_for(world.member).get("/").context["kpis"]
    assert member_kpis.budgets == {}
    assert member_kpis.budget_hidden == 1


def test_portfolio_filters_swap_a_fragment(world: Any) -> None:
    client = client_for(world.admin)
    fragment = client.get("/", {"q": "erp"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in html(fragment)
    assert "ERP rollout" in html(fragment)
    assert CANARY not in html(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    none = client.get("/", {"status": "closed"}, HTTP_HX_REQUEST="true")
    assert "No projects match" in html(none)
    by_rag = html(client.get("/", {"rag": "green", "methodology": "waterfall"}))
    assert "ERP rollout" in by_rag
    assert "<html" in by_rag  # without HTMX the whole page comes back


def test_unknown_filter_values_are_ignored(world: Any) -> None:
    response = client_for(world.pm).get("/", {"status": "<script>", "rag": "purple"})
    assert response.status_code == 200
    assert "ERP rollout" in html(response)
    assert "<script>" not in html(response)


@pytest.mark.parametrize("persona", PERSONAS)
def test_projects_page(world: Any, persona: str) -> None:
    response = client_for(world.persona(persona)).get("/projects/")
    page = html(response)
    assert response.status_code == 200
    assert "ERP rollout" in page
    assert (CANARY in page) is (persona == "admin")
    assert ("New project" in page) is (persona in EDIT_ROLES)
    assert (ERP_BUDGET in page) is (persona in BUDGET_ROLES)


def test_projects_sort_and_filter(world: Any) -> None:
    client = client_for(world.admin)
    codes = [row.project.code for row in client.get("/projects/", {"sort": "-code"}).context["listing"].rows]
    assert codes == ["ERP", "CANARY"]
    codes = [row.project.code for row in client.get("/projects/", {"sort": "budget"}).context["listing"].rows]
    assert codes == ["CANARY", "ERP"]
    fragment = client.get("/projects/", {"q": "canary", "sort": "name"}, HTTP_HX_REQUEST="true")
    assert "<html" not in html(fragment)
    assert [row.project.code for row in fragment.context["listing"].rows] == ["CANARY"]
    assert "sort=-name" in html(fragment)  # the current column flips direction


def test_hidden_budgets_sort_last(world: Any) -> None:
    rows = client_for(world.member).get("/projects/", {"sort": "-budget"}).context["listing"].rows
    assert [row.budget for row in rows] == [None]


# ---- project overview and tasks ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_project_overview(world: Any, persona: str) -> None:
    response = client_for(world.persona(persona)).get("/projects/ERP/")
    page = html(response)
    assert response.status_code == 200
    assert_csp(response)
    assert "ERP rollout" in page
    assert 'hx-get="/projects/ERP/tasks/"' in page
    assert ("Edit project" in page) is (persona in EDIT_ROLES)
    assert ('id="team-card"' in page) is (persona in TEAM_ROLES)
    assert ('id="budget-title"' in page) is (persona in BUDGET_ROLES)
    assert (ERP_BUDGET in page) is (persona in BUDGET_ROLES)
    assert CANARY not in page


def test_supplier_sees_no_member_directory(world: Any) -> None:
    page = html(client_for(world.supplier).get("/projects/ERP/"))
    for name in ("viewer", "member"):
        assert f">{name}<" not in page
    assert "Team" not in page


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "supplier"])
def test_business_case_is_withheld_from_suppliers(world: Any, persona: str) -> None:
    from itpm.portfolio.models import Project

    Project.objects.filter(pk=world.project.pk).update(business_case="Saves 1.2 M EUR a year in licences")
    page = html(client_for(world.persona(persona)).get("/projects/ERP/"))
    assert ("Saves 1.2 M EUR" in page) is (persona != "supplier")


def test_overview_shows_goals_phases_and_milestones(world: Any) -> None:
    from itpm.planning.models import Phase
    from itpm.portfolio.models import Goal

    Goal.objects.create(project=world.project, text="Close the books in 3 days", measure="Days to close")
    Phase.objects.create(project=world.project, name="Initiation", gate="Business case approved")
    world.golive.finish = dt.date(2099, 1, 1)
    world.golive.save()
    page = html(client_for(world.viewer).get("/projects/ERP/"))
    assert "Close the books in 3 days" in page
    assert "Days to close" in page
    assert "Business case approved" in page
    assert "Go-live" in page
    supplier_page = html(client_for(world.supplier).get("/projects/ERP/"))
    assert "Go-live" not in supplier_page  # not one of the supplier's tasks


@pytest.mark.parametrize("persona", ["pm", "member", "viewer", "supplier", "outsider"])
def test_hidden_project_is_the_same_404_as_a_missing_one(world: Any, persona: str) -> None:
    client = client_for(world.persona(persona))
    for suffix in ("", "tasks/", "edit/"):
        hidden = client.get(f"/projects/CANARY/{suffix}")
        missing = client.get(f"/projects/NO-SUCH-CODE/{suffix}")
        if persona == "outsider":
            hidden, missing = client.get(f"/projects/ERP/{suffix}"), missing
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
        assert CANARY not in html(hidden)
        assert_csp(hidden)


def test_admin_sees_the_canary(world: Any) -> None:
    response = client_for(world.admin).get("/projects/CANARY/")
    assert response.status_code == 200
    assert CANARY in html(response)


def test_task_list(world: Any) -> None:
    fragment = client_for(world.pm).get("/projects/ERP/tasks/", HTTP_HX_REQUEST="true")
    page = html(fragment)
    assert fragment.status_code == 200
    assert "<html" not in page
    for name in ("Design", "Build", "Go-live"):
        assert name in page
    assert 'class="diamond"' in page
    assert "Canary task" not in page
    full = client_for(world.pm).get("/projects/ERP/tasks/")
    assert "<html" in html(full)
    assert "Design" in html(full)


def test_supplier_sees_only_assigned_tasks(world: Any) -> None:
    page = html(client_for(world.supplier).get("/projects/ERP/tasks/", HTTP_HX_REQUEST="true"))
    assert "Build" in page
    assert "Design" not in page
    assert "Go-live" not in page
    assert "only the tasks assigned to you" in page


def test_task_list_indents_by_outline_level(world: Any) -> None:
    from itpm.planning.models import Task

    Task.objects.create(project=world.project, parent=world.build, name="Interfaces", wbs_code="2.1", order=4)
    page = html(client_for(world.pm).get("/projects/ERP/tasks/", HTTP_HX_REQUEST="true"))
    assert 'class="task-name lvl-2">Interfaces' in page


# ---- my work -------------------------------------------------------------------------------------


def test_my_work(world: Any) -> None:
    member_page = html(client_for(world.member).get("/my-work/"))
    assert "Design" in member_page
    assert "Build" not in member_page
    supplier_page = html(client_for(world.supplier).get("/my-work/"))
    assert "Build" in supplier_page
    assert "Design" not in supplier_page
    viewer_page = html(client_for(world.viewer).get("/my-work/"))
    assert "not in the resource pool" in viewer_page
    assert "Canary task" not in viewer_page


def test_my_work_with_a_resource_but_no_assignments(world: Any) -> None:
    from itpm.resources.models import Resource

    Resource.objects.create(name="Paula PM", user=world.pm)
    assert "Nothing assigned to you" in html(client_for(world.pm).get("/my-work/"))


# ---- the project forms ---------------------------------------------------------------------------


def create_data(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "CRM",
        "name": "CRM replacement",
        "portfolio": world.portfolio.pk,
        "program": world.program.pk,
        "methodology": "agile-scrum",
        "status": "planning",
        "rag": "green",
        "manager": "",
        "sponsor": world.viewer.pk,
        "planned_start": "2026-02-02",
        "planned_finish": "2026-09-30",
        "budget": "250000",
        "currency": "eur",
        "calendar": world.calendar.pk,
        "description": "",
        "business_case": "Fewer licences, one customer view.",
    }
    data.update(changes)
    return data


def edit_data(world: Any, **changes: Any) -> dict[str, Any]:
    project = world.project
    project.refresh_from_db()
    data = create_data(
        world,
        code=project.code,
        name=project.name,
        methodology=project.methodology,
        status=project.status,
        rag=project.rag,
        manager=project.manager_id,
        sponsor="",
        planned_start=project.planned_start.isoformat(),
        planned_finish=project.planned_finish.isoformat(),
        budget=str(project.budget),
        currency=project.currency,
        lock_version=project.lock_version,
    )
    data.update(changes)
    return data


def test_create_project(world: Any) -> None:
    from itpm.portfolio.models import Project

    client = client_for(world.pm)
    assert client.get("/projects/new/").status_code == 200
    response = client.post("/projects/new/", create_data(world))
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects/CRM/"
    created = Project.objects.get(code="CRM")
    assert created.manager == world.pm
    assert created.currency == "EUR"
    page = html(client.get("/projects/CRM/"))
    assert "Project CRM was created." in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"planned_finish": "2026-01-01"}, "planned_finish", "on or after the planned start"),
        ({"code": "CANARY"}, "code", "already exists"),
        ({"budget": "lots"}, "budget", "Enter a number"),
        ({"budget": "-5"}, "budget", "greater than or equal to 0"),
        ({"code": "not a slug!"}, "code", "Enter a valid"),
        ({"name": ""}, "name", "This field is required"),
        ({"currency": "EURO"}, "currency", "at most 3 characters"),
    ],
)
def test_create_project_with_bad_input(world: Any, changes: dict[str, str], field: str, message: str) -> None:
    from itpm.portfolio.models import Project

    before = Project.objects.count()
    response = client_for(world.pm).post("/projects/new/", create_data(world, **changes))
    assert response.status_code == 422
    assert message in field_block(html(response), field)
    assert Project.objects.count() == before
    assert_csp(response)


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier", "outsider"])
def test_create_form_is_refused(world: Any, persona: str) -> None:
    from itpm.portfolio.models import Project

    client = client_for(world.persona(persona))
    assert client.get("/projects/new/").status_code == 403
    assert client.post("/projects/new/", create_data(world)).status_code == 403
    assert not Project.objects.filter(code="CRM").exists()


def test_edit_project(world: Any) -> None:
    client = client_for(world.pm)
    form_page = client.get("/projects/ERP/edit/")
    assert form_page.status_code == 200
    assert 'name="lock_version" value="0"' in html(form_page)
    response = client.post("/projects/ERP/edit/", edit_data(world, rag="amber", name="ERP rollout 2"))
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert (world.project.rag, world.project.name, world.project.lock_version) == (
        "amber",
        "ERP rollout 2",
        1,
    )


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier"])
def test_edit_form_is_forbidden_without_the_role(world: Any, persona: str) -> None:
    client = client_for(world.persona(persona))
    assert client.get("/projects/ERP/edit/").status_code == 403
    response = client.post("/projects/ERP/edit/", edit_data(world, name="Hijacked"))
    assert response.status_code == 403
    assert "ERP rollout" not in html(response)
    world.project.refresh_from_db()
    assert world.project.name == "ERP rollout"


def test_stale_edit_is_a_conflict(world: Any) -> None:
    client = client_for(world.pm)
    stale = edit_data(world, name="Mine")
    assert client.post("/projects/ERP/edit/", edit_data(world, name="Theirs")).status_code == 302
    response = client.post("/projects/ERP/edit/", stale)
    assert response.status_code == 409
    assert "Someone else changed this project" in html(response)
    world.project.refresh_from_db()
    assert world.project.name == "Theirs"
    assert world.project.lock_version == 1


def test_edit_with_bad_input_changes_nothing(world: Any) -> None:
    client = client_for(world.pm)
    response = client.post("/projects/ERP/edit/", edit_data(world, code="CANARY", name="Renamed"))
    assert response.status_code == 422
    assert "already exists" in field_block(html(response), "code")
    assert "Edit ERP rollout" in html(response)
    world.project.refresh_from_db()
    assert (world.project.code, world.project.name, world.project.lock_version) == ("ERP", "ERP rollout", 0)


def test_edit_refuses_a_missing_lock_version(world: Any) -> None:
    data = edit_data(world, name="No version")
    del data["lock_version"]
    response = client_for(world.pm).post("/projects/ERP/edit/", data)
    assert response.status_code == 422
    assert "missing its version stamp" in html(response)
    world.project.refresh_from_db()
    assert world.project.name == "ERP rollout"


def test_forms_need_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.pm)
    assert client.post("/projects/new/", create_data(world)).status_code == 403
    assert client.post("/projects/ERP/edit/", edit_data(world)).status_code == 403


# ---- error pages and headers ---------------------------------------------------------------------


def test_403_page_leaks_nothing(world: Any) -> None:
    response = client_for(world.viewer).get("/projects/ERP/edit/")
    page = html(response)
    assert response.status_code == 403
    assert "You may not do this" in page
    assert "ERP" not in page
    assert "change project" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_html_response_has_the_csp(world: Any, persona: str) -> None:
    client = client_for(world.persona(persona))
    urls = (
        "/",
        "/projects/",
        "/projects/ERP/",
        "/projects/ERP/tasks/",
        "/projects/ERP/edit/",
        "/projects/new/",
        "/projects/CANARY/",
        "/my-work/",
        "/no-such-page/",
    )
    for url in urls:
        response = client.get(url)
        assert response.headers["Content-Type"].startswith("text/html"), url
        assert_csp(response)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---- query counts --------------------------------------------------------------------------------


def add_projects(world: Any, count: int) -> None:
    """More projects the pm sees, in several programs and roles, each with a scheduled task."""
    from itpm.planning.models import Task
    from itpm.portfolio.models import Membership, Program, Project

    first = Project.objects.count()
    for n in range(first, first + count):
        program = Program.objects.create(portfolio=world.portfolio, name=f"Program {n}") if n % 2 else None
        project = Project.objects.create(
            portfolio=world.portfolio,
            program=program,
            code=f"P{n}",
            name=f"Project {n}",
            planned_start=dt.date(2026, 1, 5),
            planned_finish=dt.date(2026, 6, 30),
            manager=(world.member, world.viewer, None)[n % 3],
            rag=("green", "amber", "red")[n % 3],
        )
        role = "project-manager" if n % 2 else "stakeholder"
        Membership.objects.create(project=project, user=world.pm, role=role)
        Task.objects.create(project=project, name="Work", finish=dt.date(2026, 7, 1))


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/?q=project&rag=amber", "/projects/", "/projects/?sort=-budget"])
def test_list_pages_do_not_grow_queries_with_projects(world: Any, url: str) -> None:
    client = client_for(world.pm)
    add_projects(world, 1)  # 2 projects
    few = count_queries(client, url)
    add_projects(world, 8)  # 10 projects
    assert count_queries(client, url) == few
    assert few <= 8


def test_my_work_queries_do_not_grow(world: Any) -> None:
    from itpm.planning.models import Task
    from itpm.resources.models import Assignment

    client = client_for(world.member)
    few = count_queries(client, "/my-work/")
    for n in range(10):
        task = Task.objects.create(project=world.project, name=f"Extra {n}", order=10 + n)
        Assignment.objects.create(task=task, resource=world.member_resource)
    assert count_queries(client, "/my-work/") == few


# ---- the admin -----------------------------------------------------------------------------------


def test_admin_lists_every_model(world: Any) -> None:
    client = client_for(world.admin)
    for model in (
        "accounts/apitoken",
        "portfolio/portfolio",
        "portfolio/program",
        "portfolio/project",
        "portfolio/goal",
        "portfolio/membership",
        "planning/calendar",
        "planning/calendarexception",
        "planning/phase",
        "planning/task",
        "planning/dependency",
        "planning/baseline",
        "planning/baselinetask",
        "resources/skill",
        "resources/resource",
        "resources/assignment",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model
    assert client.get(f"/admin/portfolio/project/{world.project.pk}/change/").status_code == 200
    assert client.get(f"/admin/planning/task/{world.build.pk}/change/").status_code == 200
    assert client.get(f"/admin/planning/calendar/{world.calendar.pk}/change/").status_code == 200


def test_admin_never_shows_token_hashes(world: Any) -> None:
    from itpm.accounts.models import ApiToken, hash_token

    digest = hash_token("itpm_secret_token_value")
    token = ApiToken.objects.create(user=world.pm, name="ci", prefix="itpm_sec", key_hash=digest)
    client = client_for(world.admin)
    for url in ("/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/"):
        page = html(client.get(url))
        assert "itpm_sec" in page
        assert digest not in page
        assert "key_hash" not in page
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_admin_is_for_staff_only(world: Any) -> None:
    response = client_for(world.pm).get("/admin/portfolio/project/")
    assert response.status_code == 302

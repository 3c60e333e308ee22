"""REST routes for portfolios, programs and projects."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Router, Schema, Status
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud, versioned
from itpm.portfolio import services
from itpm.portfolio.models import LifecycleStatus, Methodology, Rag, Role
from itpm.portfolio.rules import can

router = Router()

MethodologyChoice = Methodology
StatusChoice = LifecycleStatus
RagChoice = Rag
RoleChoice = Role


# ---- portfolios --------------------------------------------------------------------------------


class PortfolioOut(Schema):
    id: int
    name: str
    description: str
    currency: str


class PortfolioIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    currency: str = Field("EUR", min_length=3, max_length=3)


class PortfolioPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)


class PortfolioFilter(FilterSchema):
    name: Annotated[str | None, FilterLookup(q="name__icontains")] = None


# ---- programs ----------------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    portfolio_id: int
    name: str
    description: str
    manager_id: int | None


class ProgramIn(InputSchema):
    portfolio_id: int
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    manager_id: int | None = None


class ProgramPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    manager_id: int | None = None


class ProgramFilter(FilterSchema):
    portfolio_id: int | None = None
    name: Annotated[str | None, FilterLookup(q="name__icontains")] = None


# ---- projects ----------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    description: str
    portfolio_id: int
    program_id: int | None
    methodology: MethodologyChoice
    status: StatusChoice
    rag: RagChoice
    sponsor_id: int | None
    manager_id: int | None
    planned_start: dt.date
    planned_finish: dt.date
    budget: Decimal | None = Field(None, description="Null when your role may not see budgets.")
    currency: str
    business_case: str | None = Field(None, description="Null when your role may not see it.")
    calendar_id: int | None
    status_date: dt.date | None
    schedule_issues: list[dict[str, Any]] = Field(description="The scheduler's conflicts and set-aside data.")
    scheduled_at: dt.datetime | None
    lock_version: int

    @staticmethod
    def resolve_budget(obj: Any, context: dict[str, Any]) -> Decimal | None:
        user = acting_user(context["request"])
        return obj.budget if can(user, "view_budget", obj) else None

    @staticmethod
    def resolve_business_case(obj: Any, context: dict[str, Any]) -> str | None:
        user = acting_user(context["request"])
        return obj.business_case if can(user, "view_business_case", obj) else None


class ProjectFields(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    program_id: int | None = None
    methodology: MethodologyChoice | None = None
    status: StatusChoice | None = None
    rag: RagChoice | None = None
    sponsor_id: int | None = None
    manager_id: int | None = None
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    business_case: str | None = None
    calendar_id: int | None = None
    status_date: dt.date | None = Field(None, description="Progress is as of the end of this day.")

    @field_validator(
        "name", "methodology", "status", "rag", "planned_start", "planned_finish", "budget", "currency"
    )
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class ProjectIn(ProjectFields):
    portfolio_id: int
    code: str = Field(..., min_length=1, max_length=20, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=200)
    planned_start: dt.date
    planned_finish: dt.date


class ProjectPatch(ProjectFields):
    code: str | None = Field(None, min_length=1, max_length=20, pattern=r"^[-a-zA-Z0-9_]+$")
    lock_version: int | None = Field(None, description="The version you read; a stale one answers 409.")


class ProjectFilter(FilterSchema):
    portfolio_id: int | None = None
    program_id: int | None = None
    status: StatusChoice | None = None
    rag: RagChoice | None = None
    methodology: MethodologyChoice | None = None
    manager_id: int | None = None
    search: Annotated[str | None, FilterLookup(q=["name__icontains", "code__icontains"])] = None


class MemberOut(Schema):
    id: int
    user_id: int
    username: str = Field(..., alias="user.username")
    full_name: str
    role: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return str(obj.user.get_full_name() or obj.user.username)


def _delete_portfolio(user: Any, item: Any) -> None:
    services.check_delete_portfolio(user, item)


add_crud(
    router,
    "/portfolios",
    Crud(
        name="portfolios",
        out=PortfolioOut,
        create_in=PortfolioIn,
        update_in=PortfolioPatch,
        filters=PortfolioFilter,
        visible=services.visible_portfolios,
        access=services.access_portfolio,
        create=services.check_create_portfolio,
        update=services.check_update_portfolio,
        delete=_delete_portfolio,
        order_by=("name",),
    ),
)
add_crud(
    router,
    "/programs",
    Crud(
        name="programs",
        out=ProgramOut,
        create_in=ProgramIn,
        update_in=ProgramPatch,
        filters=ProgramFilter,
        visible=services.visible_programs,
        access=services.access_program,
        create=services.check_create_program,
        update=services.check_update_program,
        delete=services.check_delete_program,
        order_by=("name",),
    ),
)
add_crud(
    router,
    "/projects",
    Crud(
        name="projects",
        out=ProjectOut,
        create_in=ProjectIn,
        update_in=ProjectPatch,
        filters=ProjectFilter,
        visible=services.visible_projects,
        access=lambda user, pk: services.access_project(user, pk),
        create=services.check_create_project,
        update=versioned(services.check_update_project),
        delete=services.check_delete_project,
        order_by=("code",),
    ),
)


class MemberIn(InputSchema):
    user_id: int
    role: RoleChoice


class MemberPatch(InputSchema):
    role: RoleChoice


@router.get("/projects/{project_id}/members", response=list[MemberOut], tags=["members"])
def project_members(request: HttpRequest, project_id: int) -> Any:
    user = acting_user(request)
    return list(services.project_team(user, services.access_project(user, project_id)))


@router.post("/projects/{project_id}/members", response={201: MemberOut}, tags=["members"])
def add_member(request: HttpRequest, project_id: int, payload: MemberIn) -> Any:
    user = acting_user(request)
    project = services.access_project(user, project_id)
    return Status(201, services.check_add_member(user, project, payload.user_id, payload.role))


@router.patch("/projects/{project_id}/members/{membership_id}", response=MemberOut, tags=["members"])
def change_member(request: HttpRequest, project_id: int, membership_id: int, payload: MemberPatch) -> Any:
    user = acting_user(request)
    project = services.access_project(user, project_id)
    return services.check_change_member(
        user, services.access_membership(user, project, membership_id), payload.role
    )


@router.delete("/projects/{project_id}/members/{membership_id}", response={204: None}, tags=["members"])
def remove_member(request: HttpRequest, project_id: int, membership_id: int) -> Any:
    user = acting_user(request)
    project = services.access_project(user, project_id)
    services.check_remove_member(user, services.access_membership(user, project, membership_id))
    return Status(204, None)

"""REST routes for capacity across projects, levelling, what-if and team size (docs/resources.md).

Reads are GET with query parameters; levelling apply and clear change the plan (POST); what-if
and team size compute without saving, and take a body because their questions have structure.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from itpm.core.api import InputSchema, acting_user
from itpm.portfolio.services import access_project
from itpm.resources import levelling, pages, teamsize, whatif

router = Router(tags=["resources"])


class LoadParams(Schema):
    start: dt.date | None = Field(None, description="First week (its Monday); this week by default.")
    weeks: int = Field(16, ge=1, le=104)
    group: Literal["person", "role", "team"] = "person"
    role: str = ""
    team: str = Field("", description="A supplier's name, or Internal.")
    project: str = Field("", description="A project code: only its work, and the people it uses.")
    sort: Literal["name", "load"] = "name"
    page: int = Field(1, ge=1)
    resource: int | None = None


def _query(params: LoadParams) -> pages.LoadQuery:
    first = params.start or pages.default_first(timezone.localdate())
    data = params.dict(exclude={"start"})
    data["resource_id"] = data.pop("resource")
    return pages.LoadQuery(first=first, **data)


class CellOut(Schema):
    week: dt.date
    demand: float = Field(description="Unit-days planned in the week.")
    capacity: float = Field(description="Unit-days available in the week (leave and holidays removed).")
    percent: int | None
    over: bool = Field(description="Over capacity on at least one day of the week.")
    over_people: int


class LoadRowOut(Schema):
    key: str
    label: str
    detail: str
    units: float
    resource_id: int | None
    over_weeks: int
    peak_percent: int
    cells: list[CellOut]


class LoadOut(Schema):
    weeks: list[dt.date]
    rows: list[LoadRowOut]
    total: int
    pages: int
    over_rows: int


@router.get("/capacity/load", response=LoadOut)
def read_load(request: HttpRequest, params: Query[LoadParams]) -> Any:
    """Each resource's (or role's, or team's) planned work against capacity, week by week."""
    return pages.load_page(acting_user(request), _query(params))


class BookingOut(Schema):
    task_id: int
    task_name: str
    project_code: str
    start: dt.date
    finish: dt.date
    units: float


class RunOut(Schema):
    resource_id: int
    resource: str
    role: str
    team: str
    start: dt.date
    finish: dt.date
    days: int
    peak_demand: float
    capacity: float
    excess_days: float
    on_leave_days: int
    projects: list[str]
    bookings: list[BookingOut]


@router.get("/capacity/over-allocations", response=list[RunOut])
def read_over_allocations(request: HttpRequest, params: Query[LoadParams]) -> Any:
    """Stretches of days on which a resource is asked for more than it has, and the tasks why."""
    return pages.over_allocation_list(acting_user(request), _query(params))


class CompetitorOut(Schema):
    task_id: int
    name: str
    project_code: str


class ReasonOut(Schema):
    resource: str
    units: float
    capacity: float
    competitors: list[CompetitorOut]
    away: list[tuple[dt.date, dt.date]]  # first and last days the resource is on leave or off then


class MoveOut(Schema):
    task_id: int
    wbs: str
    name: str
    project_code: str
    start_before: dt.date
    start_after: dt.date
    finish_after: dt.date
    shift_days: int
    delay_days: int
    reasons: list[ReasonOut]
    follows: str


class OverRunOut(Schema):
    resource: str
    start: dt.date
    finish: dt.date
    demand: float
    capacity: float
    tasks: list[str]


class FinishOut(Schema):
    code: str
    name: str
    before: dt.date | None
    after: dt.date | None
    change_days: int | None


class PreviewOut(Schema):
    scope: str
    finishes: list[FinishOut]
    over_before: list[OverRunOut]
    over_after: list[OverRunOut]
    moves: list[MoveOut]
    delays: dict[int, int] = Field(
        description="Task id -> levelling delay in working days, as apply stores it."
    )
    notes: list[str]
    found_by: str
    seconds: float
    applies_to: list[str] = Field(description="Codes of the projects whose tasks apply may move.")


class ScopeParams(Schema):
    scope: Literal["project", "shared"] = "project"


class ScopeIn(InputSchema):
    scope: Literal["project", "shared"] = "project"


@router.get("/projects/{project_id}/levelling", response=PreviewOut)
def preview(request: HttpRequest, project_id: int, params: Query[ScopeParams]) -> Any:
    """What levelling would do, and why each task moves; nothing is saved."""
    user = acting_user(request)
    return levelling.preview_levelling(user, access_project(user, project_id), params.scope)


@router.post("/projects/{project_id}/levelling/apply", response=PreviewOut)
def apply(request: HttpRequest, project_id: int, payload: ScopeIn | None = None) -> Any:
    """Level afresh and store each task's levelling delay, then reschedule."""
    user = acting_user(request)
    scope = payload.scope if payload else "project"
    return levelling.check_apply_levelling(user, access_project(user, project_id), scope)


class ClearedOut(Schema):
    cleared: int = Field(description="Tasks whose levelling delay went back to 0.")


@router.post("/projects/{project_id}/levelling/clear", response=ClearedOut)
def clear(request: HttpRequest, project_id: int) -> Any:
    user = acting_user(request)
    return {"cleared": levelling.check_clear_levelling(user, access_project(user, project_id))}


class WhatIfIn(InputSchema):
    kind: Literal["add", "shift"]
    resource_id: int | None = Field(None, description="add: the resource (a role or a person) to add to.")
    units: float = Field(1.0, gt=0, le=50, description="add: units of capacity to add (1 = one person).")
    project: str = Field("", description="shift: the code of the project to move.")
    days: int = Field(0, ge=-260, le=260, description="shift: working days later (negative: earlier).")


class FinishChangeOut(Schema):
    code: str
    name: str
    stored: dt.date | None
    before: dt.date | None
    after: dt.date | None
    change_days: int | None


class WhatIfOut(Schema):
    description: str
    finishes: list[FinishChangeOut]
    seconds: float


@router.post("/what-if", response=WhatIfOut)
def what_if(request: HttpRequest, payload: WhatIfIn) -> Any:
    """Every affected project's finish, levelled as things are and with the change; nothing saved."""
    scenario = whatif.Scenario(
        payload.kind, payload.resource_id, payload.units, payload.project, payload.days
    )
    return whatif.what_if(acting_user(request), scenario)


class TeamSizeIn(InputSchema):
    target: dt.date | None = Field(None, description="Finish by this date: suggest people per role.")
    team: dict[str, int] | None = Field(None, description="Role -> people: the finish with this team.")


class RoleNeedOut(Schema):
    role: str
    effort_days: float
    team_now: float
    peak_units: float
    suggested: int


class TeamSizeOut(Schema):
    target: dt.date | None
    available_days: int | None
    roles: list[RoleNeedOut]
    finish_now: dt.date | None
    finish_suggested: dt.date | None
    finish_custom: dt.date | None
    earliest_possible: dt.date | None
    met: bool
    seconds: float


@router.post("/projects/{project_id}/team-size", response=TeamSizeOut)
def team_size(request: HttpRequest, project_id: int, payload: TeamSizeIn) -> Any:
    """People per role to finish by `target`, and the finish with `team`; nothing is saved."""
    user = acting_user(request)
    return teamsize.size_team(user, access_project(user, project_id), payload.target, payload.team)

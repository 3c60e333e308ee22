"""REST routes for the resource pool and assignments."""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, FilterLookup, FilterSchema, Router, Schema
from pydantic import field_validator

from itpm.core.api import Crud, InputSchema, acting_user, add_crud
from itpm.resources import services
from itpm.resources.models import ResourceKind

router = Router()


class ResourceOut(Schema):
    id: int
    name: str
    kind: ResourceKind
    user_id: int | None
    role: str
    skills: list[str]
    email: str
    cost_rate: Decimal | None = Field(None, description="Null unless you manage a project.")
    currency: str
    max_units: Decimal
    calendar_id: int | None
    supplier: str
    active: bool

    @staticmethod
    def resolve_skills(obj: Any) -> list[str]:
        return services.resource_skills(obj)

    @staticmethod
    def resolve_cost_rate(obj: Any, context: dict[str, Any]) -> Decimal | None:
        return obj.cost_rate if services.may_see_cost_rates(acting_user(context["request"])) else None


class ResourceFields(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ResourceKind | None = None
    user_id: int | None = None
    role: str | None = Field(None, max_length=100)
    skills: list[str] | None = None
    email: str | None = Field(None, max_length=254)
    cost_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    max_units: Decimal | None = Field(None, gt=0, max_digits=6, decimal_places=2)
    calendar_id: int | None = None
    supplier: str | None = Field(None, max_length=200)
    active: bool | None = None

    @field_validator("name", "kind", "role", "cost_rate", "currency", "max_units", "supplier", "active")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class ResourceIn(ResourceFields):
    name: str = Field(..., min_length=1, max_length=200)


class ResourceFilter(FilterSchema):
    kind: ResourceKind | None = None
    role: Annotated[str | None, FilterLookup(q="role__icontains")] = None
    skill: Annotated[str | None, FilterLookup(q="skills__name__iexact")] = None
    active: bool | None = None
    search: Annotated[str | None, FilterLookup(q=["name__icontains", "role__icontains"])] = None


class AssignmentOut(Schema):
    id: int
    task_id: int
    resource_id: int
    units: Decimal


class AssignmentIn(InputSchema):
    task_id: int
    resource_id: int
    units: Decimal = Field(Decimal(1), gt=0, max_digits=6, decimal_places=2)


class AssignmentPatch(InputSchema):
    units: Decimal = Field(..., gt=0, max_digits=6, decimal_places=2)


class AssignmentFilter(FilterSchema):
    task_id: int | None = None
    resource_id: int | None = None
    project_id: Annotated[int | None, FilterLookup(q="task__project_id")] = None


def _with_skills(service: Any) -> Any:
    """Skills are a list of names in the API and a relation in the model: split them off."""

    def call(user: Any, *args: Any) -> Any:
        data = args[-1]
        return service(user, *args[:-1], data, data.pop("skills", None))

    return call


add_crud(
    router,
    "/resources",
    Crud(
        name="resources",
        out=ResourceOut,
        create_in=ResourceIn,
        update_in=ResourceFields,
        filters=ResourceFilter,
        visible=lambda u: services.visible_resources(u).prefetch_related("skills").distinct(),
        access=services.access_resource,
        create=_with_skills(services.check_create_resource),
        update=_with_skills(services.check_update_resource),
        delete=services.check_delete_resource,
        order_by=("name", "id"),
    ),
)
add_crud(
    router,
    "/assignments",
    Crud(
        name="assignments",
        out=AssignmentOut,
        create_in=AssignmentIn,
        update_in=AssignmentPatch,
        filters=AssignmentFilter,
        visible=services.visible_assignments,
        access=services.access_assignment,
        create=services.check_create_assignment,
        update=services.check_update_assignment,
        delete=services.check_delete_assignment,
    ),
)

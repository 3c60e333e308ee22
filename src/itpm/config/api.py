"""The REST API root: /api/v1/, with its OpenAPI document and interactive docs at /api/v1/docs."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from itpm.accounts.api import router as account_router
from itpm.core.api import API_AUTH
from itpm.core.errors import Invalid, ServiceError
from itpm.finance.api import router as finance_router
from itpm.governance.api import router as governance_router
from itpm.planning.api import router as planning_router
from itpm.planning.baselines_api import router as baselines_router
from itpm.portfolio.api import router as portfolio_router
from itpm.resources.api import router as resources_router
from itpm.resources.planning_api import router as resource_planning_router
from itpm.timesheets.api import router as timesheets_router

api = NinjaAPI(
    title="itpm API",
    version="1",
    description="Portfolios, projects, plans and resources. Authenticate with a session cookie "
    "(browser) or `Authorization: Bearer <token>` (scripts; create one at POST /api/v1/tokens).",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("/", account_router)
api.add_router("/", portfolio_router)
api.add_router("/", planning_router)
api.add_router("/", baselines_router)
api.add_router("/", resources_router)
api.add_router("/", resource_planning_router)
api.add_router("/", finance_router)
api.add_router("/", timesheets_router)
api.add_router("/", governance_router)


def _error(
    request: HttpRequest, status: int, detail: str, field: str | None = None, errors: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "field": field, "errors": errors or {}}, status=status
    )


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    errors = exc.errors if isinstance(exc, Invalid) else {}
    return _error(request, exc.status, exc.message, exc.field, errors)


def _field_of(location: list[Any]) -> str:
    """('body', 'payload', 'name') -> 'name'; ('query', 'page_size') -> 'page_size'."""
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path", "filter", "paging")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for problem in exc.errors:
        field = _field_of(list(problem.get("loc", [])))
        message = str(problem.get("msg", "invalid"))
        if problem.get("type") == "extra_forbidden":
            message = "this field cannot be set"
        errors.setdefault(field, []).append(message)
    field, messages = next(iter(errors.items()))
    return _error(request, 422, f"{field}: {messages[0]}", field, errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not found")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "authentication required: a session or an API token")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))

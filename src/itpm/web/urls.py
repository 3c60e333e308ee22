"""Pages. API routes live under /api/v1/ (itpm.config.api)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from itpm.web.views import (
    costs,
    estimates,
    forecasts,
    gantt,
    governance,
    levelling,
    portfolio,
    programs,
    projects,
    resources,
    team,
    whatif,
    work,
)
from itpm.web.views import finance as finance_views
from itpm.web.views import timesheets as timesheet_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", portfolio.portfolio, name="portfolio"),
    path("projects/", portfolio.projects, name="projects"),
    path("projects/new/", projects.project_create, name="project-new"),
    path("projects/<slug:code>/", projects.project, name="project"),
    path("projects/<slug:code>/tasks/", projects.project_tasks, name="project-tasks"),
    path("projects/<slug:code>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<slug:code>/gantt/", gantt.gantt, name="project-gantt"),
    path("projects/<slug:code>/gantt/tasks/<int:task_id>/", gantt.gantt_task, name="gantt-task"),
    path(
        "projects/<slug:code>/gantt/tasks/<int:task_id>/links/", gantt.gantt_link_add, name="gantt-link-add"
    ),
    path(
        "projects/<slug:code>/gantt/tasks/<int:task_id>/links/<int:link_id>/delete/",
        gantt.gantt_link_delete,
        name="gantt-link-delete",
    ),
    path("projects/<slug:code>/team/", team.team, name="project-team"),
    path("projects/<slug:code>/team/<int:membership_id>/", team.team_member, name="project-team-member"),
    path("projects/<slug:code>/risks/", governance.risks, name="project-risks"),
    path("projects/<slug:code>/risks/<int:risk_id>/", governance.risk_edit, name="project-risk"),
    path(
        "projects/<slug:code>/risks/<int:risk_id>/delete/", governance.risk_delete, name="project-risk-delete"
    ),
    path("projects/<slug:code>/forecast/", forecasts.forecast, name="project-forecast"),
    path("projects/<slug:code>/forecast/run/", forecasts.forecast_run, name="project-forecast-run"),
    path(
        "projects/<slug:code>/forecast/profile/", forecasts.forecast_profile, name="project-forecast-profile"
    ),
    path("projects/<slug:code>/forecast/estimates/", estimates.estimate_table, name="project-estimates"),
    path(
        "projects/<slug:code>/forecast/estimates/<int:task_id>/",
        estimates.estimate_save,
        name="project-estimate",
    ),
    path("my-work/", work.my_work, name="my-work"),
    path("projects/<slug:code>/budget/", finance_views.budget, name="project-budget"),
    path("projects/<slug:code>/budget/lines/", finance_views.budget_line_add, name="project-budget-line-add"),
    path(
        "projects/<slug:code>/budget/lines/<int:line_id>/",
        finance_views.budget_line,
        name="project-budget-line",
    ),
    path("projects/<slug:code>/costs/", costs.costs_page, name="project-costs"),
    *costs.urls("purchases", "purchase", "project-purchase"),
    *costs.urls("fixed-costs", "fixed", "project-fixed-cost"),
    path("projects/<slug:code>/earned-value/", finance_views.earned_value, name="project-earned-value"),
    path(
        "projects/<slug:code>/earned-value/baseline/",
        finance_views.choose_baseline,
        name="project-earned-value-baseline",
    ),
    path("portfolio/budget/", finance_views.portfolio_budgets, name="portfolio-budget"),
    path(
        "programs/<int:program_id>/earned-value/",
        programs.program_earned_value,
        name="program-earned-value",
    ),
    path("resources/", resources.resource_load, name="resource-load"),
    path("resources/over-allocations/", resources.resource_overallocations, name="resource-overallocations"),
    path("resources/what-if/", whatif.whatif, name="resource-whatif"),
    path("resources/team-size/", whatif.team_size, name="resource-team-size"),
    path("projects/<slug:code>/levelling/", levelling.levelling, name="project-levelling"),
    path("projects/<slug:code>/levelling/apply/", levelling.levelling_apply, name="project-levelling-apply"),
    path("projects/<slug:code>/levelling/clear/", levelling.levelling_clear, name="project-levelling-clear"),
    path("timesheet/", timesheet_views.timesheet, name="timesheet"),
    path("timesheet/<str:week>/", timesheet_views.timesheet_week, name="timesheet-week"),
    path("timesheet/<str:week>/save/", timesheet_views.timesheet_save, name="timesheet-save"),
    path("approvals/", timesheet_views.approval_queue, name="approvals"),
    path("approvals/<int:timesheet_id>/", timesheet_views.approval_decide, name="approval-decide"),
    path("timesheets/<int:timesheet_id>/", timesheet_views.timesheet_detail, name="timesheet-detail"),
    path("timesheets/entries/<int:entry_id>/correct/", timesheet_views.entry_correct, name="entry-correct"),
]

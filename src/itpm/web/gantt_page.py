"""Between the Gantt page's data and its picture: the view state in the address, and the rows, links,
and URLs the SVG builder draws from.

The state lives in the query string (?zoom=weeks&page=2&collapsed=12,40&baseline=3&edit=7), so
every view of the chart can be bookmarked, shared and reloaded; unknown values fall back to the
defaults instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from itpm.governance.forecasting import criticality_by_task
from itpm.portfolio.overview.gantt import GanttLine, GanttPlan, GanttRequest
from itpm.web.gantt.chart import build
from itpm.web.gantt.model import Action, Chart, DateMark, Link, Row
from itpm.web.gantt.svg import date_label
from itpm.web.timescale import DEFAULT_ZOOM, ZOOMS, WorkingTime, axis_for
from itpm.web.why import DATED, why

MIN_CHART_WIDTH = 1200  # pixels: about the frame's width beside the tree on a common screen


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class GanttState:
    zoom: str = DEFAULT_ZOOM
    page: int = 1
    collapsed: frozenset[int] = frozenset()
    baseline: int | None = None
    edit: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> GanttState:
        zoom = query.get("zoom", DEFAULT_ZOOM)
        collapsed = {_int(part) for part in query.get("collapsed", "").split(",") if part}
        return cls(
            zoom=zoom if zoom in ZOOMS else DEFAULT_ZOOM,
            page=max(_int(query.get("page")) or 1, 1),
            collapsed=frozenset(pk for pk in collapsed if pk is not None),
            baseline=_int(query.get("baseline")),
            edit=_int(query.get("edit")),
        )

    def request(self) -> GanttRequest:
        return GanttRequest(page=self.page, collapsed=self.collapsed, baseline_id=self.baseline)

    def with_edit(self, task_id: int | None) -> GanttState:
        return replace(self, edit=task_id)

    def query(self, **changes: Any) -> str:
        """The query string of this state with some changes; defaults are left out."""
        state = replace(self, **changes)
        pairs: list[tuple[str, str]] = []
        if state.zoom != DEFAULT_ZOOM:
            pairs.append(("zoom", state.zoom))
        if state.page != 1:
            pairs.append(("page", str(state.page)))
        if state.collapsed:
            pairs.append(("collapsed", ",".join(str(pk) for pk in sorted(state.collapsed))))
        if state.baseline is not None:
            pairs.append(("baseline", str(state.baseline)))
        if state.edit is not None:
            pairs.append(("edit", str(state.edit)))
        return urlencode(pairs, safe=",")

    def page_url(self, code: str, **changes: Any) -> str:
        query = self.query(**changes)
        base = reverse("project-gantt", args=[code])
        return f"{base}?{query}" if query else base

    def editor_urls(self, code: str, task_id: int) -> dict[str, str]:
        """Where the editor's forms post: the chart's state rides along so the redraw keeps it."""
        query = self.query(edit=None)
        suffix = f"?{query}" if query else ""
        return {
            "save": reverse("gantt-task", args=[code, task_id]) + suffix,
            "add_link": reverse("gantt-link-add", args=[code, task_id]) + suffix,
            "close": self.page_url(code, edit=None),
            "query": suffix,
        }


def plain(value: Decimal) -> str:
    """10.00 → "10", 2.50 → "2.5"; never "1E+1"."""
    return format(value.normalize(), "f")


def _days(value: Decimal) -> str:
    return f"{plain(value)} d"


def _lag(value: Decimal) -> str:
    if not value:
        return ""
    return f"{'+' if value > 0 else ''}{plain(value)}d"


def _row(line: GanttLine, plan: GanttPlan, state: GanttState, criticality: float | None = None) -> Row:
    task, code = line.task, plan.project.code
    label = f"{task.wbs_code} {task.name}".strip()
    edit = None
    if line.editable:
        edit = Action(
            href=state.page_url(code, edit=task.pk),
            label=f"Edit {label}",
            hx_get=f"{reverse('gantt-task', args=[code, task.pk])}?{state.query(edit=None)}".rstrip("?"),
            hx_target="#gantt-editor",
            hx_swap="innerHTML",
        )
    toggle = None
    if task.is_summary:
        url = state.page_url(code, collapsed=state.collapsed ^ {task.pk}, edit=None)
        verb = "Expand" if line.collapsed else "Collapse"
        toggle = Action(url, f"{verb} {label}", url, "#gantt", "outerHTML", push_url=True)
    duration = (
        _days(plan.working_days.span(task.start, task.finish))
        if task.is_summary
        else _days(task.duration_days)
    )
    baseline_start, baseline_finish = line.baseline or (None, None)
    return Row(
        id=task.pk,
        wbs=task.wbs_code,
        name=task.name,
        start=task.start,
        finish=task.finish,
        depth=line.depth,
        duration=duration,
        summary=task.is_summary,
        milestone=task.is_milestone,
        critical=task.is_critical,
        collapsed=line.collapsed,
        percent=task.percent_complete,
        baseline_start=baseline_start,
        baseline_finish=baseline_finish,
        edit=edit,
        toggle=toggle,
        why=why(task, line.driving, plan.status_date, plan.project.planned_start),
        constraint=constraint_mark(task),
        deadline=task.deadline,
        criticality=criticality,
    )


def constraint_mark(task: Any) -> DateMark | None:
    """The task's dated constraint, for the chart; None for ASAP, ALAP and a constraint without date."""
    if task.constraint_type not in DATED or task.constraint_date is None:
        return None
    label = task.get_constraint_type_display()
    return DateMark(task.constraint_type, task.constraint_date, f"{label} {date_label(task.constraint_date)}")


@dataclass(frozen=True)
class Choice:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class BaselineChoice:
    id: int
    name: str
    selected: bool


def chart_for(plan: GanttPlan, state: GanttState) -> dict[str, Any]:
    """The SVG parts and the toolbar's links for one page of the chart."""
    code = plan.project.code
    first = plan.first or plan.today
    axis = axis_for(first, plan.last or first, ZOOMS[state.zoom], min_width=MIN_CHART_WIDTH)
    days = plan.working_days
    # The last Monte Carlo run's criticality index, for those who see the whole plan.
    index = {} if plan.partial_view else criticality_by_task(plan.project)
    chart = Chart(
        rows=[_row(line, plan, state, index.get(line.task.pk)) for line in plan.lines],
        links=[Link(pred, succ, kind, _lag(lag)) for pred, succ, kind, lag in plan.links],
        axis=axis,
        working_time=WorkingTime(days.weekdays, days.days_off, days.extra_days),
        today=plan.today,
        status_date=plan.status_date,
        title=f"Gantt chart of {code} {plan.project.name}",
    )
    svg = build(chart)
    # The builder escapes every text and attribute value it writes.
    parts: dict[str, SafeString] = {
        name: mark_safe(getattr(svg, name))  # noqa: S308
        for name in ("corner", "timescale", "tree", "chart")
    }
    last_row = plan.first_row + len(plan.lines) - 1
    focus = axis.x(plan.today) - 160 if axis.contains(plan.today) else 0
    return {
        "svg": parts,
        "focus_x": max(round(focus), 0),
        "state_query": state.query(edit=None),
        "zooms": [
            Choice(name.title(), state.page_url(code, zoom=name, edit=None), name == state.zoom)
            for name in ZOOMS
        ],
        "previous_url": state.page_url(code, page=plan.page - 1, edit=None) if plan.page > 1 else "",
        "next_url": state.page_url(code, page=plan.page + 1, edit=None) if plan.page < plan.pages else "",
        "last_row": last_row,
        "expand_all_url": state.page_url(code, collapsed=frozenset(), edit=None) if plan.collapsed else "",
        # The baseline picker is a GET form: the rest of the state rides along in hidden fields.
        "hidden_state": parse_qsl(state.query(baseline=None, page=1, edit=None)),
        "baseline_choices": [
            BaselineChoice(b.pk, b.name, plan.baseline is not None and b.pk == plan.baseline.pk)
            for b in plan.baselines
        ],
    }

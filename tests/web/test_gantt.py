"""The Gantt: the pure SVG builder, the page for each persona, and editing through the inline editor.

The world's plan (Monday 5 Jan 2026, Monday to Friday): Design 10 d (5-16 Jan) → Build 20 d
(19 Jan - 13 Feb) → Go-live milestone (13 Feb). Bars are checked against stored dates.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itpm.web.gantt.chart import build
from itpm.web.gantt.links import route
from itpm.web.gantt.model import Action, Chart, Link, Row
from itpm.web.timescale import ZOOMS, Axis, WorkingTime, axis_for, shaded_runs
from tests.conftest import PERSONAS, World

D = dt.date
NS = {"svg": "http://www.w3.org/2000/svg"}
CANARY = "Canary"
DAYS = ZOOMS["days"]  # 28 px a day


# ---- the builder, on plain rows --------------------------------------------------------------------


START, END = D(2026, 1, 5), D(2026, 3, 2)


def axis(first: dt.date = START, end: dt.date = END, zoom: str = "days") -> Axis:
    return Axis(zoom=ZOOMS[zoom], first=first, end=end)


def plan_rows(**changes: Any) -> list[Row]:
    rows = [
        Row(1, "1", "Design", D(2026, 1, 5), D(2026, 1, 16), duration="10 d", critical=True, percent=50),
        Row(2, "2", "Build", D(2026, 1, 19), D(2026, 2, 13), duration="20 d", critical=True),
        Row(3, "3", "Go-live", D(2026, 2, 13), D(2026, 2, 13), milestone=True, critical=True),
        Row(4, "4", "Training", D(2026, 1, 19), D(2026, 1, 23), duration="5 d"),
    ]
    return [
        Row(**{**row.__dict__, **changes.get(row.name, {})}) if row.name in changes else row for row in rows
    ]


LINKS = [Link(1, 2), Link(2, 3), Link(1, 4), Link(4, 3)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def task_group(root: ET.Element, task_id: int) -> ET.Element:
    found = root.find(f".//svg:g[@data-task='{task_id}']", NS)
    assert found is not None, task_id
    return found


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def test_bars_sit_on_their_dates() -> None:
    chart = parse(build(Chart(plan_rows(), LINKS, axis())).chart)
    design = task_group(chart, 1).find("svg:rect[@class='gantt-bar']", NS)
    build_bar = task_group(chart, 2).find("svg:rect[@class='gantt-bar']", NS)
    assert design is not None and build_bar is not None
    assert (float(design.get("x", "")), float(design.get("width", ""))) == (0, 12 * 28)  # 5-16 Jan
    assert (float(build_bar.get("x", "")), float(build_bar.get("width", ""))) == (14 * 28, 26 * 28)
    assert float(build_bar.get("y", "")) == 28 + 6  # second row
    progress = task_group(chart, 1).find("svg:rect[@class='gantt-progress']", NS)
    assert progress is not None and float(progress.get("width", "")) == 6 * 28  # 50 % of 12 days


def test_milestone_is_a_diamond_at_the_end_of_its_day() -> None:
    chart = parse(build(Chart(plan_rows(), LINKS, axis())).chart)
    golive = task_group(chart, 3)
    assert "milestone" in classes(golive)
    diamond = golive.find("svg:path[@class='gantt-milestone']", NS)
    assert diamond is not None
    cx = 40 * 28  # the end of Friday 13 Feb
    assert diamond.get("d") == f"M{cx} {2 * 28 + 5}l7 7l-7 7l-7 -7z"
    assert golive.find("svg:rect", NS) is None
    label = golive.find("svg:text", NS)
    assert label is not None and label.text == "13 Feb"


def test_one_arrow_per_link_among_the_rows() -> None:
    rows = plan_rows()
    links = [*LINKS, Link(1, 99), Link(99, 3)]  # 99 is not drawn (collapsed, or on another page)
    chart = parse(build(Chart(rows, links, axis())).chart)
    arrows = chart.findall(".//svg:path[@data-link]", NS)
    assert sorted(a.get("data-link") for a in arrows) == ["1-2", "1-4", "2-3", "4-3"]
    assert all(a.get("marker-end", "").startswith("url(#gantt-arrow") for a in arrows)
    assert len(parse(build(Chart(rows[:2], links, axis())).chart).findall(".//svg:path[@data-link]", NS)) == 1


def test_critical_tasks_and_links_carry_the_critical_class() -> None:
    chart = parse(build(Chart(plan_rows(), LINKS, axis())).chart)
    assert "critical" in classes(task_group(chart, 2))
    assert "critical" not in classes(task_group(chart, 4))
    by_link = {a.get("data-link"): a for a in chart.findall(".//svg:path[@data-link]", NS)}
    assert (
        "critical" in classes(by_link["1-2"])
        and by_link["1-2"].get("marker-end") == "url(#gantt-arrow-critical)"
    )
    assert "critical" not in classes(by_link["1-4"])


def test_baseline_bars_under_the_bars() -> None:
    rows = plan_rows(
        Build={"baseline_start": D(2026, 1, 12), "baseline_finish": D(2026, 2, 6)},
        **{"Go-live": {"baseline_start": D(2026, 2, 6), "baseline_finish": D(2026, 2, 6)}},
    )
    chart = parse(build(Chart(rows, LINKS, axis())).chart)
    baselines = {b.get("data-task"): b for b in chart.findall(".//svg:*[@class='gantt-baseline']", NS)}
    assert set(baselines) == {"2", "3"}
    bar = baselines["2"]
    assert (float(bar.get("x", "")), float(bar.get("width", "")), float(bar.get("y", ""))) == (
        7 * 28,
        26 * 28,
        28 + 20,
    )
    assert baselines["3"].get("d", "").startswith(f"M{33 * 28} ")  # a small diamond at the end of 6 Feb


def test_collapsed_summary_shows_an_expand_toggle() -> None:
    toggle = Action(
        "/g/?collapsed=1", "Expand 1 Design", "/g/?collapsed=1", "#gantt", "outerHTML", push_url=True
    )
    rows = plan_rows(Design={"summary": True, "collapsed": True, "toggle": toggle})
    tree = parse(build(Chart(rows, LINKS, axis())).tree)
    link = tree.find(".//svg:a[@class='gantt-toggle collapsed']", NS)
    assert link is not None
    assert (link.get("href"), link.get("hx-get"), link.get("hx-push-url")) == ("/g/?collapsed=1",) * 2 + (
        "true",
    )
    assert "summary" in classes(task_group(tree, 1))


def test_every_text_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    edit = Action(href='/x?a=1&b="2"', label=f"Edit {evil}", hx_get="/x", hx_target="#gantt-editor")
    rows = plan_rows(Design={"name": evil, "wbs": "<b>", "edit": edit})
    svg = build(Chart(rows, LINKS, axis(), title=evil))
    for part in (svg.corner, svg.timescale, svg.tree, svg.chart, svg.standalone()):
        assert "<script>" not in part
        parse(part)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg.tree
    assert 'href="/x?a=1&amp;b=&quot;2&quot;"' in svg.tree
    tree = parse(svg.tree)
    names = [t.text for t in tree.findall(".//svg:text[@class='gantt-name']", NS)]
    assert names[0] == evil  # the text survives escaping unchanged


def test_long_names_are_shortened_with_the_full_name_as_a_tooltip() -> None:
    name = "Fit-to-standard workshop: Payroll Ireland (Revenue PAYE modernisation) and more besides"
    tree = parse(build(Chart(plan_rows(Design={"name": name, "depth": 3}), [], axis())).tree)
    text = task_group(tree, 1).find(".//svg:text[@class='gantt-name']", NS)
    assert text is not None and text.text is not None
    assert text.text.endswith("…") and len(text.text) < len(name)
    assert text.find("svg:title", NS).text == name  # type: ignore[union-attr]


def test_links_leave_and_enter_on_the_right_sides() -> None:
    from itpm.web.gantt.bars import BarPlace

    before = BarPlace(left=100, right=200, middle=12, top=6, milestone=False, critical=False)
    after = BarPlace(left=200, right=300, middle=40, top=34, milestone=False, critical=False)
    assert route("FS", before, after) == "M200 12H204V34"  # drops onto the successor's start
    assert route("SS", before, after) == "M100 12H92V40H200"
    assert route("FF", before, after) == "M200 12H308V40H300"
    assert route("SF", before, after) == "M100 12H92V26H308V40H300"
    overlapping = BarPlace(left=150, right=260, middle=40, top=34, milestone=False, critical=False)
    assert route("FS", before, overlapping) == "M200 12H208V26H142V40H150"


def test_shading_follows_the_calendar_and_the_zoom() -> None:
    calendar = WorkingTime(days_off=frozenset({D(2026, 1, 7)}), extra_days=frozenset({D(2026, 1, 10)}))
    days = axis(D(2026, 1, 5), D(2026, 1, 19))
    assert shaded_runs(days, calendar) == [
        (D(2026, 1, 7), D(2026, 1, 8)),  # the holiday
        (D(2026, 1, 11), D(2026, 1, 12)),  # Sunday: Saturday 10 Jan is an extra working day
        (D(2026, 1, 17), D(2026, 1, 19)),  # the next weekend
    ]
    weeks = axis(D(2026, 1, 5), D(2026, 1, 19), "weeks")
    assert shaded_runs(weeks, calendar) == [(D(2026, 1, 7), D(2026, 1, 8))]  # holidays only
    christmas = WorkingTime(days_off=frozenset({D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 28)}))
    assert shaded_runs(axis(D(2026, 12, 21), D(2027, 1, 4), "weeks"), christmas) == [
        (D(2026, 12, 24), D(2026, 12, 29))  # one closure, the weekend inside it included
    ]
    assert shaded_runs(axis(D(2026, 1, 1), D(2027, 1, 1), "quarters"), calendar) == []


def test_time_scale_has_two_tiers_and_room_either_side() -> None:
    span = axis_for(D(2026, 1, 7), D(2026, 2, 13), ZOOMS["weeks"])
    assert span.first == D(2025, 12, 29) and span.first.weekday() == 0
    assert span.end == D(2026, 2, 23)
    scale = parse(build(Chart(plan_rows(), LINKS, span)).timescale)
    tops = [t.text for t in scale.findall(".//svg:text[@class='gantt-tier top']", NS)]
    bottoms = [t.text for t in scale.findall(".//svg:text[@class='gantt-tier']", NS)]
    assert tops[:2] == ["January 2026", "February 2026"]  # December is too narrow to name
    assert bottoms[:3] == ["29 Dec", "5 Jan", "12 Jan"]
    wide = axis_for(D(2026, 1, 7), D(2026, 2, 13), ZOOMS["quarters"], min_width=1200)
    assert wide.width >= 1200


def test_today_and_status_date_lines() -> None:
    chart = build(Chart(plan_rows(), LINKS, axis(), today=D(2026, 1, 20), status_date=D(2026, 1, 16)))
    body = parse(chart.chart)
    today = body.find(".//svg:path[@class='gantt-today']", NS)
    status = body.find(".//svg:path[@class='gantt-status']", NS)
    assert today is not None and today.get("d", "").startswith(f"M{15 * 28 + 14} ")  # the middle of 20 Jan
    assert status is not None and status.get("d", "").startswith(f"M{12 * 28} ")  # the end of 16 Jan
    outside = parse(build(Chart(plan_rows(), LINKS, axis(), today=D(2030, 1, 1))).chart)
    assert outside.find(".//svg:path[@class='gantt-today']", NS) is None


# ---- the page ---------------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule(world: World) -> None:
    from itpm.planning.scheduling.run import do_schedule_project

    do_schedule_project(world.project)


def gantt_url(world: World, query: str = "") -> str:
    return f"/projects/{world.project.code}/gantt/{query}"


def chart_of(response: Any) -> ET.Element:
    """The chart body's SVG from a page or fragment."""
    found = re.search(r'<svg [^>]*class="gantt-chart".*?</svg>', response.content.decode(), re.S)
    assert found is not None
    return parse(found.group(0))


def bar_x(response: Any, task_id: int) -> float:
    bar = task_group(chart_of(response), task_id).find("svg:rect[@class='gantt-bar']", NS)
    assert bar is not None
    return float(bar.get("x", ""))


@pytest.mark.parametrize("persona", PERSONAS)
def test_gantt_page_for_each_persona(world: World, persona: str) -> None:
    schedule(world)
    response = client_for(world.persona(persona)).get(gantt_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "style=" not in page and "<script>" not in page and "<style" not in page
    assert CANARY not in page
    assert 'aria-current="page">Gantt</a>' in page
    if persona == "supplier":
        assert "Build" in page and "Design" not in page and "Go-live" not in page
        assert "only the tasks assigned to you" in page
        assert 'name="baseline"' not in page
    else:
        for name in ("Design", "Build", "Go-live"):
            assert name in page
        assert len(chart_of(response).findall(".//svg:path[@data-link]", NS)) == 2
    editable = {
        a.get("aria-label") for a in parse_tree(response).findall(".//svg:a[@class='gantt-edit']", NS)
    }
    expected = {
        "admin": {"Edit 1 Design", "Edit 2 Build", "Edit 3 Go-live"},
        "pm": {"Edit 1 Design", "Edit 2 Build", "Edit 3 Go-live"},
        "member": {"Edit 1 Design"},  # its own task: progress only
        "viewer": set(),
        "supplier": {"Edit 2 Build"},
    }
    assert editable == expected[persona]


def parse_tree(response: Any) -> ET.Element:
    found = re.search(r'<svg [^>]*class="gantt-tree".*?</svg>', response.content.decode(), re.S)
    assert found is not None
    return parse(found.group(0))


@pytest.mark.parametrize("persona", ["member", "viewer", "supplier", "outsider"])
def test_hidden_project_gantt_is_the_missing_404(world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    hidden = client.get("/projects/ERP/gantt/" if persona == "outsider" else "/projects/CANARY/gantt/")
    missing = client.get("/projects/NO-SUCH/gantt/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_overview_links_to_the_gantt(world: World) -> None:
    page = client_for(world.viewer).get("/projects/ERP/").content.decode()
    assert 'href="/projects/ERP/gantt/"' in page


def test_bars_come_from_stored_dates(world: World) -> None:
    schedule(world)
    from itpm.planning.models import Task

    Task.objects.filter(pk=world.build.pk).update(
        duration_days=40
    )  # not rescheduled: the page must not either
    response = client_for(world.pm).get(gantt_url(world, "?zoom=days"))
    first = dt.date(2026, 1, 5) - dt.timedelta(days=2)  # two days of room before the first bar
    assert bar_x(response, world.build.pk) == (dt.date(2026, 1, 19) - first).days * 28
    width = task_group(chart_of(response), world.build.pk).find("svg:rect[@class='gantt-bar']", NS)
    assert width is not None and float(width.get("width", "")) == 26 * 28


def test_zoom_collapse_baseline_and_fragment(world: World) -> None:
    from itpm.planning.services.baselines import check_set_baseline
    from itpm.planning.services.tasks import check_create_task

    schedule(world)
    child = check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Interfaces", "parent_id": world.build.pk}
    )
    baseline = check_set_baseline(world.pm, world.project, "Approved")
    client = client_for(world.pm)
    for zoom in ("days", "weeks", "months", "quarters", "nonsense"):
        assert client.get(gantt_url(world, f"?zoom={zoom}&page=x&collapsed=a,b")).status_code == 200
    opened = client.get(gantt_url(world))
    assert "Interfaces" in opened.content.decode()
    collapsed = client.get(gantt_url(world, f"?collapsed={world.build.pk}"), HTTP_HX_REQUEST="true")
    fragment = collapsed.content.decode()
    assert "<html" not in fragment and 'id="gantt"' in fragment
    assert "Interfaces" not in fragment and "Build" in fragment
    assert 'aria-label="Expand 2 Build"' in fragment
    assert "Expand all" in fragment
    with_baseline = chart_of(client.get(gantt_url(world, f"?baseline={baseline.pk}")))
    assert {b.get("data-task") for b in with_baseline.findall(".//svg:*[@class='gantt-baseline']", NS)} == {
        str(pk) for pk in (world.design.pk, world.build.pk, world.golive.pk, child.pk)
    }
    assert not chart_of(opened).findall(".//svg:*[@class='gantt-baseline']", NS)
    # A baseline of another project, or one the caller may not read, is simply not drawn.
    assert not chart_of(client_for(world.supplier).get(gantt_url(world, f"?baseline={baseline.pk}"))).findall(
        ".//svg:*[@class='gantt-baseline']", NS
    )


def add_tasks(world: World, count: int) -> None:
    from itpm.planning.models import Dependency, Task

    previous = world.build
    for n in range(count):
        task = Task.objects.create(
            project=world.project, name=f"Extra {n}", order=10 + n, duration_days=2, wbs_code=f"9.{n}"
        )
        Dependency.objects.create(project=world.project, predecessor=previous, successor=task)
        previous = task
    schedule(world)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["pm", "member", "supplier"])
def test_gantt_queries_do_not_grow_with_tasks(world: World, persona: str) -> None:
    from itpm.planning.services.baselines import check_set_baseline

    baseline = check_set_baseline(world.pm, world.project, "Approved")
    client = client_for(world.persona(persona))
    schedule(world)
    url = gantt_url(world, f"?baseline={baseline.pk}")
    few = count_queries(client, url)  # 3 tasks
    add_tasks(world, 57)  # 60 tasks
    assert count_queries(client, url) == few
    assert few <= 16


def test_rows_are_paged_on_one_time_axis(world: World, settings: Any) -> None:
    from itpm.portfolio.overview import gantt as gantt_plan

    add_tasks(world, 7)  # 10 tasks
    original = gantt_plan.GANTT_ROWS_PER_PAGE
    gantt_plan.GANTT_ROWS_PER_PAGE = 4
    try:
        client = client_for(world.pm)
        first, last = client.get(gantt_url(world)), client.get(gantt_url(world, "?page=3"))
        beyond = client.get(gantt_url(world, "?page=99"))
    finally:
        gantt_plan.GANTT_ROWS_PER_PAGE = original
    assert "Rows 1–4 of 10" in first.content.decode() and "Page 1 of 3" in first.content.decode()
    assert "Rows 9–10 of 10" in last.content.decode()
    assert beyond.context["plan"].page == 3
    assert chart_of(first).get("width") == chart_of(last).get("width")
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in last.content.decode()


# ---- editing through the inline editor --------------------------------------------------------------


def editor_url(world: World, task: Any, query: str = "") -> str:
    return f"/projects/{world.project.code}/gantt/tasks/{task.pk}/{query}"


def edit(client: Client, world: World, task: Any, data: dict[str, Any], query: str = "") -> Any:
    task.refresh_from_db()
    body = {"lock_version": task.lock_version, **data}
    return client.post(editor_url(world, task, query), body, HTTP_HX_REQUEST="true")


def test_editor_fragment_depends_on_the_role(world: World) -> None:
    schedule(world)
    pm_editor = client_for(world.pm).get(editor_url(world, world.build), HTTP_HX_REQUEST="true")
    assert pm_editor.status_code == 200
    text = pm_editor.content.decode()
    assert "<html" not in text
    for field in ('name="name"', 'name="duration_days"', 'name="percent_complete"', 'name="predecessor"'):
        assert field in text
    assert "Remove" in text  # Build's link from Design
    member_editor = client_for(world.member).get(editor_url(world, world.design), HTTP_HX_REQUEST="true")
    assert member_editor.status_code == 200
    assert 'name="percent_complete"' in member_editor.content.decode()
    assert 'name="name"' not in member_editor.content.decode()
    assert 'name="predecessor"' not in member_editor.content.decode()
    assert (
        client_for(world.member).get(editor_url(world, world.build), HTTP_HX_REQUEST="true").status_code
        == 403
    )
    assert (
        client_for(world.viewer).get(editor_url(world, world.design), HTTP_HX_REQUEST="true").status_code
        == 403
    )
    assert (
        client_for(world.supplier).get(editor_url(world, world.design), HTTP_HX_REQUEST="true").status_code
        == 404
    )
    assert (
        client_for(world.pm).get(f"/projects/CANARY/gantt/tasks/{world.canary_task.pk}/").status_code == 404
    )
    plain = client_for(world.pm).get(editor_url(world, world.build, "?zoom=days"))
    assert (
        plain.status_code == 302
        and plain.headers["Location"] == f"/projects/ERP/gantt/?zoom=days&edit={world.build.pk}"
    )
    page = client_for(world.pm).get(gantt_url(world, f"?edit={world.build.pk}"))
    assert 'name="duration_days"' in page.content.decode()  # the editor works without JavaScript too


def test_longer_duration_moves_the_successor(world: World) -> None:
    schedule(world)
    client = client_for(world.pm)
    before = bar_x(client.get(gantt_url(world, "?zoom=days")), world.build.pk)
    response = edit(
        client,
        world,
        world.design,
        {"name": "Design", "duration_days": "15", "percent_complete": "0"},
        "?zoom=days",
    )
    assert response.status_code == 200
    assert "Saved; the schedule was recalculated." in response.content.decode()
    world.build.refresh_from_db()
    assert (world.build.start, world.build.finish) == (dt.date(2026, 1, 26), dt.date(2026, 2, 20))
    assert bar_x(response, world.build.pk) == before + 7 * 28  # a week later on the redrawn chart
    assert 'data-view="days:1"' in response.content.decode()  # the chart keeps its zoom


@pytest.mark.parametrize(
    ("value", "message"),
    [("-3", "greater than or equal to 0"), ("lots", "Enter a number"), ("", "cannot be null")],
)
def test_invalid_duration_is_shown_and_nothing_saved(world: World, value: str, message: str) -> None:
    schedule(world)
    response = edit(client_for(world.pm), world, world.design, {"name": "Design", "duration_days": value})
    assert response.status_code == 422
    page = response.content.decode()
    field = page[page.index('id="field-duration_days"') :]
    assert message in field[: field.index("</div>")]
    world.design.refresh_from_db()
    assert (world.design.duration_days, world.design.lock_version) == (Decimal(10), 0)


def test_team_member_reports_progress_on_its_own_task_only(world: World) -> None:
    schedule(world)
    client = client_for(world.member)
    assert edit(client, world, world.design, {"percent_complete": "40"}).status_code == 200
    world.design.refresh_from_db()
    assert world.design.percent_complete == 40
    refused = edit(client, world, world.design, {"name": "Renamed", "percent_complete": "50"})
    assert refused.status_code == 403
    assert "may only report progress" in refused.content.decode()
    world.design.refresh_from_db()
    assert (world.design.name, world.design.percent_complete) == ("Design", 40)
    assert edit(client_for(world.viewer), world, world.design, {"percent_complete": "90"}).status_code == 403


def test_stale_edit_is_a_conflict(world: World) -> None:
    schedule(world)
    client = client_for(world.pm)
    response = client.post(
        editor_url(world, world.design),
        {"lock_version": 7, "name": "Late", "duration_days": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "Someone else changed this task" in response.content.decode()
    world.design.refresh_from_db()
    assert world.design.name == "Design"


def test_add_and_remove_a_predecessor(world: World) -> None:
    from itpm.planning.models import Dependency, Task

    schedule(world)
    training = Task.objects.create(
        project=world.project, name="Training", duration_days=5, order=4, wbs_code="4"
    )
    schedule(world)
    client = client_for(world.pm)
    url = f"/projects/ERP/gantt/tasks/{training.pk}/links/"
    added = client.post(url, {"predecessor": "2", "type": "FS", "lag_days": "2"}, HTTP_HX_REQUEST="true")
    assert added.status_code == 200
    link = Dependency.objects.get(successor=training)
    assert (link.predecessor_id, link.type, link.lag_days) == (world.build.pk, "FS", Decimal(2))
    training.refresh_from_db()
    assert training.start == dt.date(2026, 2, 18)  # two working days after Build's finish
    assert f'data-link="{world.build.pk}-{training.pk}"' in added.content.decode()
    cycle = client.post(
        f"/projects/ERP/gantt/tasks/{world.design.pk}/links/",
        {"predecessor": "3", "type": "FS"},
        HTTP_HX_REQUEST="true",
    )
    assert cycle.status_code == 422
    page = cycle.content.decode()
    assert "dependency cycle" in page[page.index('id="field-predecessor"') :]
    unknown = client.post(url, {"predecessor": "7.7", "type": "FS"}, HTTP_HX_REQUEST="true")
    assert unknown.status_code == 422 and "no task &#x27;7.7&#x27;" in unknown.content.decode()
    assert Dependency.objects.count() == 3
    removed = client.post(
        f"/projects/ERP/gantt/tasks/{training.pk}/links/{link.pk}/delete/", HTTP_HX_REQUEST="true"
    )
    assert removed.status_code == 200
    assert not Dependency.objects.filter(pk=link.pk).exists()
    wrong_task = client.post(
        f"/projects/ERP/gantt/tasks/{world.design.pk}/links/{Dependency.objects.first().pk}/delete/"
    )
    assert wrong_task.status_code == 404


def test_viewer_cannot_change_links(world: World) -> None:
    from itpm.planning.models import Dependency

    link = Dependency.objects.get(successor=world.build)
    client = client_for(world.viewer)
    assert (
        client.post(f"/projects/ERP/gantt/tasks/{world.build.pk}/links/{link.pk}/delete/").status_code == 403
    )
    assert (
        client.post(f"/projects/ERP/gantt/tasks/{world.golive.pk}/links/", {"predecessor": "1"}).status_code
        == 403
    )
    assert Dependency.objects.count() == 2


def test_plain_form_posts_redirect_back_to_the_chart(world: World) -> None:
    schedule(world)
    world.design.refresh_from_db()
    response = client_for(world.pm).post(
        editor_url(world, world.design, "?zoom=months"),
        {
            "lock_version": world.design.lock_version,
            "name": "Design",
            "duration_days": "11",
            "percent_complete": "0",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/ERP/gantt/?zoom=months&edit={world.design.pk}"


def test_editor_posts_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.pm)
    response = client.post(
        editor_url(world, world.design), {"lock_version": 0, "name": "X", "duration_days": "2"}
    )
    assert response.status_code == 403
    world.design.refresh_from_db()
    assert world.design.name == "Design"


def test_the_builder_is_pure() -> None:
    """The SVG builder takes plain data: no Django, no app, so the same picture can serve a PDF."""
    import ast
    import importlib
    import inspect
    import pkgutil

    from itpm.web import gantt, timescale

    names = [part.name for part in pkgutil.iter_modules(gantt.__path__)]
    parts = [importlib.import_module(f"itpm.web.gantt.{name}") for name in names]
    assert len(parts) >= 5, parts
    for module in (gantt, *parts, timescale):
        tree = ast.parse(inspect.getsource(module))
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert all(
            name.split(".")[0] in {"__future__", "datetime", "collections", "dataclasses", "html"}
            or name == "itpm.web.timescale"
            or name.startswith("itpm.web.gantt.")
            for name in imported
        ), imported


def test_unscheduled_and_empty_projects_still_draw(world: World) -> None:
    client = client_for(world.admin)
    unscheduled = client.get("/projects/CANARY/gantt/")  # one task, never scheduled: no dates
    assert unscheduled.status_code == 200
    assert "Canary task zq9x" in unscheduled.content.decode()
    assert not chart_of(unscheduled).findall(".//svg:rect[@class='gantt-bar']", NS)
    from itpm.planning.models import Task

    Task.objects.filter(project=world.other).delete()
    empty = client.get("/projects/CANARY/gantt/")
    assert empty.status_code == 200 and "No tasks to show yet." in empty.content.decode()


def test_refused_name_leaves_the_editor_title_alone(world: World) -> None:
    schedule(world)
    response = edit(client_for(world.pm), world, world.design, {"name": "", "duration_days": "10"})
    assert response.status_code == 422
    page = response.content.decode()
    assert '<h2 id="editor-title">Design</h2>' in page
    assert "cannot be blank" in page[page.index('id="field-name"') :]


# ---- dates, constraints, deadlines and "why does this start then?" ---------------------------------


def editor_body(task: Any, **changes: Any) -> dict[str, Any]:
    """What the PM's editor sends for the task as stored, with some fields changed: every field,
    and the start it showed (the hidden initial-start) beside the one typed."""
    task.refresh_from_db()
    body = {
        "lock_version": task.lock_version,
        "name": task.name,
        "duration_days": str(task.duration_days),
        "percent_complete": str(task.percent_complete),
        "start": task.start.isoformat() if task.start else "",
        "initial-start": task.start.isoformat() if task.start else "",
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "constraint_type": task.constraint_type,
        "constraint_date": task.constraint_date.isoformat() if task.constraint_date else "",
    }
    body.update(changes)
    return body


def post_editor(client: Client, world: World, task: Any, body: dict[str, Any], query: str = "") -> Any:
    return client.post(editor_url(world, task, query), body, HTTP_HX_REQUEST="true")


def field_html(page: str, name: str) -> str:
    """The markup of one editor field: from its wrapper to the wrapper's end."""
    rest = page[page.index(f'id="field-{name}"') :]
    return rest[: rest.index("</div>")]


def title_of(response: Any, task_id: int) -> str:
    title = task_group(chart_of(response), task_id).find("svg:title", NS)
    assert title is not None and title.text is not None
    return title.text


def test_typing_a_start_sets_start_no_earlier_than_and_moves_the_bar(world: World) -> None:
    schedule(world)
    client = client_for(world.pm)
    before = bar_x(client.get(gantt_url(world, "?zoom=days")), world.build.pk)
    response = post_editor(
        client, world, world.build, editor_body(world.build, start="2026-01-26"), "?zoom=days"
    )
    assert response.status_code == 200
    world.build.refresh_from_db()
    assert (world.build.constraint_type, world.build.constraint_date) == ("SNET", D(2026, 1, 26))
    assert (world.build.start, world.build.driver) == (D(2026, 1, 26), "constraint")
    assert bar_x(response, world.build.pk) == before + 7 * 28  # a week later on the redrawn chart
    page = response.content.decode()
    assert "Held by its constraint: start no earlier than 26 Jan 2026" in page  # the editor says why
    assert "Held by its constraint: start no earlier than 26 Jan 2026" in title_of(response, world.build.pk)
    mark = chart_of(response).find(
        f".//svg:path[@class='gantt-constraint'][@data-task='{world.build.pk}']", NS
    )
    assert mark is not None and mark.get("data-kind") == "SNET"
    assert mark.get("d", "").startswith(f"M{bar_x(response, world.build.pk) + 4:g} ")  # against the bar
    assert "Start no earlier than" in (mark.find("svg:title", NS).text or "")  # type: ignore[union-attr]
    world.golive.refresh_from_db()
    assert world.golive.finish == D(2026, 2, 20)  # the successor moved too


def test_a_start_the_scheduler_moved_is_not_taken_as_typed(world: World) -> None:
    """The editor showed 19 Jan; meanwhile Design grew and Build moved. Saving the name alone must
    not pin Build to the date the editor showed."""
    schedule(world)
    shown = editor_body(world.build)
    world.design.duration_days = Decimal(15)
    world.design.save()
    schedule(world)
    response = post_editor(client_for(world.pm), world, world.build, {**shown, "name": "Build it"})
    assert response.status_code == 200
    world.build.refresh_from_db()
    assert (world.build.name, world.build.constraint_type, world.build.start) == (
        "Build it",
        "ASAP",
        D(2026, 1, 26),
    )


def test_a_dated_constraint_without_a_date_is_refused_beside_the_field(world: World) -> None:
    schedule(world)
    response = post_editor(
        client_for(world.pm), world, world.build, editor_body(world.build, constraint_type="MSO")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Must start on needs a date" in field_html(page, "constraint_date")
    assert 'id="gantt"' in page and "Saved" not in page
    world.build.refresh_from_db()
    assert (world.build.constraint_type, world.build.constraint_date, world.build.lock_version) == (
        "ASAP",
        None,
        0,
    )


def test_a_constraint_and_its_date_are_saved_and_asap_drops_the_date(world: World) -> None:
    schedule(world)
    client = client_for(world.pm)
    body = editor_body(world.build, constraint_type="MSO", constraint_date="2026-02-02")
    assert post_editor(client, world, world.build, body).status_code == 200
    world.build.refresh_from_db()
    assert (world.build.constraint_type, world.build.start) == ("MSO", D(2026, 2, 2))
    # Back to "As soon as possible" with the old date still in its box: the date is simply dropped.
    response = post_editor(client, world, world.build, editor_body(world.build, constraint_type="ASAP"))
    assert response.status_code == 200
    world.build.refresh_from_db()
    assert (world.build.constraint_type, world.build.constraint_date, world.build.start) == (
        "ASAP",
        None,
        D(2026, 1, 19),
    )


def test_typing_a_start_and_changing_the_constraint_at_once_is_refused(world: World) -> None:
    schedule(world)
    body = editor_body(world.build, start="2026-01-26", constraint_type="FNLT", constraint_date="2026-03-02")
    response = post_editor(client_for(world.pm), world, world.build, body)
    assert response.status_code == 422
    assert "not both" in field_html(response.content.decode(), "start")
    world.build.refresh_from_db()
    assert world.build.constraint_type == "ASAP"


def test_missed_deadline_draws_a_red_marker_and_the_warning_after_the_edit(world: World) -> None:
    schedule(world)
    client = client_for(world.pm)
    met = post_editor(client, world, world.build, editor_body(world.build, deadline="2026-02-20"))
    assert met.status_code == 200
    marker = chart_of(met).find(f".//svg:polygon[@data-task='{world.build.pk}']", NS)
    assert marker is not None and classes(marker) == {"gantt-deadline"}
    assert "Scheduling warnings" not in met.content.decode()
    missed = post_editor(client, world, world.golive, editor_body(world.golive, deadline="2026-02-06"))
    assert missed.status_code == 200
    page = missed.content.decode()
    assert "<html" not in page  # the HTMX fragment: the chart, with the warnings inside it
    marker = chart_of(missed).find(f".//svg:polygon[@data-task='{world.golive.pk}']", NS)
    assert marker is not None and classes(marker) == {"gantt-deadline", "missed"}
    assert "Deadline 6 Feb 2026: it finishes later, on 13 Feb 2026" in (
        marker.find("svg:title", NS).text or ""  # type: ignore[union-attr]
    )
    assert "Scheduling warnings" in page and "Go-live: it finishes after its deadline" in page
    assert page.index("Scheduling warnings") > page.index('id="gantt"')  # refreshed with the chart
    world.golive.refresh_from_db()
    assert world.golive.deadline == D(2026, 2, 6)
    cleared = post_editor(client, world, world.golive, editor_body(world.golive, deadline=""))
    assert "Scheduling warnings" not in cleared.content.decode()


def test_the_legend_explains_the_markers(world: World) -> None:
    schedule(world)
    page = client_for(world.viewer).get(gantt_url(world)).content.decode()
    legend = page[page.index('class="gantt-legend"') :]
    for key in ("Constraint date", "Deadline", "Deadline missed"):
        assert key in legend


def why_of(client: Client, world: World, task: Any) -> str:
    page = client.get(editor_url(world, task), HTTP_HX_REQUEST="true").content.decode()
    found = re.search(r'<span class="editor-why-text">(.*?)</span>', page, re.S)
    assert found is not None, page
    return found.group(1)


def test_why_a_task_starts_then(world: World) -> None:
    from itpm.planning.models import Dependency

    schedule(world)
    client = client_for(world.pm)
    assert why_of(client, world, world.design) == "Project start 5 Jan 2026"
    assert why_of(client, world, world.build) == "Starts after 1 Design finishes (FS)"
    Dependency.objects.filter(successor=world.build).update(lag_days=2)
    schedule(world)
    assert why_of(client, world, world.build) == "Starts after 1 Design finishes (FS +2 d)"
    page = client.get(gantt_url(world))
    assert title_of(page, world.build.pk).endswith("\nStarts after 1 Design finishes (FS +2 d)")
    assert title_of(page, world.design.pk).endswith("\nProject start 5 Jan 2026")
    post_editor(
        client,
        world,
        world.golive,
        editor_body(world.golive, constraint_type="MFO", constraint_date="2026-03-06"),
    )
    assert why_of(client, world, world.golive) == "Held by its constraint: must finish on 6 Mar 2026"
    world.project.status_date = D(2026, 1, 9)
    world.project.save()
    schedule(world)
    assert why_of(client, world, world.design) == "Work left after the status date 9 Jan 2026"
    # A member sees why too (it names tasks it may see); floats are shown beside it.
    member = client_for(world.member).get(editor_url(world, world.design), HTTP_HX_REQUEST="true")
    text = member.content.decode()
    assert "Work left after the status date 9 Jan 2026" in text
    assert "Free float" in text and "Total float" in text


def test_why_names_a_link_into_a_summary(world: World) -> None:
    from itpm.planning.models import Dependency
    from itpm.planning.services.tasks import check_create_task

    schedule(world)
    phase = check_create_task(world.pm, {"project_id": world.project.pk, "name": "Rollout"})
    child = check_create_task(
        world.pm, {"project_id": world.project.pk, "name": "Train users", "parent_id": phase.pk}
    )
    Dependency.objects.create(project=world.project, predecessor=world.build, successor=phase, lag_days=1)
    schedule(world)
    child.refresh_from_db()
    assert (child.driver, child.driving_predecessor_id) == ("link", world.build.pk)
    expected = "Starts after 2 Build finishes (FS +1 d, through its summary task)"
    assert why_of(client_for(world.pm), world, child) == expected
    assert title_of(client_for(world.pm).get(gantt_url(world)), child.pk).endswith(expected)


def test_a_driving_link_off_the_page_is_read_in_the_same_query(world: World) -> None:
    from itpm.planning.models import Dependency
    from itpm.portfolio.overview import gantt as gantt_plan

    add_tasks(world, 5)  # Design → Build → Go-live; Build → Extra 0 → … → Extra 4
    Dependency.objects.filter(successor__name="Extra 2").update(lag_days=3)
    schedule(world)
    client = client_for(world.pm)
    original = gantt_plan.GANTT_ROWS_PER_PAGE
    gantt_plan.GANTT_ROWS_PER_PAGE = 5
    try:
        first = count_queries(client, gantt_url(world))
        with CaptureQueriesContext(connection) as queries:
            second = client.get(gantt_url(world, "?page=2"))
    finally:
        gantt_plan.GANTT_ROWS_PER_PAGE = original
    assert len(queries) == first
    from itpm.planning.models import Task

    extra2 = Task.objects.get(name="Extra 2")  # the first row of page 2; Extra 1 is on page 1
    assert title_of(second, extra2.pk).endswith("\nStarts after 9.1 Extra 1 finishes (FS +3 d)")


def test_team_member_sees_no_date_fields_and_cannot_forge_them(world: World) -> None:
    schedule(world)
    client = client_for(world.member)
    editor = client.get(editor_url(world, world.design), HTTP_HX_REQUEST="true").content.decode()
    assert 'name="percent_complete"' in editor
    for name in ("start", "deadline", "constraint_type", "constraint_date"):
        assert f'name="{name}"' not in editor
    assert "As soon as possible" in editor  # shown as a fact, not a field
    for forged in (
        {"constraint_type": "MSO", "constraint_date": "2026-02-02"},
        {"start": "2026-02-02", "initial-start": "2026-01-05"},
        {"deadline": "2026-01-09"},
    ):
        refused = edit(client, world, world.design, {"percent_complete": "40", **forged})
        assert refused.status_code == 403
        assert "may only report progress" in refused.content.decode()
        world.design.refresh_from_db()
        assert (
            world.design.percent_complete,
            world.design.constraint_type,
            world.design.deadline,
            world.design.lock_version,
        ) == (0, "ASAP", None, 0)


def test_started_and_summary_tasks_limit_the_date_fields(world: World) -> None:
    from itpm.planning.models import Task
    from itpm.planning.services.tasks import check_create_task

    schedule(world)
    Task.objects.filter(pk=world.design.pk).update(actual_start=D(2026, 1, 5), percent_complete=20)
    schedule(world)
    client = client_for(world.pm)
    page = client.get(editor_url(world, world.design), HTTP_HX_REQUEST="true").content.decode()
    start = field_html(page, "start")
    assert "disabled" in start and "its actual start stands" in page
    body = editor_body(world.design, start="2026-01-12")  # a forged start on a started task
    assert post_editor(client, world, world.design, body).status_code == 200
    world.design.refresh_from_db()
    assert (world.design.constraint_type, world.design.start) == ("ASAP", D(2026, 1, 5))
    check_create_task(world.pm, {"project_id": world.project.pk, "name": "Part", "parent_id": world.build.pk})
    summary = client.get(editor_url(world, world.build), HTTP_HX_REQUEST="true").content.decode()
    choices = re.findall(r'<option value="(\w+)"', field_html(summary, "constraint_type"))
    assert choices == ["ASAP", "SNET", "FNLT"]


def test_constraint_and_deadline_markers_in_the_builder() -> None:
    from itpm.web.gantt.model import DateMark

    rows = plan_rows(
        Build={
            "constraint": DateMark("SNET", D(2026, 1, 19), "Start no earlier than 19 Jan 2026"),
            "deadline": D(2026, 2, 6),
        },
        Training={"constraint": DateMark("FNLT", D(2026, 1, 23), "Finish no later than 23 Jan 2026")},
        Design={
            "constraint": DateMark("MSO", D(2026, 1, 5), "Must start on 5 Jan 2026"),
            "deadline": D(2026, 1, 30),
        },
    )
    chart = parse(build(Chart(rows, LINKS, axis())).chart)
    marks = {m.get("data-task"): m for m in chart.findall(".//svg:path[@class='gantt-constraint']", NS)}
    assert marks["2"].get("d") == f"M{14 * 28 + 4} 30H{14 * 28}V52H{14 * 28 + 4}"  # [ at the start of 19 Jan
    assert marks["4"].get("d") == f"M{19 * 28 - 4} 86H{19 * 28}V108H{19 * 28 - 4}"  # ] at the end of 23 Jan
    assert marks["1"].get("d") == "M-4 2H4M0 2V24M-4 24H4"  # I: must start on
    deadlines = {d.get("data-task"): d for d in chart.findall(".//svg:polygon", NS)}
    assert classes(deadlines["2"]) == {"gantt-deadline", "missed"}  # Build finishes 13 Feb
    assert classes(deadlines["1"]) == {"gantt-deadline"}
    assert deadlines["1"].get("points", "").startswith(f"{26 * 28 - 2},1 ")  # the end of 30 Jan


@pytest.mark.parametrize(
    ("kind", "lag", "sentence"),
    [
        ("FS", "0", "Starts after 1.2 Solution design finishes (FS)"),
        ("FS", "2", "Starts after 1.2 Solution design finishes (FS +2 d)"),
        ("FS", "-1.5", "Starts before 1.2 Solution design finishes (FS −1.5 d)"),
        ("SS", "0", "Starts when 1.2 Solution design starts (SS)"),
        ("FF", "3", "Finishes after 1.2 Solution design finishes (FF +3 d)"),
        ("SF", "0", "Finishes when 1.2 Solution design starts (SF)"),
    ],
)
def test_link_sentences(kind: str, lag: str, sentence: str) -> None:
    from itpm.portfolio.overview.gantt import DrivingLink
    from itpm.web.why import link_sentence

    assert link_sentence(DrivingLink("1.2 Solution design", kind, Decimal(lag))) == sentence
    hidden = link_sentence(DrivingLink("", kind, None))  # a supplier: no names, no lags
    assert "a predecessor" in hidden and hidden.endswith(f"({kind})")

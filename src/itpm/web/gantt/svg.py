"""The chart's geometry and the SVG primitives every part draws with; each text and attribute
value is escaped here."""

from __future__ import annotations

import datetime as dt
from html import escape

from itpm.web.gantt.model import Action

ROW = 28  # row height; every y below is relative to the row's top
TIER = 24  # height of one header tier
HEADER = 2 * TIER
BAR_Y, BAR_H = 6, 12
MID = BAR_Y + BAR_H // 2
PROGRESS_Y, PROGRESS_H = 9, 6
SUMMARY_Y, SUMMARY_H, SUMMARY_TIP = 7, 6, 12
BASELINE_Y, BASELINE_H = 20, 4
DIAMOND = 7  # half the milestone's width
MARK_TOP, MARK_BOTTOM, SERIF = 2, ROW - 4, 4  # the constraint bracket
START_CONSTRAINTS = frozenset({"SNET", "SNLT", "MSO"})  # the others hold the finish
GAP = 8  # how far a link arrow runs out of a bar before it turns
INDENT = 16
NAME_X = 64
NAME_W = 320
COLUMNS = (  # title, x of the text, anchor
    ("WBS", 12, "start"),
    ("Task name", NAME_X + 14, "start"),
    ("Duration", NAME_X + NAME_W + 58, "end"),
    ("Start", NAME_X + NAME_W + 74, "start"),
    ("Finish", NAME_X + NAME_W + 172, "start"),
)
TREE_W = NAME_X + NAME_W + 276
NAME_CHAR = 6.7  # average advance of a 12px sans-serif character (DejaVu, the widest); bold more
BOLD_CHAR = 7.4
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def px(value: float) -> str:
    """A coordinate: whole pixels print without decimals, the rest with one."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def date_label(day: dt.date | None) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def svg_element(css_class: str, width: float, height: float, body: str, label: str = "") -> str:
    aria = f' role="img" aria-label="{esc(label)}"' if label else ""
    return (
        f'<svg {SVG_NS} class="{css_class}" width="{px(width)}" height="{px(height)}"'
        f' viewBox="0 0 {px(width)} {px(height)}"{aria}>{body}</svg>'
    )


def text_at(css_class: str, x: float, y: float, content: str, anchor: str = "") -> str:
    align = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text class="{css_class}" x="{px(x)}" y="{px(y)}"{align}>{esc(content)}</text>'


def arrow_marker(marker_id: str, css_class: str) -> str:
    """An arrowhead whose tip sits on the end of the path."""
    return (
        f'<marker id="{marker_id}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7"'
        f' markerUnits="userSpaceOnUse" orient="auto"><path class="{css_class}" d="M0 0L8 4L0 8z"/></marker>'
    )


def link_to(action: Action, css_class: str, body: str) -> str:
    attrs = [f'href="{esc(action.href)}"', f'class="{css_class}"', f'aria-label="{esc(action.label)}"']
    for name, value in (
        ("hx-get", action.hx_get),
        ("hx-target", action.hx_target),
        ("hx-swap", action.hx_swap),
    ):
        if value:
            attrs.append(f'{name}="{esc(value)}"')
    if action.push_url:
        attrs.append('hx-push-url="true"')
    return f"<a {' '.join(attrs)}>{body}</a>"

"""The left-hand side: the column titles and, per row, the WBS code, name, duration and dates."""

from __future__ import annotations

from collections.abc import Sequence

from itpm.web.gantt.model import Row
from itpm.web.gantt.svg import (
    BOLD_CHAR,
    COLUMNS,
    HEADER,
    INDENT,
    MID,
    NAME_CHAR,
    NAME_W,
    NAME_X,
    ROW,
    TREE_W,
    date_label,
    esc,
    link_to,
    px,
    text_at,
)


def corner_header() -> str:
    parts = [f'<rect class="gantt-head-bg" width="{TREE_W}" height="{HEADER}"/>']
    for title, x, anchor in COLUMNS:
        parts.append(
            f'<text class="gantt-col-title" x="{x}" y="{HEADER - 17}" text-anchor="{anchor}">{title}</text>'
        )
    parts.append(f'<path class="gantt-head-line" d="M0 {HEADER - 0.5}H{TREE_W}"/>')
    return "".join(parts)


def _truncate(text: str, width: float, bold: bool) -> str:
    limit = int(width / (BOLD_CHAR if bold else NAME_CHAR))
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def tree_body(rows: Sequence[Row], height: int) -> str:
    parts = [
        f'<rect class="gantt-tree-bg" width="{TREE_W}" height="{height}"/>',
        f'<clipPath id="gantt-name-clip"><rect x="{NAME_X}" y="0" width="{NAME_W}" height="{height}"/>'
        "</clipPath>",
        row_lines(len(rows), TREE_W),
    ]
    parts.extend(_tree_row(row, index * ROW) for index, row in enumerate(rows))
    return "".join(parts)


def row_lines(count: int, width: float) -> str:
    lines = "".join(f"M0 {index * ROW - 0.5}H{px(width)}" for index in range(1, count + 1))
    return f'<path class="gantt-rowline" d="{lines}"/>' if lines else ""


def _tree_row(row: Row, y: int) -> str:
    classes = ["gantt-row"]
    if row.summary:
        classes.append("summary")
    if row.critical:
        classes.append("critical")
    indent = NAME_X + row.depth * INDENT
    name_x = indent + 14
    name = _truncate(row.name, NAME_X + NAME_W - name_x - 6, row.summary)
    text = (
        f'<text class="gantt-name" x="{name_x}" y="{y + 18}">{esc(name)}<title>{esc(row.name)}</title></text>'
    )
    if row.edit is not None:
        text = link_to(row.edit, "gantt-edit", text)
    cells = [
        text_at("gantt-wbs", 12, y + 18, row.wbs),
        f'<g clip-path="url(#gantt-name-clip)">{text}</g>',
        text_at("gantt-cell", COLUMNS[2][1], y + 18, row.duration, "end"),
        text_at("gantt-cell", COLUMNS[3][1], y + 18, date_label(row.start)),
        text_at("gantt-cell", COLUMNS[4][1], y + 18, date_label(row.finish)),
    ]
    if row.summary and row.toggle is not None:
        cells.append(_toggle(row, indent, y))
    return f'<g class="{" ".join(classes)}" data-task="{row.id}">{"".join(cells)}</g>'


def _toggle(row: Row, x: int, y: int) -> str:
    """A triangle: pointing down when the summary is open, right when it is collapsed."""
    assert row.toggle is not None
    cx, cy = x + 5, y + MID + 1
    points = (
        f"{cx - 3},{cy - 5} {cx + 3},{cy} {cx - 3},{cy + 5}"
        if row.collapsed
        else f"{cx - 5},{cy - 3} {cx + 5},{cy - 3} {cx},{cy + 3}"
    )
    shape = (
        f'<rect class="gantt-hit" x="{cx - 8}" y="{y + 4}" width="16" height="{ROW - 8}" rx="3"/>'
        f'<polygon class="gantt-caret" points="{points}"/>'
    )
    state = "collapsed" if row.collapsed else "expanded"
    return link_to(row.toggle, f"gantt-toggle {state}", shape)

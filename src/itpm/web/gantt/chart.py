"""build(): the four SVGs of a Gantt chart from a Chart, and their join for documents."""

from __future__ import annotations

from dataclasses import dataclass

from itpm.web.gantt.model import Chart
from itpm.web.gantt.svg import (
    HEADER,
    ROW,
    SVG_NS,
    TREE_W,
    svg_element,
)
from itpm.web.gantt.timeline import chart_body, time_scale
from itpm.web.gantt.tree import corner_header, tree_body


@dataclass(frozen=True)
class GanttSvg:
    corner: str  # the tree's column titles
    timescale: str  # the two-tier time scale
    tree: str  # WBS code, name, duration, start and finish of each row
    chart: str  # bars, arrows and lines
    tree_width: int
    chart_width: int
    header_height: int
    body_height: int

    def standalone(self) -> str:
        """One SVG of the whole chart, for a PDF or a slide."""
        width, height = self.tree_width + self.chart_width, self.header_height + self.body_height
        place = (
            (0, 0, self.corner),
            (self.tree_width, 0, self.timescale),
            (0, self.header_height, self.tree),
            (self.tree_width, self.header_height, self.chart),
        )
        inner = "".join(part.replace("<svg ", f'<svg x="{x}" y="{y}" ', 1) for x, y, part in place)
        return f'<svg {SVG_NS} class="gantt-standalone" width="{width}" height="{height}">{inner}</svg>'


def build(chart: Chart) -> GanttSvg:
    height = max(len(chart.rows), 1) * ROW
    width = chart.axis.width
    return GanttSvg(
        corner=svg_element("gantt-corner", TREE_W, HEADER, corner_header()),
        timescale=svg_element("gantt-timescale", width, HEADER, time_scale(chart)),
        tree=svg_element("gantt-tree", TREE_W, height, tree_body(chart.rows, height), "Work breakdown"),
        chart=svg_element("gantt-chart", width, height, chart_body(chart, width, height), chart.title),
        tree_width=TREE_W,
        chart_width=round(width),
        header_height=HEADER,
        body_height=height,
    )

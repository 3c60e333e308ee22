"""Dependency arrows, routed orthogonally between the bars."""

from __future__ import annotations

from collections.abc import Iterable

from itpm.web.gantt.bars import BarPlace
from itpm.web.gantt.model import Link
from itpm.web.gantt.svg import (
    DIAMOND,
    GAP,
    ROW,
    esc,
    px,
)


def link_paths(links: Iterable[Link], places: dict[int, BarPlace]) -> str:
    paths = []
    for link in links:
        before, after = places.get(link.predecessor), places.get(link.successor)
        if before is None or after is None:
            continue
        critical = before.critical and after.critical
        css = "gantt-link critical" if critical else "gantt-link"
        marker = "gantt-arrow-critical" if critical else "gantt-arrow"
        label = f"{link.type}{link.lag_days}"
        paths.append(
            f'<path class="{css}" data-link="{link.predecessor}-{link.successor}"'
            f' d="{route(link.type, before, after)}" marker-end="url(#{marker})">'
            f"<title>{esc(label)}</title></path>"
        )
    return f'<g class="gantt-links">{"".join(paths)}</g>'


def route(kind: str, before: BarPlace, after: BarPlace) -> str:
    """An orthogonal path from the predecessor's start or finish to the successor's start or finish.

    Finish-to-start into a successor below that starts after the predecessor ends runs right and
    drops onto the successor's top, as MS Project draws it; other cases leave and enter the bars
    sideways, turning between the rows when the ends overlap."""
    if kind == "FS" and after.middle > before.middle:
        drop = _drop(before, after)
        if drop:
            return drop
    leaves_right = kind in ("FS", "FF")
    enters_left = kind in ("FS", "SS")
    xa, ya = (before.right, before.middle) if leaves_right else (before.left, before.middle)
    xb, yb = (after.left, after.middle) if enters_left else (after.right, after.middle)
    out = xa + GAP if leaves_right else xa - GAP
    into = xb - GAP if enters_left else xb + GAP
    low = max(out if leaves_right else -1e9, into if not enters_left else -1e9)
    high = min(out if not leaves_right else 1e9, into if enters_left else 1e9)
    if low <= high:
        turn = min(max(out, low), high)
        return f"M{px(xa)} {px(ya)}H{px(turn)}V{px(yb)}H{px(xb)}"
    between = yb - ROW / 2 if yb > ya else yb + ROW / 2
    return f"M{px(xa)} {px(ya)}H{px(out)}V{px(between)}H{px(into)}V{px(yb)}H{px(xb)}"


def _drop(before: BarPlace, after: BarPlace) -> str:
    """Right from the predecessor's finish, then down onto the successor's top; "" if it does not fit.

    From a milestone whose successor starts under the diamond, the line leaves the diamond's
    lower edge straight down."""
    target = (after.left + after.right) / 2 if after.milestone else after.left + 4
    if target >= before.right - 0.5:  # half a pixel: a diamond's centre is computed, not stored
        return f"M{px(before.right)} {px(before.middle)}H{px(target)}V{px(after.top)}"
    centre = (before.left + before.right) / 2
    if before.milestone and target >= centre - 0.5:
        edge = before.middle + DIAMOND - (target - centre)
        return f"M{px(target)} {px(edge)}V{px(after.top)}"
    return ""

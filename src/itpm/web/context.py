"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

import itpm

SECTIONS = {
    "portfolio": "portfolio",
    "projects": "projects",
    "project": "projects",
    "project-tasks": "projects",
    "project-new": "projects",
    "project-edit": "projects",
    "project-gantt": "projects",
    "my-work": "my-work",
}


def navigation(request: HttpRequest) -> dict[str, object]:
    """The version, and which top-level section the page belongs to (to highlight it)."""
    match = getattr(request, "resolver_match", None)
    section = SECTIONS.get(match.url_name or "", "") if match is not None else ""
    return {"itpm_version": itpm.__version__, "nav_section": section}

"""Schedule a demo project through the planning service, as every other channel does."""

from __future__ import annotations

from itpm.planning.scheduling.run import do_schedule_project
from itpm.portfolio.models import Project


def schedule(project: Project) -> None:
    """Run the CPM engine through do_schedule_project; refuse a plan it cannot schedule."""
    outcome = do_schedule_project(project)
    if outcome.error:
        raise RuntimeError(f"demo project {project.code} does not schedule: {outcome.error}")

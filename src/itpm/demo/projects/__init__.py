"""One module per demo project; each returns a ProjectSpec for a given anchor Monday."""

from __future__ import annotations

import datetime as dt

from itpm.demo.projects import cloud, erp, network, security, servicedesk, smaller, workplace
from itpm.demo.spec import ProjectSpec


def build_projects(anchor: dt.date) -> tuple[ProjectSpec, ...]:
    return (
        erp.build(anchor),
        cloud.build(anchor),
        servicedesk.build(anchor),
        network.build(anchor),
        security.build(anchor),
        workplace.m365(anchor),
        smaller.data_platform(anchor),
        smaller.field_app(anchor),
        workplace.windows11(anchor),
    )

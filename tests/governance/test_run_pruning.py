"""Stored simulation runs are pruned: a project keeps its latest ITPM_SIMULATION_RUNS_KEPT runs
(20 by default); storing a new run deletes the older ones of that project only."""

from __future__ import annotations

from typing import Any

from itpm.governance.forecasting import RUNS_KEPT, check_run_simulation, runs_kept
from itpm.governance.models import SimulationRun
from tests.conftest import World


def _run(world: World, seed: int) -> SimulationRun:
    return check_run_simulation(world.pm, world.project, {"iterations": 100, "seed": seed})


def test_a_new_run_prunes_the_oldest_beyond_the_setting(world: World, settings: Any) -> None:
    settings.ITPM_SIMULATION_RUNS_KEPT = 3
    other = SimulationRun.objects.create(project=world.other, iterations=100, seed=0)
    runs = [_run(world, seed) for seed in range(3)]
    assert SimulationRun.objects.filter(project=world.project).count() == 3
    runs.append(_run(world, 3))
    runs.append(_run(world, 4))
    kept = list(SimulationRun.objects.filter(project=world.project).order_by("id"))
    assert [run.seed for run in kept] == [2, 3, 4]  # the two oldest went
    assert SimulationRun.objects.filter(pk=other.pk).exists()  # another project's run stays
    assert world.project.simulation_runs.order_by("-created_at", "-id").first() == runs[-1]


def test_the_default_and_a_setting_below_one(settings: Any) -> None:
    assert RUNS_KEPT == 20
    del settings.ITPM_SIMULATION_RUNS_KEPT
    assert runs_kept() == 20
    settings.ITPM_SIMULATION_RUNS_KEPT = 0  # would delete the run just shown: keep it at least
    assert runs_kept() == 1


def test_an_old_run_pruned_answers_404_through_the_api(world: World, settings: Any) -> None:
    from django.test import Client

    settings.ITPM_SIMULATION_RUNS_KEPT = 1
    first = _run(world, 1)
    _run(world, 2)
    client = Client()
    client.force_login(world.pm)
    base = f"/api/v1/projects/{world.project.pk}/simulations"
    assert client.get(f"{base}/{first.pk}").status_code == 404
    assert client.get(f"{base}/latest").json()["seed"] == 2

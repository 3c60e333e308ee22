"""Settings read from the environment: a bad value stops the command with one line naming it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_cli import _env, _itpm, assert_usage_error


def _check(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = _env(tmp_path / "data") | variables
    return subprocess.run(
        [_itpm(), "check"], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("ITPM_SIMULATION_RUNS_KEPT", "twenty", "must be a whole number, not 'twenty'"),
        ("ITPM_SIMULATION_RUNS_KEPT", "0", "must be from 1 to 100000, not 0"),
        ("ITPM_MAX_ITERATIONS", "50", "must be from 100 to 1000000, not 50"),
    ],
)
def test_a_bad_number_in_the_environment_is_a_usage_error(
    tmp_path: Path, variable: str, value: str, problem: str
) -> None:
    result = _check(tmp_path, **{variable: value})
    assert_usage_error(result)
    assert f"{variable} {problem}" in result.stderr


def test_the_numbers_reach_the_settings(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ITPM_SIMULATION_RUNS_KEPT, settings.ITPM_MAX_ITERATIONS)"
    )
    env = _env(tmp_path / "data") | {
        "DJANGO_SETTINGS_MODULE": "itpm.config.settings",
        "ITPM_SIMULATION_RUNS_KEPT": " 5 ",
        "ITPM_MAX_ITERATIONS": "2000",
    }
    python = str(Path(_itpm()).with_name("python"))
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.stdout.split() == ["5", "2000"], result.stderr

"""Cross-checks against other schedulers, run as programs; each skips when its program is missing."""

from __future__ import annotations

import shutil

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "taskjuggler: runs TaskJuggler 3 (tj3) and compares its dates")


@pytest.fixture
def tj3() -> str:
    found = shutil.which("tj3")
    if found is None:
        pytest.skip("tj3 is not installed (Debian package tj3; .ci/run installs it)")
    return found

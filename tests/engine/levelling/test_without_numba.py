"""Without numba the kernels run as plain Python, slowly, and give the very same schedules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from itpm.engine.levelling import level
from itpm.engine.model import Link
from itpm.engine.rcpsp import Activity, Problem, Resource

BUILD = textwrap.dedent(
    """
    from itpm.engine.model import Link
    from itpm.engine.rcpsp import Activity, Problem, Resource

    def build():
        people = [Resource("ann", 1), Resource("team", 3)]
        activities = [
            Activity(f"t{n}", 1 + n % 4, {"ann": n % 2, "team": 1 + n % 3}, fixed=n == 5, release=n % 3)
            for n in range(12)
        ]
        links = [Link(f"t{n}", f"t{n + 3}", ("FS", "SS", "FF", "SF")[n % 4], n % 3 - 1) for n in range(9)]
        return Problem(activities, people, links)
    """
)


def run_without_numba() -> dict[str, object]:
    script = BUILD + textwrap.dedent(
        """
        import json, sys
        from itpm.engine import sgs
        assert not sgs.HAVE_NUMBA
        from itpm.engine.levelling import level
        result = level(build(), seed=3, budget_schedules=400)
        found = {"starts": result.starts, "found_by": result.found_by, "schedules": result.schedules}
        print(json.dumps(found))
        """
    )
    blocked = "import sys; sys.modules['numba'] = None\n"
    done = subprocess.run(
        [sys.executable, "-c", blocked + script], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_python_kernels_agree_with_the_compiled_ones() -> None:
    namespace: dict[str, object] = {
        "Activity": Activity,
        "Link": Link,
        "Problem": Problem,
        "Resource": Resource,
    }
    exec(BUILD, namespace)  # noqa: S102 - the same builder the subprocess runs
    result = level(namespace["build"](), seed=3, budget_schedules=400)  # type: ignore[operator]
    assert run_without_numba() == {
        "starts": result.starts,
        "found_by": result.found_by,
        "schedules": result.schedules,
    }

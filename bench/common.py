"""Shared by the benchmarks and the TaskJuggler cross-check: seeded random project networks.

`random_network` returns an itpm native project document (a dict ready for json.dumps): layered
tasks, each linked to a few tasks in the layers just before it, with mixed link types and lags,
some milestones, on a Monday-to-Friday calendar with a few holidays. The same seed gives the
same network on every machine.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import random
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

START = dt.date(2026, 1, 5)  # a Monday
LINK_TYPES = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True)
class Shape:
    """What a generated network looks like; the defaults are the benchmark's mix."""

    links_per_task: float = 3.0
    type_weights: tuple[int, int, int, int] = (70, 15, 10, 5)  # FS, SS, FF, SF
    lag_share: float = 0.3  # links with a lag; the rest have none
    max_lag: int = 5  # working days
    leads: bool = False  # allow negative lags down to -2
    milestone_share: float = 0.05
    max_duration: int = 10  # working days
    half_days: bool = False  # durations and lags in half days
    summaries: int = 0  # summary tasks grouping tasks of one layer, each linked in and out
    summary_in: tuple[str, ...] = ("FS", "SS")  # link types drawn for links into a summary
    summary_out: tuple[str, ...] = ("FS", "SS")  # and out of one
    holidays: int = 6
    working_week: tuple[int, ...] = (1, 2, 3, 4, 5)
    taskjuggler: bool = False  # only links TaskJuggler can express (see formats/taskjuggler.py)


@dataclass
class _Network:
    random: random.Random
    shape: Shape
    tasks: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)


def random_network(task_count: int, seed: int, shape: Shape | None = None) -> dict[str, Any]:
    """A native itpm project document with `task_count` tasks (plus any summaries)."""
    shape = shape or Shape()
    network = _Network(random.Random(seed), shape)  # noqa: S311 - test data, not secrets
    layers = _layers(network, task_count)
    for place, layer in enumerate(layers[1:], start=1):
        earlier = [task for previous in layers[max(0, place - 3) : place] for task in previous]
        for task_id in layer:
            _link_to_earlier(network, task_id, earlier)
    _add_summaries(network, layers)
    return {
        "format": "itpm-project",
        "version": 1,
        "project": {
            "name": f"generated {task_count} seed {seed}",
            "start": START.isoformat(),
            "calendar": _calendar(network),
        },
        "tasks": network.tasks,
        "links": network.links,
    }


def _layers(network: _Network, task_count: int) -> list[list[str]]:
    width = max(1, round(math.sqrt(task_count)))
    layers: list[list[str]] = []
    for number in range(task_count):
        task_id = f"T{number + 1}"
        if number % width == 0:
            layers.append([])
        layers[-1].append(task_id)
        duration = _amount(network, 1, network.shape.max_duration)
        if network.random.random() < network.shape.milestone_share:
            duration = 0
        network.durations[task_id] = duration
        task: dict[str, Any] = {"id": task_id, "name": f"Task {number + 1}", "duration": duration}
        if duration == 0:
            task["milestone"] = True
        network.tasks.append(task)
    return layers


def _amount(network: _Network, low: int, high: int) -> float:
    """A whole (or, with half_days, half) number of working days in [low, high]."""
    if network.shape.half_days:
        return network.random.randint(2 * low, 2 * high) / 2
    return network.random.randint(low, high)


def _link_to_earlier(network: _Network, task_id: str, earlier: list[str]) -> None:
    shape, chance = network.shape, network.random
    count = max(1, min(len(earlier), round(chance.expovariate(1 / shape.links_per_task))))
    # Mostly from the layer just before: it keeps paths long, as in real plans.
    for predecessor in sorted(set(chance.choices(earlier[-2 * count :] + earlier, k=count))):
        link_type = chance.choices(LINK_TYPES, weights=shape.type_weights)[0]
        lag = _amount(network, 1, shape.max_lag) if chance.random() < shape.lag_share else 0
        if shape.leads and chance.random() < 0.1:
            lag = -_amount(network, 1, 2)
        if shape.taskjuggler:
            lag = _expressible_lag(network, link_type, predecessor, task_id, lag)
        link: dict[str, Any] = {"from": predecessor, "to": task_id, "type": link_type}
        if lag:
            link["lag"] = lag
        network.links.append(link)


def _expressible_lag(
    network: _Network, link_type: str, predecessor: str, successor: str, lag: float
) -> float:
    """Raise an FF or SF lag just enough that TaskJuggler can say it as a start gap."""
    before, after = network.durations[predecessor], network.durations[successor]
    if link_type == "FF":
        return max(lag, after - before)
    if link_type == "SF":
        return max(lag, after)
    return lag


def _add_summaries(network: _Network, layers: list[list[str]]) -> None:
    """Summaries over a few tasks of one middle layer, linked FS or SS to tasks around them."""
    chance = network.random
    usable = [layer for layer in layers[2:-2] if len(layer) >= 3]
    parented: set[str] = set()
    for number in range(network.shape.summaries if usable else 0):
        place = chance.randrange(len(usable))
        children = [task for task in chance.sample(usable[place], 3) if task not in parented]
        if not children:
            continue
        summary = f"S{number + 1}"
        network.tasks.append({"id": summary, "name": f"Summary {number + 1}"})
        parented.update(children)
        for task in network.tasks:
            if task["id"] in children:
                task["parent"] = summary
        index = layers.index(usable[place])
        # TaskJuggler passes a summary's dependencies on to its children and refuses a child
        # that names the same predecessor again, so the summary's predecessor must be new to them.
        linked = {link["from"] for link in network.links if link["to"] in children}
        before = [task for task in layers[index - 2] if task not in linked]
        if before:
            link_type = chance.choice(network.shape.summary_in)
            network.links.append({"from": chance.choice(before), "to": summary, "type": link_type})
        after = chance.choice(layers[index + 2])
        link_type = chance.choice(network.shape.summary_out)
        network.links.append({"from": summary, "to": after, "type": link_type})


def _calendar(network: _Network) -> dict[str, Any]:
    week = network.shape.working_week
    days = [START + dt.timedelta(days=offset) for offset in range(1, 400)]
    weekdays = [day for day in days if day.isoweekday() in week]
    holidays = sorted(network.random.sample(weekdays, network.shape.holidays))
    return {"working_week": list(week), "hours_per_day": 8, "holidays": [day.isoformat() for day in holidays]}


# ---------------------------------------------------------------- timing and tables


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of `runs` timings of `action`, in seconds: the least disturbed by the machine."""
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return min(timings)


def run_process(command: list[str], **options: Any) -> float:
    """Wall time of one run of `command`, which must succeed."""
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **options)  # noqa: S603 - our own commands
    return time.perf_counter() - began


def machine() -> str:
    """The machine, and how busy it is: a benchmark on a busy machine reads slow."""
    cpu = platform.processor() or platform.machine()
    model = next(_cpu_model(), cpu)
    load = os.getloadavg()[0]
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load:.1f}"


def _cpu_model() -> Iterator[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    yield line.split(":", 1)[1].strip()
    except OSError:
        return


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    print(f"\n{title}")
    for number, row in enumerate([header, *rows]):
        print(
            "  ".join(
                cell.rjust(width) if n else cell.ljust(width)
                for n, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"

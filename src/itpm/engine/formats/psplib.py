"""PSPLIB single-mode (`.sm`) files: the standard instances of resource-constrained scheduling.

A file is blocks of lines between rows of asterisks: a header of `key : value` lines (the job
count, the horizon, the resource counts), PROJECT INFORMATION, PRECEDENCE RELATIONS (per job: its
mode count, successor count and successors), REQUESTS/DURATIONS (per job: mode, duration and a
request per resource) and RESOURCEAVAILABILITIES. Job 1 is a dummy source and the last job a
dummy sink, both of duration 0. Every problem is reported with the line it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from itpm.engine.arrays import NetworkArrays
from itpm.engine.formats.errors import FormatError
from itpm.engine.model import Link, Task
from itpm.engine.rcpsp import Activity, Problem, Resource

RESOURCE_KINDS = {"R": "renewable", "N": "nonrenewable", "D": "doubly constrained"}
# Patterns as text: re compiles and caches each on first use, so importing costs nothing.
_RESOURCE_COLUMN = r"\b([RND])\s*(\d+)\b"
_SEPARATOR = r"\s*\*+\s*"
_HEADINGS = r"\s*(jobnr|-+\s*$)"
_WHOLE_NUMBER = r"[+-]?\d+"


@dataclass(frozen=True)
class PsplibResource:
    """A resource: `R1` (renewable per period), `N1` (nonrenewable) or `D1` (doubly constrained)."""

    name: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class PsplibJob:
    """A job: its duration in periods, successors by job number, and a request per resource."""

    number: int
    duration: int
    successors: tuple[int, ...]
    requests: tuple[int, ...]


@dataclass(frozen=True)
class PsplibProject:
    """A parsed `.sm` file. Resources are kept for levelling; the critical path ignores them."""

    jobs: tuple[PsplibJob, ...]
    resources: tuple[PsplibResource, ...]
    horizon: int | None = None
    due_date: int | None = None

    def job_name(self, job: PsplibJob) -> str:
        if job.number == 1:
            return "source"
        return "sink" if job.number == len(self.jobs) else f"job {job.number}"

    def engine_tasks(self) -> list[Task]:
        return [Task(str(job.number), job.duration, name=self.job_name(job)) for job in self.jobs]

    def engine_links(self) -> list[Link]:
        return [Link(str(job.number), str(after)) for job in self.jobs for after in job.successors]

    def network_arrays(self) -> NetworkArrays:
        """The jobs and their precedences as the engine's arrays: job n is task n - 1, and each
        precedence a finish-to-start link without lag."""
        counts = [len(job.successors) for job in self.jobs]
        successors = [after - 1 for job in self.jobs for after in job.successors]
        return NetworkArrays.of(
            [job.duration for job in self.jobs],
            np.repeat(np.arange(len(self.jobs), dtype=np.int64), counts),
            np.array(successors, dtype=np.int64),
            ids=[str(job.number) for job in self.jobs],
        )

    def levelling_problem(self) -> Problem:
        """The jobs, their precedences and the renewable resources, for level() and optimize()."""
        renewable = [r for r in self.resources if r.kind == "renewable"]
        activities = [
            Activity(
                str(job.number),
                job.duration,
                {
                    r.name: units
                    for r, units in zip(self.resources, job.requests, strict=True)
                    if r in renewable and units
                },
            )
            for job in self.jobs
        ]
        return Problem(activities, [Resource(r.name, r.capacity) for r in renewable], self.engine_links())


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, as an editor shows it
    text: str


@dataclass(frozen=True)
class _Block:
    """The lines between two rows of asterisks; `end` is the last line number it covers."""

    lines: tuple[_Line, ...]
    end: int

    @property
    def title(self) -> str:
        return self.lines[0].text.strip().rstrip(":").strip() if self.lines else ""


def parse_psplib(text: str, source: str) -> PsplibProject:
    """Read a PSPLIB single-mode file; raise FormatError naming the line of the first problem."""
    blocks = _blocks(text)
    found = {block.title.upper(): block for block in blocks}
    end = blocks[-1].end if blocks else 1

    def section(title: str) -> _Block:  # in file order, so a cut file fails where it was cut
        if title not in found:
            message = f"no {title} section (is this a complete PSPLIB .sm file?)"
            raise FormatError(source, message, line=end)
        return found[title]

    header = _header(blocks, source)
    parser = _Parser(source)
    successors = parser.precedences(section("PRECEDENCE RELATIONS"), header.get("jobs"))
    job_count = len(successors)
    names, durations, requests = parser.requests(section("REQUESTS/DURATIONS"), job_count)
    capacities = parser.availabilities(section("RESOURCEAVAILABILITIES"), names)
    _check_resource_counts(header, names, found["REQUESTS/DURATIONS"], source)
    jobs = tuple(
        PsplibJob(number, durations[number], successors[number], requests[number])
        for number in range(1, job_count + 1)
    )
    resources = tuple(
        PsplibResource(name, RESOURCE_KINDS[name[0]], capacity)
        for name, capacity in zip(names, capacities, strict=True)
    )
    return PsplibProject(jobs, resources, horizon=header.get("horizon"), due_date=header.get("duedate"))


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[_Line] = []
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if re.fullmatch(_SEPARATOR, raw):
            blocks.append(_Block(tuple(current), number))
            current = []
        elif raw.strip():
            current.append(_Line(number, raw))
    blocks.append(_Block(tuple(current), max(number, 1)))
    return [block for block in blocks if block.lines]


def _header(blocks: list[_Block], source: str) -> dict[str, int]:
    """The counts from `key : value` lines: jobs, horizon, resources of each kind, due date."""
    header: dict[str, int] = {}
    for block in blocks:
        for line in block.lines:
            key, colon, value = line.text.partition(":")
            words = value.split()
            if not colon or not words:
                continue
            name = _header_key(key)
            if name:
                header[name] = _whole_number(words[0], line, source, name)
        if block.title.upper() == "PROJECT INFORMATION" and len(block.lines) >= 3:
            columns, values = block.lines[1].text.split(), block.lines[2].text.split()
            if "duedate" in columns and len(values) == len(columns):
                due = values[columns.index("duedate")]
                header["duedate"] = _whole_number(due, block.lines[2], source, "due date")
    return header


def _header_key(key: str) -> str | None:
    key = key.strip().lstrip("-").strip().lower()
    if key.startswith("jobs"):
        return "jobs"
    if key in ("horizon", "renewable", "nonrenewable", "doubly constrained"):
        return key
    return None


def _check_resource_counts(header: dict[str, int], names: list[str], block: _Block, source: str) -> None:
    for letter, kind in RESOURCE_KINDS.items():
        listed = sum(1 for name in names if name[0] == letter)
        if kind in header and header[kind] != listed:
            message = f"the header says {header[kind]} {kind} resource(s), but the columns list {listed}"
            raise FormatError(source, message, line=block.lines[0].number)


def _whole_number(word: str, line: _Line, source: str, what: str) -> int:
    if not re.fullmatch(_WHOLE_NUMBER, word):
        raise FormatError(source, f"{what}: {word!r} is not a whole number", line=line.number)
    return int(word)


@dataclass(frozen=True)
class _Parser:
    source: str

    def fail(self, line: _Line | int, message: str) -> FormatError:
        number = line if isinstance(line, int) else line.number
        return FormatError(self.source, message, line=number)

    def numbers(self, line: _Line, what: str) -> list[int]:
        return [_whole_number(word, line, self.source, what) for word in line.text.split()]

    def rows(self, block: _Block, expected: int | None, section: str) -> Iterator[_Line]:
        """The table rows of a section: the lines after its title, column headings and rules."""
        rows = [line for line in block.lines[1:] if not re.match(_HEADINGS, line.text, re.IGNORECASE)]
        if expected is not None and len(rows) < expected:
            message = f"{section} lists {len(rows)} of {expected} jobs (is the file truncated?)"
            raise self.fail(block.end, message)
        yield from rows

    def precedences(self, block: _Block, job_count: int | None) -> dict[int, tuple[int, ...]]:
        successors: dict[int, tuple[int, ...]] = {}
        where: dict[int, int] = {}
        rows = list(self.rows(block, job_count, "PRECEDENCE RELATIONS"))
        count = job_count if job_count is not None else len(rows)
        for line in rows:
            values = self.numbers(line, "precedence relations")
            if len(values) < 3:
                raise self.fail(line, "expected: job number, mode count, successor count, successors")
            job, modes, listed, after = values[0], values[1], values[2], tuple(values[3:])
            self.check_job(line, job, count, where)
            if modes != 1:
                raise self.fail(line, f"job {job} has {modes} modes; only single-mode files are read")
            if listed != len(after):
                raise self.fail(line, f"job {job} says it has {listed} successors but lists {len(after)}")
            self.check_successors(line, job, after, count)
            successors[job] = after
        self.check_all_listed(where, count, block, "PRECEDENCE RELATIONS")
        return successors

    def check_job(self, line: _Line, job: int, count: int, where: dict[int, int]) -> None:
        if not 1 <= job <= count:
            raise self.fail(line, f"job number {job} is outside 1..{count}")
        if job in where:
            raise self.fail(line, f"job {job} is listed twice (first on line {where[job]})")
        where[job] = line.number

    def check_successors(self, line: _Line, job: int, after: tuple[int, ...], count: int) -> None:
        for successor in after:
            if not 1 <= successor <= count:
                raise self.fail(line, f"job {job}: successor {successor} is not a job (1..{count})")
            if successor == job:
                raise self.fail(line, f"job {job} lists itself as a successor")
        if len(set(after)) != len(after):
            raise self.fail(line, f"job {job} lists a successor twice")

    def check_all_listed(self, where: dict[int, int], count: int, block: _Block, section: str) -> None:
        missing = next((job for job in range(1, count + 1) if job not in where), None)
        if missing is not None:
            raise self.fail(block.end, f"{section} has no row for job {missing}")

    def requests(
        self, block: _Block, job_count: int
    ) -> tuple[list[str], dict[int, int], dict[int, tuple[int, ...]]]:
        names = _resource_names(block, self.source)
        durations: dict[int, int] = {}
        requests: dict[int, tuple[int, ...]] = {}
        where: dict[int, int] = {}
        for line in self.rows(block, job_count, "REQUESTS/DURATIONS"):
            values = self.numbers(line, "requests/durations")
            if len(values) != 3 + len(names):
                expected = f"{3 + len(names)} numbers (job, mode, duration, {len(names)} requests)"
                message = f"expected {expected}, got {len(values)}"
                raise self.fail(line, message)
            job, mode, duration = values[:3]
            self.check_job(line, job, job_count, where)
            if mode != 1:
                raise self.fail(line, f"job {job} has mode {mode}; only single-mode files are read")
            if duration < 0:
                raise self.fail(line, f"job {job}: duration {duration} is negative")
            for name, amount in zip(names, values[3:], strict=True):
                if amount < 0:
                    raise self.fail(line, f"job {job}: request {amount} for {name} is negative")
            durations[job], requests[job] = duration, tuple(values[3:])
        self.check_all_listed(where, job_count, block, "REQUESTS/DURATIONS")
        return names, durations, requests

    def availabilities(self, block: _Block, names: list[str]) -> list[int]:
        if len(block.lines) < 3:
            raise self.fail(block.end, "RESOURCEAVAILABILITIES needs a line of names and a line of numbers")
        listed = _columns(block.lines[1].text)
        if listed != names:
            message = f"resources {' '.join(listed)} differ from the requests' {' '.join(names)}"
            raise self.fail(block.lines[1], message)
        line = block.lines[2]
        capacities = self.numbers(line, "resource availabilities")
        if len(capacities) != len(names):
            raise self.fail(line, f"expected {len(names)} availabilities, got {len(capacities)}")
        for name, capacity in zip(names, capacities, strict=True):
            if capacity < 0:
                raise self.fail(line, f"availability {capacity} of {name} is negative")
        return capacities


def _columns(text: str) -> list[str]:
    return [kind + number for kind, number in re.findall(_RESOURCE_COLUMN, text)]


def _resource_names(block: _Block, source: str) -> list[str]:
    headings = next((line for line in block.lines[1:] if "duration" in line.text.lower()), None)
    if headings is None:
        message = "REQUESTS/DURATIONS has no column headings (jobnr. mode duration R 1 ...)"
        raise FormatError(source, message, line=block.lines[0].number)
    names = _columns(headings.text.lower().split("duration", 1)[1].upper())
    if len(set(names)) != len(names):
        raise FormatError(source, "a resource column is named twice", line=headings.number)
    return names

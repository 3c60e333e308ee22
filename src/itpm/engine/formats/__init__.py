"""Readers and writers of project files: PSPLIB `.sm` and itpm's native JSON project format.

Readers take the text of a file and the name to report it by; they open nothing themselves, so
the engine stays free of I/O. Problems raise FormatError, naming the file and the line or JSON
path. docs/file-formats.md describes both formats.
"""

from __future__ import annotations

from itpm.engine.formats.errors import FormatError
from itpm.engine.formats.native import FORMAT_NAME, FORMAT_VERSION, parse_project
from itpm.engine.formats.project import (
    UNITS_PER_DAY,
    EngineArrays,
    EngineInput,
    ProjectFile,
    ProjectLinks,
    engine_arrays,
    engine_input,
)
from itpm.engine.formats.psplib import PsplibJob, PsplibProject, PsplibResource, parse_psplib

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "UNITS_PER_DAY",
    "EngineArrays",
    "EngineInput",
    "FormatError",
    "ProjectFile",
    "ProjectLinks",
    "PsplibJob",
    "PsplibProject",
    "PsplibResource",
    "engine_arrays",
    "engine_input",
    "parse_project",
    "parse_psplib",
    "read_project_text",
]


def read_project_text(text: str, source: str) -> ProjectFile | PsplibProject:
    """Read either format: by the file's extension, else by what the text begins with."""
    name = source.lower()
    if name.endswith(".json"):
        return parse_project(text, source)
    if name.endswith(".sm"):
        return parse_psplib(text, source)
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "["):
        return parse_project(text, source)
    if start == "*" or "PRECEDENCE RELATIONS" in text[:4096]:
        return parse_psplib(text, source)
    message = "neither an itpm project file (JSON) nor a PSPLIB .sm file; see docs/file-formats.md"
    raise FormatError(source, message, line=1)

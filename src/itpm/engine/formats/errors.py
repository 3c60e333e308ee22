"""FormatError: a file that cannot be read, told in one line that names the file and the place."""

from __future__ import annotations


class FormatError(Exception):
    """A problem in an input file.

    `line` is set for line-based formats (PSPLIB) and for JSON syntax errors, with `column` where
    known; `path` is set for problems in a JSON document's content (json.load keeps no line
    numbers), written the way a person would look it up: `tasks[3].duration`.
    """

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        self.source = source
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        """`file:line:column` or `file: path` or just `file`, for the start of the message."""
        if self.line is not None:
            column = f":{self.column}" if self.column is not None else ""
            return f"{self.source}:{self.line}{column}"
        if self.path:
            return f"{self.source}: {self.path}"
        return self.source

    def describe(self) -> str:
        return f"{self.where}: {self.message}"

"""A problem with an uploaded file, by file, row and column; the refusal of a file as a whole."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.core.errors import Refused


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"riga {self.row}")
        if self.column:
            where.append(f"colonna «{self.column}»")
        return ", ".join(where) + ": " + self.message


class FileRefused(Refused):
    """The file as a whole cannot be read; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

"""What is wrong in the content, in words an editor can act on: :class:`Problem` (one file, line,
column, field path and message) and :class:`ContentError` (every problem of a load)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


#: Position of a value in a file: 1-based (line, column).
Pos = tuple[int, int]


#: Path of a value inside a file, as keys and list indexes: ("phases", 0, "items", 3, "text").
Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one content file.

    ``file`` is relative to the project root (``content/resources/x.yml``); ``line`` and
    ``column`` are 1-based (0 when unknown); ``field`` is a dotted path such as
    ``phases[0].items[3].text`` ("" for the whole file).
    """

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class ContentError(Exception):
    """Raised when content does not load. ``problems`` lists every :class:`Problem` found, in
    file order; ``warnings`` the non-fatal ones found before it stopped (may be empty);
    ``str()`` gives one line per problem plus a count."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field))
        self.warnings = list(warnings or [])
        super().__init__(self.report())

    def report(self) -> str:
        """The editor-facing report: one ``file:line:col: field: message`` line per problem."""
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found in the content; nothing was built.")
        return "\n".join(lines)


def format_loc(loc: Iterable[Any]) -> str:
    """``("phases", 0, "items", 3, "text")`` -> ``"phases[0].items[3].text"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out

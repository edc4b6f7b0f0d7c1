"""Problems a user can act on, and the exceptions that carry them.

A :class:`Problem` is one line ``path:line: key: message``. Stages collect
problems in a :class:`Problems` list and raise :class:`ContentError` once, so a
run reports every mistake at the same time. Anything else that escapes is a bug
in ici_site and deserves its traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One mistake in a user's file."""

    path: str  # file the mistake is in, relative to the project when possible
    line: int | None  # 1-based line, None when the whole file is concerned
    key: str  # key path of the field (`hours`, `emergency[1].phone`) or ""
    message: str  # what is wrong and, where it helps, what to do

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class IciError(Exception):
    """Base of every error caused by the user's input rather than by a bug."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem | str]) -> None:
        self.problems: tuple[Problem | str, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(IciError):
    """Content or catalogs are invalid; the run stops before writing anything."""


class UsageError(IciError):
    """The command line was wrong."""

    exit_code = 2


@dataclass
class Problems:
    """Collects problems during a stage; raise them all at once with :meth:`check`."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int | None, key: str, message: str) -> None:
        """Record one problem."""
        self.items.append(Problem(path, line, key, message))

    def extend(self, other: Iterable[Problem]) -> None:
        """Record problems found by another collector."""
        self.items.extend(other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def check(self) -> None:
        """Raise :class:`ContentError` with every problem, sorted and de-duplicated."""
        if self.items:
            ordered = sorted(set(self.items), key=_sort_key)
            raise ContentError(list(ordered))


def os_problem(exc: OSError, root: Path) -> str:
    """One line for a failure of the operating system (disk full, read-only, permission,
    a file that vanished): ``<path>: <reason>``, the path relative to the project when inside."""
    name = exc.filename if exc.filename is not None else exc.filename2
    reason = exc.strerror or str(exc)
    if name is None:
        return reason
    path = Path(os.fsdecode(name))
    shown = (path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path).as_posix()
    # a file name may hold a line break or a terminal's control codes: shown escaped, on one line
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
    return f"{shown}: {reason[:1].lower()}{reason[1:]}"


def _sort_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line or 0, p.key, p.message)

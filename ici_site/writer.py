"""Write stage: the only code that touches the output tree.

A city's files are first written to a staging folder inside the output folder,
then swapped in with two renames, so a failed or interrupted build never leaves
a half-written city. The writer refuses a second write to the same path and any
path that would leave its folder.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Mapping
from pathlib import Path


class OutputError(Exception):
    """Two pages want the same file, or a path leaves the output folder (a bug or bad slug)."""


def check_path(path: str) -> str:
    """Refuse absolute paths and '..' so nothing is written outside the folder."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm.startswith("..") or norm in (".", ""):
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return norm


class Files:
    """The files of one city, collected in memory before anything is written."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes | str) -> None:
        """Add one file; a second file with the same path is an error."""
        path = check_path(path)
        if path in self._files:
            raise OutputError(f"two pages would be written to {path}")
        self._files[path] = data.encode("utf-8") if isinstance(data, str) else data

    def items(self) -> list[tuple[str, bytes]]:
        """(path, bytes) pairs in path order."""
        return sorted(self._files.items())

    def __len__(self) -> int:
        return len(self._files)


def write_site(out: Path, cities: Mapping[str, Files]) -> None:
    """Write every city to ``out/<city>/``, replacing each previous folder whole."""
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for slug, files in cities.items():
            stage = out / f".{slug}.new-{os.getpid()}"
            if stage.exists():
                shutil.rmtree(stage)
            for path, data in files.items():
                target = stage / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            staged[slug] = stage
        # Every city is complete on disk: only now replace the published folders.
        for slug, stage in staged.items():
            final, old = out / slug, out / f".{slug}.old-{os.getpid()}"
            if final.exists():
                os.replace(final, old)
            os.replace(stage, final)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        for stage in staged.values():
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)

"""Clean builds of a copy of a project, each in a fresh process: what ``bench/stages.py`` and
``bench/outputs.py`` time.

The project is copied without its ``.ici-cache/`` and output under a scratch folder (tmpfs by
default: creating files there costs the same whatever was deleted before), built with the
checkout ``--code`` on ``PYTHONPATH`` at the day of its ``source_date_epoch.txt``, and each build
finds no cache: the last one's is moved away first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bytecode import compiled  # bench/ is not a package: found through sys.path

HERE = Path(__file__).resolve().parent.parent


def arguments(parser: argparse.ArgumentParser, runs: int) -> None:
    """The arguments every such benchmark takes: the project, the runs, the checkout, the scratch folder."""
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--code", type=Path, default=HERE)
    parser.add_argument("--tmp", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)


class Copy:
    """A copy of the project ``root`` in ``scratch``, built clean by the checkout ``code``."""

    def __init__(self, root: Path, code: Path, scratch: Path) -> None:
        compiled(code)
        self.scratch, self.root = scratch, scratch / "project"
        shutil.copytree(root, self.root, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
        epoch = root / "source_date_epoch.txt"
        self.env = {**os.environ, "PYTHONPATH": str(code),
                    **({"SOURCE_DATE_EPOCH": epoch.read_text().strip()} if epoch.is_file() else {})}

    def build(self, driver: str, name: str, *args: str) -> str:
        """Run ``driver`` (Python source) with the copy, a new output folder ``name`` and ``args``;
        its last line of output. The last build's cache is moved away first: a clean build."""
        if (self.root / ".ici-cache").exists():
            (self.root / ".ici-cache").rename(self.scratch / f"cache-{name}")
        done = subprocess.run([sys.executable, "-c", driver, str(self.root), str(self.scratch / f"out-{name}"), *args],
                              env=self.env, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"the build failed:\n{done.stderr[-2000:]}")
        return done.stdout.strip().splitlines()[-1]

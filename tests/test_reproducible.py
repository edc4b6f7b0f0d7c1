"""Two builds of the same input are byte-identical, whatever the hash seed, time zone,
locale or time of day of the machine; the day comes from SOURCE_DATE_EPOCH."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_DAY, REPO


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
                          env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY, **env},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_builds_and_catalogs_do_not_depend_on_the_machine(project) -> None:
    root = project(None)
    machines = [
        {"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        {"PYTHONHASHSEED": "4242", "TZ": "America/Adak", "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"},
    ]
    results = []
    for number, env in enumerate(machines):
        run(root, env, "build", "--out", str(root / f"out{number}"))
        run(root, env, "update")
        results.append((tree(root / f"out{number}"), tree(root / "locales")))
        shutil.rmtree(root / "locales")
        shutil.copytree(REPO / "locales", root / "locales")
    assert results[0][0] == results[1][0]
    assert results[0][1] == results[1][1]
    assert len(results[0][0]) > 100

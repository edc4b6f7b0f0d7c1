"""Golden output: the whole `basic` mini-site, byte for byte.

After an intended change of the output, regenerate with
``ICI_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "basic"
VERSION = re.compile(rb'VERSION = "[0-9a-f]{12}"')


def test_basic_site_matches_golden_output(project, cli) -> None:
    root = project("basic")
    assert cli(root, "build").code == 0
    built = root / "_site"
    if os.environ.get("ICI_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(built, GOLDEN)
    got = sorted(str(p.relative_to(built)) for p in built.rglob("*") if p.is_file())
    want = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file())
    assert got == want
    for name in want:
        a, b = (GOLDEN / name).read_bytes(), (built / name).read_bytes()
        if name.endswith("sw.js"):  # its cache version hashes the inputs, code and Python's version included
            a, b = (VERSION.sub(b'VERSION = "*"', x) for x in (a, b))
        if a != b:
            diff = "".join(difflib.unified_diff(
                a.decode().splitlines(True), b.decode().splitlines(True), f"golden/{name}", f"built/{name}"))
            raise AssertionError(f"{name} differs from the golden output:\n{diff[:4000]}")

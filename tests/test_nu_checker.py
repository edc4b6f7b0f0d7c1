"""The Nu Html Checker (npm vnu-jar, run with the machine's Java) on every generated page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import REPO, require_tool

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_generated_page_is_valid_html(example_site: Path) -> None:
    require_tool(VNU.is_file() and shutil.which("java") is not None, "Nu Html Checker (java + npm ci)")
    # One JVM for the whole site: --skip-non-html leaves out the CSS, scripts and data files.
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(example_site)],
                         capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stderr[:4000]
    assert run.stderr.strip() == ""
    pages = sum(1 for _ in example_site.rglob("*.html"))
    assert pages > 150  # the whole example build was checked, both cities

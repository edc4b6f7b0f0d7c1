"""Time the example sites: the clean build, and an edit in `serve`, as medians.

    python bench/examples.py [N]      (default N = 7)

clean         N fresh `python build.py build --out TMP` processes, no previous output or
              cache: the figure includes interpreter start-up and imports, as an editor
              experiences it.
edit (serve)  one sentence of one service of the first city changed inside one process
              as `serve` does: the time to its pages shown (rendered first) and to the
              whole output written, for the first edit after the process's own first
              build and the median of the three after it, then a translator's edit of
              one string; N processes, medians of each (same method as `bench/run.py`).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import serve_edit_seconds  # bench/ is not a package: found through sys.path


def project(target: Path) -> Path:
    """A copy of the repository's example project to edit."""
    for name in ("content", "locales", "templates"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "babel.cfg", target / "babel.cfg")
    return target


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", out],
                           check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
            pages = sum(1 for _ in Path(out).rglob("*.html"))
            cities = sum(1 for city in Path(out).iterdir() if (city / "sw.js").is_file())
    edits = []
    with tempfile.TemporaryDirectory() as work:
        root = project(Path(work) / "project")
        city = min(p for p in (root / "content").iterdir() if (p / "city.yaml").is_file())
        service = min((city / "services").glob("*.md"))
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build"],
                       check=True, capture_output=True)
        for run in range(runs):
            edits.append(serve_edit_seconds(root, root / "_site", service, run))
    print(f"example sites: {cities} cities, {pages} pages; clean build median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs)")
    def ms(field: str) -> str:
        return f"{statistics.median(getattr(e, field) for e in edits) * 1000:.0f} ms"

    print(f"edit of {service.relative_to(root)} in serve (medians of {runs} processes): first edit shown "
          f"{ms('first_shown')}, written {ms('first_written')}; the edits after it shown {ms('shown')}, "
          f"written {ms('written')}; a translator's edit of one string {ms('catalog')}")


if __name__ == "__main__":
    main()

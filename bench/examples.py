"""Time the build of the example sites: median of N clean builds into a temp folder.

    python bench/examples.py [N]      (default N = 7)

Each run is a fresh `python build.py build --out TMP` process, so the figure
includes interpreter start-up and imports, as an editor experiences it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    print(f"example sites: {pages} pages; clean build median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {runs} runs)")


if __name__ == "__main__":
    main()

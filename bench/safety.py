"""Time the safety check of every translation of a project's city catalogs, as a clean build
runs it (once per catalog, no cache), in this process.

    python bench/safety.py [ROOT] [N]      (default: this project's example content, N = 5)

ROOT is a project folder (with locales/). The check of every (source, translation) pair
is timed N times, each with the sources' remembered facts forgotten first; the median
and the number of refused translations are printed (the latter must not change when the
check is made faster).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ici_site.i18n import safety  # after the checkout is on the path
from ici_site.i18n.pofile import TEMPLATE_DOMAIN, load_entries


def main() -> None:
    project = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    pairs = [(msgid, entry.string, entry.markdown)
             for path in sorted(project.glob("locales/*/LC_MESSAGES/*.po")) if path.stem != TEMPLATE_DOMAIN
             for msgid, entry in load_entries(path).items()]
    times, refused = [], 0
    for _ in range(runs):
        safety._source_facts.cache_clear()  # a clean build starts without them
        safety._source_problem.cache_clear()
        start = time.perf_counter()
        refused = sum(1 for source, text, markdown in pairs if safety.check_translation(source, text, markdown, "FR"))
        times.append(time.perf_counter() - start)
    print(f"{len(pairs)} translations checked in {statistics.median(times):.3f} s (median of {runs}); "
          f"{refused} refused")


if __name__ == "__main__":
    main()

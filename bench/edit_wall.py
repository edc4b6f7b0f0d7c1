"""Time edits as ``serve`` makes them, in one process, on a copy of a project: the wall time from
the start of an edit to its pages shown and to its whole output written, and where the build
went, per stage.

    python bench/edit_wall.py ROOT [--edits N] [--code CHECKOUT] [--tmp FOLDER]

ROOT is copied (without ``.ici-cache/`` and ``_site``) into a temporary folder under FOLDER
(default: the system's; the output is written there, so put it on the disk ``serve`` would
write to), so every run starts from the same text: editing a project in place makes each run
edit a longer file than the last. One process, with the ici_site of CHECKOUT (default: this
one), a ``State`` of its own and the collector thresholds ``serve`` sets, builds the copy,
warms up as ``serve`` does, then makes N edits of the first service of the first city (one
sentence more each time, as ``bench/run.py`` edits): each shown first (``edited_pages``, in
the main thread) and then built in a thread of its own, as ``serve`` builds. Printed: the
medians of the edits after the first, in milliseconds. Wall times move with this machine's
hour: compare two checkouts run in turn, or count instructions (``bench/edit_instructions.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bytecode import compiled  # bench/ is not a package: found through sys.path
from edit_instructions import SERVED

HERE = Path(__file__).resolve().parent.parent
STAGES = ("load_site", "read_catalogs", "publish", "render", "check_links", "network_pages")
TIMED = """
import statistics, sys, threading, time
from collections import defaultdict
sys.path.insert(0, {code!r})
import ici_site.pipeline as pipeline
import ici_site.build.speed as speed
spent = defaultdict(float)

def timed(name, func):
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return run

for name in {stages!r}:
    setattr(pipeline, name, timed(name, getattr(pipeline, name)))
speed.Fast.plan = timed("plan", speed.Fast.plan)
speed.Fast.write = timed("write", speed.Fast.write)
"""
EDITS = """
rows = []
for number in range({edits}):
    edit(service, 700 + number)
    start = time.perf_counter()
    assert edited_pages(root, out, state, changed, build_date())  # in serve's loop
    shown = time.perf_counter() - start
    spent.clear()
    thread = threading.Thread(target=lambda: build(root, out, warm=True, state=state))  # as serve builds
    thread.start()
    thread.join()
    rows.append({{"shown": shown, "written": time.perf_counter() - start, **spent}})
first, rows = rows[0], rows[1:]
print("the first edit, in ms:", " ".join(f"{{key}} {{value * 1000:.0f}}" for key, value in first.items()))
print(f"{{len(rows)}} edits of {{service.relative_to(root)}}, medians in ms:",
      " ".join(f"{{key}} {{statistics.median(row.get(key, 0) for row in rows) * 1000:.0f}}" for key in rows[0]))
"""
DRIVER = TIMED + SERVED + EDITS  # the stages wrapped before serve's process is made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=13)
    parser.add_argument("--code", type=Path, default=HERE)
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()
    if args.edits < 2:
        sys.exit("--edits: at least 2 (the first edit is left out of the medians)")
    with tempfile.TemporaryDirectory(prefix="ici-edit-wall-", dir=args.tmp) as tmp:
        work = Path(tmp)
        root = work / "project"
        shutil.copytree(args.root, root, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
        driver = work / "driver.py"
        code = args.code.resolve()
        compiled(code)
        driver.write_text(DRIVER.format(code=str(code), bench=str(code / "bench"), root=str(root),
                                        out=str(work / "out"), edits=args.edits, stages=STAGES))
        epoch = (args.root / "source_date_epoch.txt").read_text().strip() \
            if (args.root / "source_date_epoch.txt").is_file() else "1795132800"
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", epoch)}
        done = subprocess.run([sys.executable, str(driver)], check=False, env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit("the edits failed:\n" + "\n".join(done.stderr.splitlines()[-15:]))
    print(done.stdout.strip(), f"({args.code})")


if __name__ == "__main__":
    main()

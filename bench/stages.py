"""Each stage of a clean build, with one job and with two: its wall time, the CPU time of this
process and of its workers, and the head start's steps this process took during it.

    python bench/stages.py ROOT [--runs 3] [--jobs 1 2] [--code CHECKOUT] [--tmp FOLDER]

ROOT is a project folder; it is copied (without ``.ici-cache/``) under FOLDER (default
``/dev/shm``: tmpfs, where creating files costs the same whatever was deleted before), and
built in a fresh process per run, the job counts in turn (1, 2, 2, 1, …), each run a clean
build into a new folder. A stage's CPU time is ``getrusage`` of this process and of its
waited-for children around the stage's function in ``pipeline.build_site``; a step is one
``workers._take`` (what a later stage would otherwise prepare alone, taken while workers run),
counted in the stage that was running; what is left of them, the stage that needs it does
first, in this process (the render stage's own CPU with two jobs). The build is called as a
library, so the process that ``ici-site build`` forks to read catalogs ahead is not part of it.
Printed: the medians of the runs, per stage and in all (with minor page faults), to see what a
second core costs and where the parent's head start ends up (docs/performance.md, twenty-third
session).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from clean import Copy, arguments  # bench/ is not a package: found through sys.path

STAGES = ("load_site", "read_catalogs", "publish", "render", "check_links")

DRIVER = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
import ici_site.build.workers as workers
import ici_site.pipeline as pipeline
from ici_site.build import build

def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime, own.ru_minflt + kids.ru_minflt

stages, current = {{}}, [None]

def timed(name, function):
    def stage(*args, **kwargs):
        current[0] = name
        before, at = cpu(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            after = cpu()
            row = stages.setdefault(name, {{"steps": 0, "steps_cpu": 0.0}})
            row.update(wall=time.perf_counter() - at, own=after[0] - before[0], workers=after[1] - before[1])
    return stage

for name in {stages!r}:
    setattr(pipeline, name, timed(name, getattr(pipeline, name)))
take = workers._take

def counted(step):
    before = cpu()[0]
    take(step)
    row = stages.setdefault(current[0], {{"steps": 0, "steps_cpu": 0.0}})
    row["steps"] += 1
    row["steps_cpu"] += cpu()[0] - before

workers._take = counted
build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]))
end = cpu()
print(json.dumps({{"stages": stages, "wall": time.perf_counter() - start, "cpu": end[0] + end[1], "faults": end[2]}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments(parser, runs=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    code = args.code.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="stages-", dir=args.tmp))
    runs: dict[int, list[dict]] = {jobs: [] for jobs in args.jobs}
    try:
        copy = Copy(args.root, code, scratch)
        driver = DRIVER.format(stages=STAGES)
        for run in range(args.runs):
            for jobs in args.jobs if run % 2 == 0 else reversed(args.jobs):
                runs[jobs].append(json.loads(copy.build(driver, f"{jobs}-{run}", str(jobs))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for jobs, found in runs.items():
        print(f"{jobs} job(s), medians of {len(found)} clean builds with {code}:")
        print(f"  {'stage':<14} {'wall':>7} {'this process':>13} {'workers':>8} {'steps':>6} {'their CPU':>10}")
        for stage in STAGES:
            rows = [run["stages"][stage] for run in found]
            print(f"  {stage:<14} {_median(rows, 'wall'):>6.3f}s {_median(rows, 'own'):>12.3f}s "
                  f"{_median(rows, 'workers'):>7.3f}s {_median(rows, 'steps'):>6.0f} {_median(rows, 'steps_cpu'):>9.3f}s")
        print(f"  in all: wall {statistics.median(r['wall'] for r in found):.3f} s, CPU "
              f"{statistics.median(r['cpu'] for r in found):.3f} s, minor page faults "
              f"{statistics.median(r['faults'] for r in found):,.0f} (imports included, the process's exit not)")


def _median(rows: list, key: str) -> float:
    return statistics.median(row[key] for row in rows)


if __name__ == "__main__":
    main()

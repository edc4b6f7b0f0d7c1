"""Where a clean build's work goes, by what it makes: the CPU time of each kind of file.

    python bench/outputs.py ROOT [--jobs 1] [--runs 2] [--code CHECKOUT] [--tmp FOLDER]

ROOT is a project folder; it is copied (without ``.ici-cache/``) under FOLDER (default
``/dev/shm``) and built clean in a fresh process per run, as a library, with the speed layer on.
Each file the render stage makes is timed (process CPU time around ``speed.Fast.file``, in
whichever process makes it), and the files are grouped by kind: the path with its language
folder written ``L/`` and its name written ``*`` (``L/services/*.html``), a page directly in the
language folder kept by name (``L/guide.html``). The first file of a part carries what the part
makes once (a body's first rendering is its service page's, a search index's work its first
file's). Printed: per kind, the CPU time, the files and the time of one, the medians of the runs,
largest first; then the build's own CPU time (this process and its workers; imports and the
stages that make no file, the catalogs above all, are in it, not in the kinds).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from clean import Copy, arguments  # bench/ is not a package: found through sys.path

DRIVER = """
import os, re, resource, sys, time
from pathlib import Path
import ici_site.build.speed as speed
from ici_site.build import build

LOG = sys.argv[4]
made = speed.Fast.file

def kind(path):
    path = re.sub(r"^[a-z]{{2,3}}(?:-[A-Za-z]+)?/", "L/", path)
    if path.count("/") == 1 and path.endswith(".html"):
        return path
    return re.sub(r"/[^/]+\\.([a-z]+)$", r"/*.\\1", path)

def timed(self, project, slug, lang, output, keys, make):
    start = time.process_time()
    try:
        return made(self, project, slug, lang, output, keys, make)
    finally:
        with open(LOG, "a") as log:
            log.write(f"{{kind(output.path)}}\\t{{time.process_time() - start}}\\n")

speed.Fast.file = timed
build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]))
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments(parser, runs=2)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    code = args.code.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="outputs-", dir=args.tmp))
    kinds: dict[str, list[tuple[float, int]]] = {}
    totals: list[float] = []
    try:
        copy = Copy(args.root, code, scratch)
        for run in range(args.runs):
            log = scratch / f"files-{run}.tsv"
            totals.append(float(copy.build(DRIVER.format(), str(run), str(args.jobs), str(log))))
            found: dict[str, list[float]] = {}
            for line in log.read_text().splitlines():
                name, seconds = line.split("\t")
                found.setdefault(name, []).append(float(seconds))
            for name, times in found.items():
                kinds.setdefault(name, []).append((sum(times), len(times)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rows = sorted(((statistics.median(t for t, _ in runs), runs[0][1], name) for name, runs in kinds.items()),
                  reverse=True)
    print(f"{args.jobs} job(s), medians of {args.runs} clean builds with {code}:")
    for seconds, files, name in rows:
        if seconds >= 0.001:
            print(f"  {seconds:7.3f} s  {files:5} files  {1000 * seconds / files:7.2f} ms each  {name}")
    print(f"  files made: {sum(seconds for seconds, _, _ in rows):.3f} s of the build's "
          f"{statistics.median(totals):.3f} s of CPU (imports, catalogs and the link check included)")


if __name__ == "__main__":
    main()

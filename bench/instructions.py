"""Count the instructions of a clean build with valgrind: the CPU work of every process, the
same from one run to the next (this machine's speed changes by half from hour to hour;
this count does not).

    python bench/instructions.py ROOT [--jobs N] [--only CITY ...] [--code CHECKOUT]

ROOT is a project folder; it is copied to a temporary folder (without ``.ici-cache/``, and
with only the cities named) and built there into a new output folder, under ``valgrind
--tool=callgrind --trace-children=yes`` with ``PYTHONHASHSEED=0``. CHECKOUT is the ici_site
checkout to build with (default: this one), to compare two in turn. A forked worker's count
starts where its parent's was: a child that ends at once is forked at each stage's start,
and its count is taken from the stage's workers. Printed: the total, the main process's
share and each worker's, in billions (G). About 50 times slower than a build: use a city
or two of the peers' medium project.
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

HERE = Path(__file__).resolve().parent.parent

DRIVER = """
import os, sys
sys.path.insert(0, {code!r})
import ici_site.build.speed as speed
import ici_site.build.workers as workers
run = workers.run

def marked(*args, **kwargs):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    with open({stages!r}, "a") as f:
        f.write(f"{{pid}}\\n")
    return run(*args, **kwargs)

workers.run = speed.run = marked
from pathlib import Path
from ici_site.build import build
build(Path({root!r}), Path({out!r}), jobs={jobs})
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=[], help="the cities to keep (default: all)")
    parser.add_argument("--code", type=Path, default=HERE)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    compiled(args.code.resolve())
    with tempfile.TemporaryDirectory(prefix="ici-instructions-") as tmp:
        work = Path(tmp)
        root = work / "project"
        shutil.copytree(args.root, root, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
        if args.only:
            for folder in (root / "content").iterdir():
                if folder.is_dir() and folder.name not in args.only:
                    shutil.rmtree(folder)
            # A network names its cities: with some left out it would not build.
            (root / "content" / "network.yaml").unlink(missing_ok=True)
        stages = work / "stages"
        driver = work / "driver.py"
        driver.write_text(DRIVER.format(code=str(args.code.resolve()), stages=str(stages), root=str(root),
                                        out=str(work / "out"), jobs=args.jobs))
        env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1795132800")}
        done = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                               f"--callgrind-out-file={work}/callgrind.%p", sys.executable, str(driver)],
                              check=False, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            sys.exit("the build under valgrind failed:\n" + "\n".join(done.stderr.splitlines()[-15:]))
        counts = {int(path.name.split(".")[1]): callgrind_total(path) for path in work.glob("callgrind.*")}
        markers = {int(line) for line in stages.read_text().split()} if stages.exists() else set()
    parent = min(counts)
    own = {parent: counts[parent]}
    for pid in sorted(counts):
        if pid != parent and pid not in markers:
            own[pid] = counts[pid] - max((counts[m] for m in markers if m < pid), default=0)
    workers = " ".join(f"{own[pid] / 1e9:.2f}" for pid in sorted(own) if pid != parent)
    print(f"{sum(own.values()) / 1e9:.3f} G instructions (main process {own[parent] / 1e9:.3f} G; "
          f"workers {workers or 'none'}) with {args.code}")


def callgrind_total(path: Path) -> int:
    """The instructions a callgrind output file counted."""
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"{path}: no total (valgrind failed?)")


if __name__ == "__main__":
    main()

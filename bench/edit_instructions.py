"""Count the instructions of edits built as ``serve`` builds them, with valgrind: an edit's CPU
work, the same from one run to the next (this machine's speed changes by a third within an
hour: wall times of two checkouts measured one after the other cannot be compared).

    python bench/edit_instructions.py ROOT [--edits N] [--code CHECKOUT]

ROOT is a project folder; it is copied to a temporary folder (without ``.ici-cache/``). One
process, under ``valgrind --tool=callgrind --instr-atstart=no`` with ``ICI_JOBS=1`` (no worker
is forked) and ``PYTHONHASHSEED=0``, builds it with the ici_site of CHECKOUT (default: this
one), a ``State`` of its own and the garbage collector's thresholds ``serve`` sets, warms up
as ``serve`` does, and makes one edit (what a server keeps from an edit is made then);
counting starts after it (``callgrind_control -i on``), for N edits of the first service of the first city (one sentence more each time, as
``bench/run.py`` edits), each shown (``edited_pages``) and then built. Printed: the
instructions per edit, in billions (G). The first build runs uninstrumented but under
valgrind: about 5 times slower than without it (a large project: minutes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compiled  # bench/ is not a package: found through sys.path
from instructions import callgrind_total

HERE = Path(__file__).resolve().parent.parent
# The part of a driver that makes the process ``serve`` would be (also bench/edit_wall.py's): the
# ici_site of {code}, serve's collector thresholds, a State of its own; the project {root} built
# into {out} and warmed up. ``service`` is the one its edits change (the first of the first city).
SERVED = """
import gc, sys
sys.path.insert(0, {code!r})
sys.path.insert(0, {bench!r})
from pathlib import Path
from run import edit
from ici_site.build import build, build_date
from ici_site.build.edited import edited_pages, warm_up
from ici_site.build import state as states
from ici_site.build.state import State
gc.set_threshold(*getattr(states, "SERVING_GC_THRESHOLD", gc.get_threshold()))  # as serve sets it (if it does)
root, out = Path({root!r}), Path({out!r})
city = sorted(p for p in (root / "content").iterdir() if p.is_dir())[0]
service = sorted((city / "services").glob("*.md"))[0]
changed = {{service.relative_to(root).as_posix()}}
state = State()
build(root, out, warm=True, state=state)
warm_up(root, out, state, build_date())
"""
DRIVER = SERVED + """
import time
go = Path({go!r})

def one(number):
    edit(service, number)
    edited_pages(root, out, state, changed, build_date())
    build(root, out, warm=True, state=state)

one(0)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.2)
for number in range({edits}):
    one(number + 1)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--code", type=Path, default=HERE)
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (apt-get install valgrind)")
    compiled(args.code.resolve())
    with tempfile.TemporaryDirectory(prefix="ici-edit-instructions-") as tmp:
        work = Path(tmp)
        root = work / "project"
        shutil.copytree(args.root, root, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
        driver = work / "driver.py"
        driver.write_text(DRIVER.format(code=str(args.code.resolve()), bench=str(args.code.resolve() / "bench"),
                                        root=str(root), out=str(work / "out"), go=str(work / "go"), edits=args.edits))
        epoch = (args.root / "source_date_epoch.txt").read_text().strip() \
            if (args.root / "source_date_epoch.txt").is_file() else "1795132800"
        env = {**os.environ, "PYTHONHASHSEED": "0", "ICI_JOBS": "1",
               "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", epoch)}
        with subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                               f"--callgrind-out-file={work}/callgrind.%p", sys.executable, str(driver)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as valgrind:
            assert valgrind.stdout is not None and valgrind.stderr is not None
            if valgrind.stdout.readline() != "ready\n":
                sys.exit("the first build under valgrind failed:\n" + "\n".join(valgrind.stderr.read().splitlines()[-15:]))
            subprocess.run(["callgrind_control", "--instr=on", str(valgrind.pid)], check=True, capture_output=True)
            started = time.monotonic()
            (work / "go").touch()
            valgrind.communicate()
        if valgrind.returncode:
            sys.exit(f"the edits under valgrind failed (exit code {valgrind.returncode})")
        total = sum(callgrind_total(path) for path in work.glob("callgrind.*"))
    print(f"{total / args.edits / 1e9:.3f} G instructions per edit ({args.edits} edits, shown then built, "
          f"{time.monotonic() - started:.0f} s under valgrind) with {args.code}")


if __name__ == "__main__":
    main()

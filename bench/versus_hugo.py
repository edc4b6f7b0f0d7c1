"""ici_site against Hugo, clean builds in turn: the ratio a changing host cannot bias.

    python bench/versus_hugo.py SIZE_FOLDER [--pairs 5] [--hugo HUGO]

SIZE_FOLDER is a size's work folder of the peers' benchmark (``../shared/bench-peers``:
``$PEERS_WORK/medium`` after ``run_peers.sh medium``), whose ``src/ici`` and ``src/hugo``
hold the same logical site. The peers' script times one generator's runs, then the
other's: when the host's speed changes in between (by a third within the hour here), the
ratio moves with it. This script alternates them (ici, Hugo, Hugo, ici, …), each a clean
build into a new folder as the peers' script makes it (ici_site without its cache, at the
build day of ``source_date_epoch.txt``), and gives the median of the pairs' ratios, with
user and system time apart. Nothing is deleted until every build is done: on this
machine's file system a deletion slows the files made in the next minutes
(docs/performance.md). ici_site is this checkout; HUGO defaults to the binary of the
peers' venv (``$PEERS_VENV``, default ``/tmp/peers-venv``).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compiled  # bench/ is not a package: found through sys.path

HERE = Path(__file__).resolve().parent.parent
ICI = "import sys; from ici_site.cli import run; sys.argv[0] = 'ici-site'; run()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a size's work folder of the peers' benchmark")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--hugo", type=Path, default=None)
    args = parser.parse_args()
    ici_src, hugo_src = args.folder / "src" / "ici", args.folder / "src" / "hugo"
    hugo = args.hugo or _peers_hugo()
    if not (ici_src / "content").is_dir() or not hugo_src.is_dir():
        sys.exit(f"{args.folder}: no src/ici and src/hugo (run the peers' run_peers.sh for this size first)")
    epoch = (ici_src / "source_date_epoch.txt").read_text().strip()
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": str(HERE)}
    compiled(HERE)
    rows: dict[str, list[tuple[float, float, float]]] = {"ici": [], "hugo": []}
    scratch = Path(tempfile.mkdtemp(prefix="versus-", dir=args.folder))
    try:
        for pair in range(args.pairs):
            for name in ("ici", "hugo") if pair % 2 == 0 else ("hugo", "ici"):
                out = scratch / f"{name}-{pair}"
                if name == "ici":
                    if (ici_src / ".ici-cache").exists():  # a clean build: its cache renamed away
                        (ici_src / ".ici-cache").rename(scratch / f"cache-{pair}")
                    command = [sys.executable, "-c", ICI, "--root", str(ici_src), "build", "--out", str(out)]
                else:
                    command = [str(hugo), "--quiet", "--source", str(hugo_src), "--destination", str(out)]
                rows[name].append(_timed(command, env))
            ici, hugo_run = rows["ici"][-1], rows["hugo"][-1]
            print(f"pair {pair + 1}: ici {ici[0]:.2f} s, Hugo {hugo_run[0]:.2f} s, ratio {ici[0] / hugo_run[0]:.2f}",
                  file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ratios = [i[0] / h[0] for i, h in zip(rows["ici"], rows["hugo"], strict=True)]
    for name, runs in rows.items():
        wall, user, system = (statistics.median(r[k] for r in runs) for k in range(3))
        print(f"{name:4s} wall {wall:.2f} s, user {user:.2f} s, system {system:.2f} s (medians of {len(runs)})")
    print(f"ici/Hugo: median of the pairs' ratios {statistics.median(ratios):.2f} "
          f"(from {min(ratios):.2f} to {max(ratios):.2f})")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall, user, system) seconds of one whole process, with the workers it waited for."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # Linux: the child's usage and its reaped children's
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            sys.exit(f"{command[0]} failed:\n{err.read()[-2000:]}")
    return wall, usage.ru_utime, usage.ru_stime


def _peers_hugo() -> Path:
    venv = os.environ.get("PEERS_VENV", "/tmp/peers-venv")
    found = glob.glob(f"{venv}/lib/python3*/site-packages/hugo/binaries/hugo")
    if not found:
        sys.exit(f"no Hugo in {venv} (run the peers' setup.sh, or give --hugo)")
    return Path(found[0])


if __name__ == "__main__":
    main()

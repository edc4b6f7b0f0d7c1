"""Two ici_site checkouts, clean builds of one project in turn: which is faster on a host
whose speed changes by a third within minutes.

    python bench/in_turn.py ROOT OLD NEW [--pairs 5] [--jobs N] [--tmp FOLDER]

ROOT is a project folder; OLD and NEW are checkouts of ici_site. Each build is a clean one, in
a fresh process, of a copy of ROOT (without ``.ici-cache/``) made for that checkout: the
copy's ``templates/`` are the checkout's own when ROOT's are one of the two checkouts'
(a template changed with the code, as ``base.html`` did in the fifteenth session), else
ROOT's. The builds alternate (old, new, new, old, …) into new folders under FOLDER (default
``/dev/shm``: tmpfs, where creating files costs the same whatever was deleted before, see
docs/performance.md), and nothing is deleted until the end. Printed: each pair, each side's
medians (wall, user, system) and the median of the pairs' differences in wall time.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bytecode import compiled  # bench/ is not a package: found through sys.path
from versus_hugo import ICI, _timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="ICI_JOBS (default: one worker per core)")
    parser.add_argument("--tmp", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    checkouts = {"old": args.old.resolve(), "new": args.new.resolve()}
    for code in checkouts.values():
        if not (code / "ici_site" / "__init__.py").is_file():
            sys.exit(f"{code}: not an ici_site checkout")
        compiled(code)
    scratch = Path(tempfile.mkdtemp(prefix="in-turn-", dir=args.tmp))
    rows: dict[str, list[tuple[float, float, float]]] = {"old": [], "new": []}
    try:
        roots = {name: _copy(args.root, code, scratch / f"src-{name}", checkouts) for name, code in checkouts.items()}
        epoch = args.root / "source_date_epoch.txt"
        common = {**os.environ, **({"SOURCE_DATE_EPOCH": epoch.read_text().strip()} if epoch.is_file() else {}),
                  **({"ICI_JOBS": str(args.jobs)} if args.jobs else {})}
        envs = {name: {**common, "PYTHONPATH": str(code)} for name, code in checkouts.items()}
        for pair in range(args.pairs):
            for name in ("old", "new") if pair % 2 == 0 else ("new", "old"):
                env = envs[name]
                cache = roots[name] / ".ici-cache"
                if cache.exists():  # a clean build: the last one's cache moved away
                    cache.rename(scratch / f"cache-{name}-{pair}")
                out = scratch / f"out-{name}-{pair}"
                rows[name].append(_timed([sys.executable, "-c", ICI, "--root", str(roots[name]), "build",
                                          "--out", str(out)], env))
            print(f"pair {pair + 1}: old {rows['old'][-1][0]:.2f} s, new {rows['new'][-1][0]:.2f} s",
                  file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for name, runs in rows.items():
        wall, user, system = (statistics.median(r[k] for r in runs) for k in range(3))
        print(f"{name} wall {wall:.2f} s, user {user:.2f} s, system {system:.2f} s (medians of {len(runs)}, "
              f"{checkouts[name]})")
    differences = [new[0] - old[0] for old, new in zip(rows["old"], rows["new"], strict=True)]
    print(f"new - old: median of the pairs' differences {statistics.median(differences):+.2f} s "
          f"(from {min(differences):+.2f} to {max(differences):+.2f})")


def _copy(root: Path, code: Path, target: Path, checkouts: dict[str, Path]) -> Path:
    """A copy of ``root`` without its cache and output, with ``code``'s templates when
    ``root``'s are one of the checkouts' own."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".ici-cache", "_site"))
    if any(_same_tree(root / "templates", other / "templates") for other in checkouts.values()):
        shutil.rmtree(target / "templates")
        shutil.copytree(code / "templates", target / "templates")
    return target


def _same_tree(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    if not a.is_dir() or not b.is_dir():
        return False
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(a / sub, b / sub) for sub in compared.common_dirs)


if __name__ == "__main__":
    main()

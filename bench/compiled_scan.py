"""What compiled code would give one text pass: the link check's page reading in C, against Python.

    python bench/compiled_scan.py [ROOT] [--runs 5] [--fuzz 300000]

ROOT is a project folder (default: this project's example content). It is built once, in one
process without the speed layer (into a temporary folder, its cache left alone); then every HTML
page of that build is read as the link check reads it, by :class:`ici_site.site.links._Page`
(Python's regular expressions) and by ``bench/compiled_scan.c`` (a C extension compiled here with
the system's ``cc`` against Python's headers, into a temporary folder), RUNS times each way, in
turn. Both must give the same ids and links on every page, and on FUZZ random strings of tags,
quotes, white space and the letters that fold under ``re.IGNORECASE``; the medians are printed.

The C module is a measurement, not part of ici_site: the build does not use it
(docs/performance.md, twenty-ninth session).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from html import unescape
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ici_site.build import build  # after the checkout is on the path
from ici_site.site.links import _Page

# What the random strings are made of: the scan's delimiters, white space of several kinds, the
# linking attributes' names in both cases and with the characters re.IGNORECASE folds into them
PIECES = ["<", ">", '"', " ", "\t", "\n", "\u00a0", "\u2028", "=", "a", "A", "p", "id", "ID", "name", "NAME",
          "href", "src", "\u017frc", "\u0130d", "\u0131d", "x", "1", "&amp;", "&lt;", "é", "ب", "\U0001f600"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fuzz", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ici-scan-") as tmp:
        scan = compiled(Path(tmp))
        os.environ["ICI_SPEED"] = "off"  # nothing read from or written to the project's .ici-cache
        build(args.root.resolve(), Path(tmp) / "site", jobs=1)
        pages = [path.read_text(encoding="utf-8") for path in sorted((Path(tmp) / "site").rglob("*.html"))]

    def in_c(html: str) -> tuple[set[str], list[str]]:
        ids, links = scan.scan(html)
        return {unescape(value) for value in ids}, [unescape(value).strip() for value in links]

    def in_python(html: str) -> tuple[set[str], list[str]]:
        page = _Page(html)
        return page.ids, page.links

    for html in pages:
        if in_c(html) != in_python(html):
            sys.exit("the C scan differs from _Page on a page of the build")
    rng = random.Random(29)
    for _ in range(args.fuzz):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(40)))
        if in_c(text) != in_python(text):
            sys.exit(f"the C scan differs from _Page on {text!r}")
    times: dict[str, list[float]] = {"Python": [], "C": []}
    for _ in range(args.runs):
        for name, read in (("Python", in_python), ("C", in_c)):
            start = time.perf_counter()
            for html in pages:
                read(html)
            times[name].append(time.perf_counter() - start)
    size = sum(map(len, pages))
    print(f"{len(pages)} pages ({size / 1e6:.1f} M characters), the same ids and links both ways "
          f"(and on {args.fuzz:,} random strings); medians of {args.runs}:")
    python, c = statistics.median(times["Python"]), statistics.median(times["C"])
    print(f"  Python (_Page) {python:.3f} s, C {c:.3f} s: {python / c:.1f} times faster")


def compiled(folder: Path) -> ModuleType:
    """``bench/compiled_scan.c`` built with the system's C compiler, imported."""
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        sys.exit("no C compiler (apt-get install gcc)")
    target = folder / f"compiled_scan{sysconfig.get_config_var('EXT_SUFFIX')}"
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", f"-I{sysconfig.get_paths()['include']}",
                    str(Path(__file__).with_name("compiled_scan.c")), "-o", str(target)], check=True)
    spec = importlib.util.spec_from_file_location("compiled_scan", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()

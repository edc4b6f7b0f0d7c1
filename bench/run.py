"""The build benchmark: medians of N runs on a synthetic project of a given size.

    python bench/run.py --size large [--runs 5] [--keep]

The project comes from ``bench/generate.py`` (seeded, so every run of the
benchmark builds the same files) and is generated once into
``bench/.projects/<size>-<seed>/`` (git-ignored). Each run measures:

clean        ``build`` in a fresh process, no previous output and no cache
no-op        the same command again, nothing changed
edit (cli)   one service's text edited, then the same command
edit (serve) edits made inside one process, as ``serve`` does (its first build, then
             its warm-up, which it runs in the background): the time from
             the edit to its pages shown (rendered first, served from memory:
             ``ici_site.build.edited``) and to the whole output written, for the
             first edit after the process's own first build and (median) for the
             three edits after it; then a translator's edit in the same process (one
             string of one of the city's catalogs, the first by language code),
             median of three

plus pages per second of the clean build and the peak memory of a clean
build: the largest single process (``ru_maxrss``, what ``/usr/bin/time -v``
reports) and the sum of the proportional set sizes (PSS) of the build and its
worker processes, sampled every 20 ms in a clean build of its own (sampling
slows a build down, so the timed one is not sampled). Not a test: run it by
hand and quote its medians.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from generate import SEED, SIZES, generate

BUILD_DAY = "1795132800"  # SOURCE_DATE_EPOCH of 2026-11-20, as in the tests
EDITED = "services/service-007.md"


def project(size: str, seed: int) -> Path:
    """The generated project of ``size``, made once and reused."""
    inputs = hashlib.blake2b(digest_size=6)  # regenerate when the generator or templates change
    sources = [BENCH / "generate.py", *(REPO / "templates").rglob("*"), *(REPO / "locales").glob("*/*/messages.po")]
    for path in sorted(sources):
        if path.is_file():
            inputs.update(path.read_bytes())
    root = BENCH / ".projects" / f"{size}-{seed}-{inputs.hexdigest()}"
    if not (root / "content").exists():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating the {size} project into {root} …", file=sys.stderr, flush=True)
        generate(root, SIZES[size], seed)
    return root


def _children(pid: int) -> list[int]:
    """``pid`` and every process descended from it (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Run:
    """One build command in a fresh process: wall time and peak memory."""

    def __init__(self, root: Path, out: Path, sample: bool = False) -> None:
        """Time the build; with ``sample``, also sample its memory (which slows it down:
        reading the PSS of large processes every 20 ms costs the kernel real time)."""
        env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY}
        command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--out", str(out)]
        self.peak_pss = 0
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        done = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(process.pid, done))
        if sample:
            sampler.start()
        out_text, err_text = process.communicate()
        self.seconds = time.perf_counter() - start
        done.set()
        if sample:
            sampler.join()
        if process.returncode != 0:
            sys.exit(f"build failed ({process.returncode}):\n{err_text.decode()}")
        self.summary = out_text.decode().strip().splitlines()[-1]

    def _sample(self, pid: int, done: threading.Event) -> None:
        while not done.wait(0.02):
            total = sum(_pss_kib(p) for p in _children(pid))
            self.peak_pss = max(self.peak_pss, total)


def edit(path: Path, run: int) -> None:
    """Change one sentence of a service: a new message every time."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n## ")  # a body without a heading gets the sentence at its end
    path.write_text(head.rstrip("\n") + f" Edit number {run}.\n\n{sep.lstrip()}{rest}", encoding="utf-8")


@dataclass(frozen=True)
class Edits:
    """Seconds from an edit in `serve` to its pages shown, and to the whole output written."""

    first_shown: float  # the first edit after the process's own first build
    first_written: float
    shown: float  # the median of the three edits after it
    written: float
    catalog: float  # then a translator's edit of one string, the median of three


def serve_edit_seconds(root: Path, out: Path, service: Path, run: int) -> Edits:
    """Edit-to-page and edit-to-output times inside one fresh process, as `serve` makes them."""
    command = [sys.executable, __file__, "--serve-edits", str(root), str(out), str(service), str(run)]
    done = subprocess.run(command, env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY},
                          capture_output=True, text=True, check=True)
    return Edits(*map(float, done.stdout.split()))


def _serve_edits(root: Path, out: Path, service: Path, run: int) -> None:
    """The process `serve_edit_seconds` starts: prints the four times of :class:`Edits`."""
    from ici_site.build import build, build_date
    from ici_site.build.edited import edited_pages, warm_up
    from ici_site.build.state import SERVING_GC_THRESHOLD, State

    state = State()  # as serve keeps one for its process
    gc.set_threshold(*SERVING_GC_THRESHOLD)  # as serve sets it
    build(root, out, warm=True, state=state)  # the server's first build (here a no-op: the output is current)
    warm_up(root, out, state, build_date())  # serve's, in the background after its first build
    shown, written = [], []
    changed = {service.relative_to(root).as_posix()}
    for number in range(4):
        edit(service, run * 10 + number)
        start = time.perf_counter()
        pages = edited_pages(root, out, state, changed, build_date())  # what serve shows first
        shown.append(time.perf_counter() - start)
        in_thread(lambda: build(root, out, warm=True, state=state))  # then the whole build, in a thread as serve runs it
        written.append(time.perf_counter() - start)
        assert pages and all((out / path).read_bytes() == data for path, data in pages.items())
    city = service.parent.parent.name
    catalog = min(root.glob(f"locales/*/LC_MESSAGES/{city}.po"))  # the first by language code
    translated = []
    for number in range(3):
        edit_catalog(catalog, run * 10 + number)
        start = time.perf_counter()
        build(root, out, warm=True, state=state)
        translated.append(time.perf_counter() - start)
    print(shown[0], written[0], statistics.median(shown[1:]), statistics.median(written[1:]),
          statistics.median(translated))


def in_thread(func: Callable[[], object]) -> None:
    """Run ``func`` in a thread of its own and wait for it, as ``serve`` builds an edit
    (where no worker is forked: :func:`ici_site.build.workers.can_fork`)."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            func()
        except BaseException as exc:  # noqa: BLE001  # raised again in the caller
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def edit_catalog(path: Path, run: int) -> None:
    """Change one translation of a catalog (the first after its header): a translator's save."""
    text = path.read_text(encoding="utf-8")
    at = text.index('\nmsgstr "', text.index("\n\n")) + len('\nmsgstr "')  # the header ends at a blank line
    path.write_text(f"{text[:at]}({run}) {text[at:]}", encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--serve-edits"]:
        root, out, service, run = sys.argv[2:6]
        _serve_edits(Path(root), Path(out), Path(service), int(run))
        return
    parser = argparse.ArgumentParser(description="Benchmark clean, no-op and one-edit builds.")
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    source = project(args.size, args.seed)
    # Nothing is deleted until every run is done: on a file system without a journal (ext4 here),
    # each file made within minutes of a deletion first steps over every inode just freed, and a
    # clean build timed after one is slower by up to a third (docs/performance.md, seventh session).
    works = [BENCH / ".projects" / f"run-{args.size}-{run}" for run in range(args.runs)]
    for work in works:
        shutil.rmtree(work, ignore_errors=True)
    rows: dict[str, list[float]] = {k: [] for k in ("clean", "noop", "edit_cli", "first_shown", "first_written",
                                                    "shown", "written", "catalog", "pss", "rss")}
    pages = 0
    for run, work in enumerate(works):
        shutil.copytree(source, work, symlinks=True)
        out = work / "_site"
        sampled = Run(work, work / "_sampled", sample=True)  # memory: a clean build of its own
        rows["pss"].append(sampled.peak_pss / 1024)
        (work / ".ici-cache").rename(work / ".ici-cache-sampled")  # the timed build starts without it
        before = _max_rss_children()
        clean = Run(work, out)  # time: a clean build nobody watches
        rows["rss"].append(max(_max_rss_children(), before) / 1024)
        rows["clean"].append(clean.seconds)
        pages = sum(1 for _ in out.rglob("*.html"))
        rows["noop"].append(Run(work, out).seconds)
        city = min((work / "content").iterdir())
        edit(city / EDITED, run)
        rows["edit_cli"].append(Run(work, out).seconds)
        edits = serve_edit_seconds(work, out, city / EDITED, run + 1000)
        for name in ("first_shown", "first_written", "shown", "written", "catalog"):
            rows[name].append(getattr(edits, name))
        print(f"run {run + 1}: clean {clean.seconds:.2f} s, no-op {rows['noop'][-1]:.2f} s, "
              f"edit {rows['edit_cli'][-1]:.2f} s (serve: shown {edits.shown * 1000:.0f} ms, "
              f"written {edits.written * 1000:.0f} ms), "
              f"peak PSS {sampled.peak_pss / 1024:.0f} MB", file=sys.stderr, flush=True)
    for work in works:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in rows.items()}
    size = SIZES[args.size]
    print(f"{args.size} ({size.cities} cities × {size.services} services × {size.languages} languages, "
          f"{pages} pages), medians of {args.runs} runs on {os.cpu_count()} cores:")
    print(f"  clean build           {med['clean']:7.2f} s   ({pages / med['clean']:.0f} pages/s)")
    print(f"  no-op rebuild         {med['noop']:7.2f} s")
    print(f"  one-service edit      {med['edit_cli']:7.2f} s   (cli, fresh process)")
    print(f"  one-service edit      {med['first_shown'] * 1000:7.0f} ms  shown, {med['first_written'] * 1000:.0f} ms "
          "written (serve: first edit after start)")
    print(f"  one-service edit      {med['shown'] * 1000:7.0f} ms  shown, {med['written'] * 1000:.0f} ms "
          "written (serve: the edits after it)")
    print(f"  one-string translation  {med['catalog'] * 1000:5.0f} ms  written (serve)")
    print(f"  peak memory, clean    {med['pss']:7.0f} MB  (PSS of all build processes)"
          f"; largest process {max(rows['rss']):.0f} MB RSS")


def _max_rss_children() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


if __name__ == "__main__":
    main()

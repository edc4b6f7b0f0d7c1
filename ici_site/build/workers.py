"""Run independent pieces of a build on every core, or in this process.

Workers are forked for one stage, with what that stage shares (its *context*): they
inherit it without pickling (the loaded site, the catalogs), and only small task
descriptions go to them. ``func(context, task)`` runs in a worker; results come back
in task order, so the output does not depend on which worker finished first. Errors
a user can fix (:class:`IciError`) are sent back as values and raised again here,
with all their problems. No module-level variable carries the context: each worker
gets it as an argument of its own loop.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import traceback
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from ici_site.build.settings import can_fork
from ici_site.errors import ContentError, IciError

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")


class WorkerError(RuntimeError):
    """A bug in a worker (not a user's mistake): its traceback, shown as the parent's."""


def _loop(func: Callable[[Any, Any], Any], context: Any, inboxes: list[Any], mine: int, results: Any) -> None:
    """A worker: ``func(context, task)`` for each (index, task) of its own inbox until None
    arrives, or until the parent is gone (its end of the pipes closes: this worker then ends too)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    for number, inbox in enumerate(inboxes):  # only the parent writes tasks and reads results
        inbox._writer.close()  # (a writer left open here would hide the parent's end from the others)
        if number != mine:
            inbox._reader.close()
    results._reader.close()
    tasks = inboxes[mine]
    try:
        while (item := tasks.get()) is not None:
            index, task = item
            try:
                results.put((index, "ok", func(context, task)))
            except IciError as exc:  # exceptions with custom __init__ do not survive pickling
                results.put((index, "problems", list(exc.problems)))
            except OSError as exc:  # raised again in the parent (a full disk is the user's to fix)
                results.put((index, "error", exc))
            except Exception:  # noqa: BLE001  # a bug: its traceback, raised in the parent
                results.put((index, "bug", traceback.format_exc()))
    except (EOFError, BrokenPipeError):  # the parent ended (killed): so does this worker
        pass


def run(func: Callable[[C, T], R], context: C, tasks: Iterable[T], jobs: int,
        done: Callable[[R], None] | None = None, meanwhile: Iterable[Callable[[], object]] = (),
        group: Callable[[T], Hashable] = lambda task: None) -> list[R]:
    """``[func(context, t) for t in tasks]``, on ``jobs`` forked workers when there are
    two tasks or more (and fork exists), else in this process.

    ``meanwhile``: short steps this process takes while workers run the tasks (work a later
    stage would otherwise do first, alone); without workers they are left to that stage.
    ``group``: tasks of one group go to one worker where they can (what it made for one
    serves the next: a city's texts, counted once).
    """
    tasks = list(tasks)
    if jobs < 2 or len(tasks) < 2 or not can_fork():
        results = []
        for task in tasks:
            results.append(func(context, task))
            if done:
                done(results[-1])
        return results
    fork = multiprocessing.get_context("fork")
    count = min(jobs, len(tasks))
    inboxes, outbox = [fork.SimpleQueue() for _ in range(count)], fork.SimpleQueue()
    # Frozen, the objects loaded so far are never visited by a child's garbage collector,
    # so their pages stay shared instead of being copied into each child.
    gc.freeze()
    try:
        workers = [fork.Process(target=_loop, args=(func, context, inboxes, mine, outbox), daemon=True)
                   for mine in range(count)]
        for worker in workers:
            worker.start()
    finally:
        gc.unfreeze()
    try:
        return _collect(_Dispatch(inboxes, tasks, [group(task) for task in tasks]), outbox, workers, done,
                        iter(meanwhile))
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for inbox in inboxes:
            inbox.close()
        outbox.close()


class _Dispatch:
    """Which worker runs which task: each asks for its next; it gets the first task left of a
    group it has run, else of a group no worker has started, else the first task left."""

    def __init__(self, inboxes: list[Any], tasks: list[Any], groups: list[Hashable]) -> None:
        self.inboxes, self.tasks, self.groups = inboxes, tasks, groups
        self.left = list(range(len(tasks)))  # in task order
        self.owner: dict[int, int] = {}  # task index -> worker
        self.held: list[set[Hashable]] = [set() for _ in inboxes]
        self.started: set[Hashable] = set()
        self.ended: set[int] = set()  # workers told there is nothing left

    def send(self, worker: int) -> None:
        """Give ``worker`` its next task (or None: nothing left, it ends)."""
        if not self.left:
            if worker not in self.ended:
                self.ended.add(worker)
                self.inboxes[worker].put(None)
            return
        held, groups = self.held[worker], self.groups
        index = next((i for i in self.left if groups[i] in held), None)
        if index is None:
            index = next((i for i in self.left if groups[i] not in self.started), self.left[0])
        self.left.remove(index)
        self.owner[index] = worker
        held.add(groups[index])
        self.started.add(groups[index])
        self.inboxes[worker].put((index, self.tasks[index]))


def _collect(dispatch: _Dispatch, outbox: Any, workers: list[Any], done: Callable[[Any], None] | None,
             steps: Iterator[Callable[[], object]]) -> list[Any]:
    """Hand out the tasks (two per worker ahead) and gather the results in task order;
    ``done`` is told as they arrive in that order; ``steps`` are taken one at a time while
    no result waits. The first failure in task order is raised (for a user's mistakes:
    every failed task's problems)."""
    count = len(dispatch.tasks)
    for _ in range(2):
        for worker in range(len(workers)):
            dispatch.send(worker)
    found: dict[int, tuple[str, Any]] = {}
    reported = 0
    step: Callable[[], object] | None = next(steps, None)
    for _ in range(count):
        while not _ready(outbox, 0.0 if step else 0.05):
            if step:
                _take(step)
                step = next(steps, None)
            elif not any(w.is_alive() for w in workers) and not _ready(outbox, 0.05):
                raise WorkerError(f"a worker process ended unexpectedly (exit code {workers[0].exitcode})")
        index, kind, value = outbox.get()
        found[index] = (kind, value)
        dispatch.send(dispatch.owner[index])
        while reported in found and found[reported][0] == "ok":
            if done:
                done(found[reported][1])
            reported += 1
    failed = [found[i] for i in range(count) if found[i][0] != "ok"]
    problems = [p for kind, value in failed if kind == "problems" for p in value]
    if failed and failed[0][0] == "error":
        raise failed[0][1]
    if failed and failed[0][0] == "bug":
        raise WorkerError(failed[0][1])
    if problems:
        raise ContentError(problems)
    return [found[i][1] for i in range(count)]


def _take(step: Callable[[], object]) -> None:
    """One step taken ahead of its stage. It is only a head start: what fails in it fails
    again in the stage that needs it, which reports it where it belongs."""
    try:
        step()
    except Exception:  # noqa: BLE001, S110  # see above
        pass


def _ready(queue: Any, wait: float) -> bool:
    """Whether a result is waiting (after at most ``wait`` seconds: short, so a dead worker is noticed)."""
    return bool(queue._reader.poll(wait))  # SimpleQueue's pipe: no public wait with a timeout

"""Run independent pieces of a build on every core, or in this process.

Workers are forked after the site is loaded, so they share the loaded model
without pickling it; only small task descriptions go to them and the rendered
bytes come back. Results come back in task order, so the output does not depend
on which worker finished first. Errors a user can fix (:class:`IciError`) are
sent back as values and raised again here, with all their problems.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import Any, Self, TypeVar

from .errors import ContentError, IciError

T = TypeVar("T")
R = TypeVar("R")

_FAILED = "ici_site.workers.failed"


def default_jobs() -> int:
    """One worker per core (the ICI_JOBS variable overrides it; 1 = no workers)."""
    env = os.environ.get("ICI_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Workers are forked; where fork is unavailable the build runs in one process."""
    return "fork" in multiprocessing.get_all_start_methods()


def _call(args: tuple[Callable[[Any], Any], Any]) -> Any:
    func, task = args
    try:
        return func(task)
    except IciError as exc:  # exceptions with custom __init__ do not survive pickling
        return (_FAILED, list(exc.problems))


class Workers:
    """A pool of forked processes, or none: ``map`` works the same either way."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs if can_fork() else 1
        self._pool: Any = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate() if exc[0] else self._pool.close()
            self._pool.join()

    def map(self, func: Callable[[T], R], tasks: Iterable[T], parallel: bool = True,
            done: Callable[[R], None] | None = None) -> list[R]:
        """``[func(t) for t in tasks]``, spread over the workers when ``parallel``."""
        tasks = list(tasks)
        if not parallel or self.jobs < 2 or len(tasks) < 2:
            results = []
            for task in tasks:
                results.append(func(task))
                if done:
                    done(results[-1])
            return results
        if self._pool is None:  # forked now: the children see everything loaded so far
            # Frozen, the objects loaded so far are never visited by a child's garbage
            # collector, so their pages stay shared instead of being copied into each child.
            gc.freeze()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(self.jobs)
            finally:
                gc.unfreeze()
        results = []
        for result in self._pool.imap(_call, [(func, t) for t in tasks]):
            if isinstance(result, tuple) and len(result) == 2 and result[0] == _FAILED:
                raise ContentError(result[1])
            results.append(result)
            if done:
                done(result)
        return results

    def restart(self) -> None:
        """Fork fresh workers at the next ``map`` (after the parent learnt something they need)."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


"""What the environment and the platform say of a build, read without importing the build (:mod:`~ici_site.build.ahead`
reads it before the command line's imports)."""

from __future__ import annotations

import os
import threading


def default_jobs() -> int:
    """One worker per core (the ICI_JOBS variable overrides it; 1 = no workers)."""
    env = os.environ.get("ICI_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fast_by_default() -> bool:
    """Whether builds use the speed layer: yes, unless ICI_SPEED is "off"."""
    return os.environ.get("ICI_SPEED", "").strip().lower() not in ("off", "0", "no", "false")


def can_fork() -> bool:
    """Workers are forked; where fork is unavailable the build runs in one process, and so
    does a build in a thread other than the main one (``serve`` builds an edit in a thread
    while it serves): the child of a fork has only the forking thread, and a lock another
    thread held at that moment (printing, importing) would stay held in it for ever."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()

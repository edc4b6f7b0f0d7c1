"""What the environment says of a build, read without importing the build (:mod:`~ici_site.build.ahead`
reads it before the command line's imports)."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """One worker per core (the ICI_JOBS variable overrides it; 1 = no workers)."""
    env = os.environ.get("ICI_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fast_by_default() -> bool:
    """Whether builds use the speed layer: yes, unless ICI_SPEED is "off"."""
    return os.environ.get("ICI_SPEED", "").strip().lower() not in ("off", "0", "no", "false")

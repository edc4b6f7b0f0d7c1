"""The progress line of a long build: on a terminal only, and only after the first second."""

from __future__ import annotations

import sys
import time
from typing import TextIO

AFTER = 1.0  # seconds: a quick build prints nothing but its summary


class ProgressLine:
    """``progress(done, total)`` for :func:`~ici_site.build.build`, redrawn in place on stderr."""

    def __init__(self, stream: TextIO | None = None, after: float = AFTER) -> None:
        """``stream``: the standard error stream of the moment (not of the import) by default."""
        self.stream, self.after = stream or sys.stderr, after
        self.started = time.monotonic()
        self.enabled = self.stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        if not self.enabled or elapsed < self.after:
            return
        self.stream.write(f"\r\033[Krendering: {done}/{total} city languages, {elapsed:.1f} s")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the line before the summary is printed."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

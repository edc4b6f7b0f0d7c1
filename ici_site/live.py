"""What ``serve`` shows: when to rebuild, an edit's pages before its build ends, the last build's problems.

A burst of saves is built once it has settled. When the saves are edits of documents
(services, pages, notices), their pages are rendered first (:mod:`~ici_site.build.edited`,
a fraction of a second) and shown from memory while the whole build runs in a thread
(:class:`Background`); the browser reloads when they are shown and again when the build
ends. The server's loop keeps answering meanwhile, and never touches the state a build
uses: only one build or rendering runs at a time, and its result is taken in the loop
(:meth:`Preview.tick`). Anything else (a template, a catalog, a city's settings) is
built at once, in the loop.
"""

from __future__ import annotations

import html
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from ici_site.errors import IciError

if TYPE_CHECKING:
    from ici_site.build import Report

Built: TypeAlias = "str | Report"  # a build's summary line, or its report (summary and warnings)
First: TypeAlias = Callable[[set[str]], "dict[str, bytes] | None"]  # changed sources -> their pages, or None
SETTLE = 0.3  # seconds without a new change before rebuilding (editors save in bursts)
T = TypeVar("T")


class Preview:
    """Debounced rebuilds, an edit's pages shown first, and the state of the last build."""

    def __init__(self, builder: Callable[[], Built], settle: float = SETTLE,
                 clock: Callable[[], float] = time.monotonic, first: First | None = None) -> None:
        self.builder, self.settle, self.clock, self.first = builder, settle, clock, first
        self.errors: list[str] = []  # problems of the last build; empty when it succeeded
        self.warnings: list[str] = []  # what the last (successful) build warned about
        self.builds = 0  # how many times what is shown changed: a page served before reloads
        self.shown: dict[str, bytes] = {}  # an edit's pages (path in the output folder) until its build ends
        self._changed_at: float | None = None
        self._changed: set[str | None] = set()  # sources changed since the last build (None: not known)
        self._building: Background[Built | Exception] | None = None  # the build running in a thread
        self._warming: Background[object] | None = None  # reading what edits need, after the first build

    def changed(self, path: str | None = None) -> None:
        """A source changed (``path``: relative to the project, when known): rebuild once
        changes have settled."""
        self._changed_at = self.clock()
        self._changed.add(path)

    def forget(self) -> None:
        """Forget the changes seen so far (the build that just ran has them)."""
        self._changed_at = None
        self._changed = set()

    def tick(self) -> bool:
        """Take the result of the build running in the background once it ends, or start
        building when a burst of changes has settled; True when the browser should reload."""
        if self._warming is not None and not self._warming.done():
            return False  # it uses the state: a change waits for it (once, after the first build)
        if self._building is not None:
            if not self._building.done():
                return False
            outcome, self._building = self._building.outcome, None
            self.builds += 1
            self.shown = {}  # the build wrote them (or failed: the last good build is shown)
            self._record(outcome)
            return True
        if self._changed_at is None or self.clock() - self._changed_at < self.settle:
            return False
        changed = self._changed
        self.forget()
        if self.first is None or None in changed or not self._show_first({p for p in changed if p}):
            self.rebuild()
        return True

    def prepare(self, warm: Callable[[], object]) -> None:
        """Run ``warm`` in the background (after the first build, when it succeeded): it reads
        what an edit's pages need, shows nothing and reloads nothing; its problems are the
        builds' to report."""
        if not self.errors and self.first is not None:
            self._warming = Background(lambda: _outcome(warm))

    def wait(self) -> None:
        """Let the build running in the background end (``serve`` stops: the output folder
        keeps whole builds only); Ctrl-C again stops at once (what that build staged is
        removed by the next one)."""
        if self._building is None or self._building.done():
            return
        print("finishing the build under way (Ctrl-C again to stop now)…", file=sys.stderr, flush=True)
        try:
            self._building.wait()
        except KeyboardInterrupt:
            return
        self._record(self._building.outcome)

    def rebuild(self) -> None:
        """Build now; on a user error keep the previous output and remember the problems.

        An unexpected error (a bug) is shown the same way, in one line: the preview
        keeps running, and ``python build.py`` shows its traceback.
        """
        self.builds += 1
        self._record(_outcome(self.builder))

    def _show_first(self, changed: set[str]) -> bool:
        """Show the pages of an edit of documents and build the rest in the background;
        False when there is nothing to show first."""
        assert self.first is not None
        first = self.first
        started = time.perf_counter()
        outcome = _outcome(lambda: first(changed))
        if not outcome:  # None: not only documents changed; {}: no page shows them (an expired notice)
            return False
        self.builds += 1
        if isinstance(outcome, Exception):  # the build would stop at it too: said at once
            self._record(outcome)
        else:
            self.shown, self.errors = outcome, []
            print(f"showing the edit: {len(outcome)} pages in {time.perf_counter() - started:.2f} s; "
                  "building the rest…", flush=True)
        builder = self.builder
        self._building = Background(lambda: _outcome(builder))
        return True

    def _record(self, outcome: Built | Exception) -> None:
        """Say how a build ended, and keep its problems and warnings for the box."""
        if isinstance(outcome, Exception):
            if isinstance(outcome, IciError):
                self.errors = [str(p) for p in outcome.problems]
            else:  # a bug must not stop the preview
                why = f"{type(outcome).__name__}: {outcome}"
                self.errors = [f"internal error ({why}): run 'python build.py' to see where, and report it"]
            for problem in self.errors:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            print("keeping the last good build", file=sys.stderr, flush=True)
            return
        print(outcome if isinstance(outcome, str) else outcome.summary(), flush=True)
        self.errors = []
        # a translation a page cannot show (it falls back) is a warning of the build:
        # the translator previewing it sees it in the box, not only in a terminal
        self.warnings = [] if isinstance(outcome, str) else [str(w) for w in outcome.warnings]

    def banner(self) -> bytes:
        """The error box shown at the top of every page while the last build failed
        (styled by ``/_preview/preview.css``: the page's policy refuses inline styles)."""
        if self.errors:
            lines, title = self.errors, ("The last build failed; this is the last good build. "
                                         "Fix the file and save it: this page reloads by itself.")
        elif self.warnings:
            lines, title = self.warnings, ("Built, with warnings (a text that cannot be shown falls back "
                                           "to another language). Fix the file and save it.")
        else:
            return b""
        items = "".join(f"<li>{html.escape(e)}</li>" for e in lines)
        return ('<div class="ici-preview-errors" role="alert" lang="en" dir="ltr">'
                f"<strong>{title}</strong><ul>{items}</ul></div>").encode()


class Background(Generic[T]):
    """``make()`` running in a thread of its own, until :meth:`done`.

    A daemon thread: ``serve`` waits for it when it stops (:meth:`Preview.wait`), but a second
    Ctrl-C ends the process at once, and the build with it, as a killed build ends, which the
    writer is made for: the city folders are swapped in whole, the manifest replaced in one
    rename, and what was staged is removed by the next build.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._done = threading.Event()
        self._outcome: list[T] = []
        threading.Thread(target=self._run, args=(make,), name="ici-build", daemon=True).start()

    def _run(self, make: Callable[[], T]) -> None:
        self._outcome.append(make())
        self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> None:
        self._done.wait()

    @property
    def outcome(self) -> T:
        """What ``make`` returned (once :meth:`done`)."""
        return self._outcome[0]


def _outcome(make: Callable[[], T]) -> T | Exception:
    """What ``make`` returned, or what it raised (a user's mistake or a bug: both are shown)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001  # a bug must not stop the preview
        return exc

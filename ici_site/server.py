"""`ici-site serve`: a livereload preview that rebuilds what changed when sources change.

The preview is handed a build function and knows nothing else. It watches the
sources (``content/``, ``templates/``, ``locales/``; never its own output),
waits for a burst of saves to settle, then builds (incrementally: only changed
pages are rendered) and reloads the browser. When a build fails it keeps
serving the last good build and shows the problems (``file:line: …``) at the
top of every page until they are fixed.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import IciError

WATCHED = ("content", "templates", "locales")
SETTLE = 0.3  # seconds without a new change before rebuilding (editors save in bursts)


class Preview:
    """Debounced rebuilds and the state of the last one."""

    def __init__(self, builder: Callable[[], str], settle: float = SETTLE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.builder, self.settle, self.clock = builder, settle, clock
        self.errors: list[str] = []  # problems of the last build; empty when it succeeded
        self.builds = 0
        self._changed_at: float | None = None

    def changed(self) -> None:
        """A source changed: rebuild once changes have settled."""
        self._changed_at = self.clock()

    def tick(self) -> bool:
        """Rebuild if a burst of changes has settled; True when the browser should reload."""
        if self._changed_at is None or self.clock() - self._changed_at < self.settle:
            return False
        self._changed_at = None
        self.rebuild()
        return True

    def rebuild(self) -> None:
        """Build now; on a user error keep the previous output and remember the problems."""
        self.builds += 1
        try:
            print(self.builder(), flush=True)
            self.errors = []
        except IciError as exc:
            self.errors = [str(p) for p in exc.problems]
            for problem in self.errors:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            print("keeping the last good build", file=sys.stderr, flush=True)

    def banner(self) -> bytes:
        """The error box shown at the top of every page while the last build failed."""
        if not self.errors:
            return b""
        items = "".join(f"<li>{html.escape(e)}</li>" for e in self.errors)
        return ('<div role="alert" style="all:initial;display:block;font:16px/1.4 monospace;'
                'background:#fde8e8;color:#7a0000;border:3px solid #b00020;padding:1em;margin:0">'
                f"<strong>The last build failed; this is the last good build.</strong><ul>{items}</ul></div>"
                ).encode()


def site_app(out: Path, preview: Preview) -> Callable[..., Iterable[bytes]]:
    """A WSGI app serving ``out``, with the preview's error box in every HTML page."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = posixpath.normpath(environ.get("PATH_INFO", "/")).lstrip("/")
        target = out / path if path not in ("", ".") else out
        if target.is_dir():
            target = target / "index.html"
        if path.startswith("..") or not target.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found" + (b"\n" + b"\n".join(e.encode() for e in preview.errors) if preview.errors else b"")]
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html" and preview.errors:
            data = data.replace(b"<body>", b"<body>" + preview.banner(), 1)
        start_response("200 OK", [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                                  ("Cache-Control", "no-store")])
        return [data]

    return app


def make_watcher(root: Path, preview: Preview) -> Any:
    """A livereload watcher over the sources that rebuilds only once changes settle."""
    from livereload.watcher import Watcher  # only the preview needs livereload

    class SettlingWatcher(Watcher):  # type: ignore[misc]
        def examine(self) -> tuple[str | None, float | None]:
            for folder in WATCHED:
                if (root / folder).exists():
                    self._task_mtimes = self._tasks.setdefault(
                        str(root / folder), {"mtimes": {}, "func": None, "delay": None, "ignore": None})["mtimes"]
                    if self.is_changed(str(root / folder)):
                        preview.changed()
            return ("rebuilt", None) if preview.tick() else (None, None)

        def start(self, callback: Callable[[], None]) -> bool:
            """Poll every 0.1 s ourselves, and reload after every rebuild (livereload's own
            loop polls every 0.8 s and drops reloads that come within 3 s of each other)."""
            from livereload.handlers import LiveReloadHandler
            from tornado.ioloop import PeriodicCallback

            def poll() -> None:
                if self.examine()[0]:
                    self.filepath = None  # reload every page
                    LiveReloadHandler.reload_waiters()

            PeriodicCallback(poll, 100).start()
            return True

    watcher = SettlingWatcher()
    watcher.examine()  # remember the current files: the first build is done already
    preview._changed_at = None
    return watcher


def serve(root: Path, out: Path, host: str, port: int,
          builder: Callable[[], str] | None = None) -> None:
    """Build once, then serve ``out`` on ``host:port`` and rebuild on every change."""
    from livereload import Server

    from .build import build

    preview = Preview(builder or (lambda: build(root, out, warm=True).summary()))
    preview.rebuild()
    out.mkdir(parents=True, exist_ok=True)
    server = Server(site_app(out, preview), watcher=make_watcher(root, preview))
    server.serve(host=host, port=port, open_url_delay=None)

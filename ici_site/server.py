"""`ici-site serve`: a livereload preview that rebuilds what changed when sources change.

The preview (:class:`~ici_site.live.Preview`) is handed a build function and a
function that renders an edit's pages, and knows nothing else. It watches the
sources (``content/``, ``templates/``, ``locales/``; never its own output),
waits for a burst of saves to settle, then builds (incrementally: only changed
pages are rendered; an edit of documents shows its pages first, from memory,
while the rest is built) and reloads the browser. When a build fails it keeps
serving the last good build and shows the problems (``file:line: …``) at the
top of every page until they are fixed.

The pages keep the strict policy they are published with (:mod:`~ici_site.site.csp`:
no inline script or style). So the reload client and the error box's stylesheet
are files of the preview's own origin under ``/_preview/`` (a city slug never
starts with ``_``), added to the served copy of each page only, never to the
built files. The reload channel (``/livereload``, LiveReload protocol 7) accepts
pages of its own origin only, and no answer carries a traceback or a server path.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import os
import posixpath
import re
import socket
import sys
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ici_site.errors import UsageError
from ici_site.live import Built, Preview
from ici_site.site import csp

__all__ = ["Preview", "make_watcher", "serve", "site_app"]

WATCHED = ("content", "templates", "locales")
CLIENT = "/_preview/"  # the preview's own files; not a possible city slug (fields.SLUG)
CLIENT_FILES = ("reload.js", "preview.css")
MAX_URL = 2048  # longer URLs get 414; the site's longest is far below (slugs, language codes)
MAX_HEADERS = 3 << 20  # Chromium sends URLs up to 2 MB: each gets a 414 page, not a dropped connection
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
TITLE = re.compile(rb"<title>([^<]*)</title>", re.IGNORECASE)
Answer = tuple[str, list[tuple[str, str]], bytes]  # status line, headers, body


def served(preview: Preview, page: bytes) -> bytes:
    """The served copy of an HTML page: with the reload client, its stylesheet and
    the error box. The built file itself is never changed."""
    client = (f'<link rel="stylesheet" href="{CLIENT}preview.css">'
              f'<script src="{CLIENT}reload.js" data-build="{preview.builds}" defer></script>').encode()
    page = HEAD_END.sub(lambda m: client + m[0], page, count=1)
    return BODY.sub(lambda m: m[0] + preview.banner(), page, count=1)


def client_file(name: str) -> bytes:
    """One of the preview's own files (the reload client and its stylesheet)."""
    return resources.files(__package__).joinpath("preview", name).read_bytes()


def site_app(out: Path, preview: Preview, root: Path | None = None,
             hosts: frozenset[str] | None = None) -> Callable[..., Iterable[bytes]]:
    """A WSGI app serving ``out``, with the reload client and the error box in every
    HTML page; every failure is a short page (400, 404, 414), never a trace. With the
    project's ``root``, ``/`` lists only the built cities still in ``content/``; with
    ``hosts``, a request naming another host (DNS rebinding) is refused."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if hosts is not None and _host_name(environ.get("HTTP_HOST", "")) not in hosts:
            status, headers, body = error_page(preview, 400, "Bad Request", "Open the address serve printed.")
        else:
            status, headers, body = answer(out, preview, environ, root)
        start_response(status, [*headers, ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                                ("X-Content-Type-Options", "nosniff")])
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]

    return app


def answer(out: Path, preview: Preview, environ: dict[str, Any], root: Path | None = None) -> Answer:
    """What the preview answers to one request."""
    raw = environ.get("PATH_INFO", "/")
    if len(raw) + len(environ.get("QUERY_STRING", "")) > MAX_URL or any(len(p) > 255 for p in raw.split("/")):
        return error_page(preview, 414, "URI Too Long", "This address is too long.")
    try:  # WSGI hands the path as Latin-1 of its bytes; the site's paths are UTF-8
        path = raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return error_page(preview, 400, "Bad Request", "This address is not valid.")
    if any(ord(c) < 32 or c == "\x7f" or c == "\\" for c in path):
        return error_page(preview, 400, "Bad Request", "This address is not valid.")
    if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
        return error_page(preview, 405, "Method Not Allowed", "The preview only shows pages.")
    if path.startswith(CLIENT) and path[len(CLIENT):] in CLIENT_FILES:
        name = path[len(CLIENT):]
        return "200 OK", [("Content-Type", _kind(name))], client_file(name)
    return site_file(out, preview, path, root)


def site_file(out: Path, preview: Preview, path: str, project: Path | None = None) -> Answer:
    """A built file (a folder's ``index.html``), or at ``/`` the network's language chooser
    (``content/network.yaml``), else the list of cities."""
    relative = posixpath.normpath("/" + path).lstrip("/")
    if relative in ("", "."):
        relative = ""
    try:
        target, root = (out / relative).resolve(), out.resolve()
        if target != root and not target.is_relative_to(root):  # a link out of the site
            return error_page(preview, 404, "Not Found", "There is no such page.")
        if target.is_dir():
            if not path.endswith("/"):  # so that the page's relative links work; never "//host/"
                location = quote(f"/{relative}/" if relative else "/")
                return "301 Moved Permanently", [("Location", location), ("Content-Type", _kind("a.txt"))], b""
            if target == root and not _network_index(out, project):
                return cities_page(out, preview, project)
            target = target / "index.html"
        shown = preview.shown.get(target.relative_to(root).as_posix())  # an edit's page, before its build ends
        data = shown if shown is not None else target.read_bytes() if target.is_file() else None
    except OSError:  # a name the system refuses, a file removed while reading
        data = None
    if data is None:
        return error_page(preview, 404, "Not Found", "There is no such page.")
    kind = _kind(target.name)
    if kind.startswith("text/html"):
        data = served(preview, data)
    return "200 OK", [("Content-Type", kind)], data


def _network_index(out: Path, project: Path | None) -> bool:
    """Whether ``/`` is the network's language chooser: the build wrote one, and (when the
    project is known) content/network.yaml still asks for it."""
    return (out / "index.html").is_file() and (project is None or (project / "content" / "network.yaml").is_file())


def cities_page(out: Path, preview: Preview, project: Path | None = None) -> Answer:
    """``/`` of the preview: the built cities (each is its own site), or the only one.
    A city removed from ``content/`` is left out (the build does not delete its folder)."""
    cities = sorted(p.parent for p in out.glob("*/index.html")
                    if project is None or (project / "content" / p.parent.name / "city.yaml").is_file())
    if len(cities) == 1 and not preview.errors:
        return "302 Found", [("Location", quote(f"/{cities[0].name}/")), ("Content-Type", _kind("a.txt"))], b""
    items = "".join(f'<li><a href="{html.escape(quote(c.name))}/">{html.escape(_title(c) or c.name)}</a></li>'
                    for c in cities)
    text = (f"<h1>Cities</h1><ul>{items}</ul>" if cities
            else "<h1>No city is built yet</h1><p>Fix the errors shown above and save: this page reloads by itself.</p>")
    return "200 OK", [("Content-Type", _kind("a.html"))], served(preview, _page("Cities", text))


def error_page(preview: Preview, code: int, reason: str, text: str) -> Answer:
    """A short page for a request the preview cannot answer (with the reload client:
    a page that does not exist yet appears once it is built)."""
    body = f'<h1>{code} {reason}</h1><p>{html.escape(text)} <a href="/">The list of cities</a></p>'
    return f"{code} {reason}", [("Content-Type", _kind("a.html"))], served(preview, _page(reason, body))


def _page(title: str, body: str) -> bytes:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp.POLICY)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)} · ici_site preview</title></head>"
            f'<body><main class="ici-preview-page">{body}</main></body></html>').encode()


def _title(city: Path) -> str:
    try:
        found = TITLE.search((city / "index.html").read_bytes())
    except OSError:
        return ""
    return html.unescape(found[1].decode("utf-8", "replace")).strip() if found else ""


def _host_name(host: str) -> str:
    try:
        return urlsplit("//" + host).hostname or ""
    except ValueError:  # a malformed Host header
        return ""


def allowed_hosts(host: str) -> frozenset[str] | None:
    """The names a page of a preview listening on ``host`` may be asked under: the
    loopback names for a loopback address (a site that rebinds its own name to
    127.0.0.1 is refused), any name otherwise (a preview shared on a network)."""
    return LOOPBACK if host.strip("[]").lower() in LOOPBACK else None


def _kind(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else kind


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
                        preview.changed(_source(root, self.filepath))
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
    preview.forget()
    return watcher


def _source(root: Path, path: str | None) -> str | None:
    """A changed file as the build names it (relative to the project), or None."""
    try:
        return Path(path).relative_to(root).as_posix() if path else None
    except ValueError:
        return None


def listen(host: str, port: int) -> list[socket.socket]:
    """The preview's listening socket, opened before the first build so that a port in
    use is reported at once, as a usage error."""
    if not 1 <= port <= 65535:
        raise UsageError([f"--port {port}: give a port number from 1 to 65535, such as 8000"])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        server = socket.create_server((host.strip("[]"), port), family=family)  # closed if it fails
    except OSError as exc:
        # create_server re-raises with the address appended; a negative errno is the resolver's
        why = "unknown host name" if (exc.errno or 0) < 0 else os.strerror(exc.errno) if exc.errno else str(exc)
        problem = (f"cannot listen on {host}:{port} ({why}): "
                   "check --host, choose another port with --port, or stop the program using it")
        raise UsageError([problem]) from None
    server.setblocking(False)  # Tornado's loop accepts on it
    return [server]


def preview_server(app: Callable[..., Iterable[bytes]], watcher: Any, preview: Preview,
                   sockets: list[socket.socket], hosts: frozenset[str] | None = None) -> Any:
    """livereload's server, wired for pages with a strict policy.

    livereload's own wiring does not fit them: it injects an inline ``<script>``
    (refused by ``script-src 'self'``), accepts the reload channel from any origin,
    and runs Tornado in debug mode (traceback pages, restarts on code changes). Here
    the pages get ``/_preview/reload.js`` from :func:`site_app`, the channel checks
    the Origin, and Tornado is not in debug mode.
    """
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import web
    from tornado.httpserver import HTTPServer
    from tornado.websocket import WebSocketHandler
    from tornado.wsgi import WSGIContainer

    class ReloadChannel(LiveReloadHandler):  # type: ignore[misc]
        def prepare(self) -> None:
            """A site that points its own name at 127.0.0.1 (DNS rebinding) is refused:
            Tornado lets any Origin through that matches the Host the browser sends."""
            if hosts is not None and self.request.host_name not in hosts:
                raise web.HTTPError(403)

        def check_origin(self, origin: str) -> bool:
            """Only pages of the preview itself (Tornado's check: Origin's host is Host)."""
            return bool(WebSocketHandler.check_origin(self, origin))

        def on_message(self, message: str | bytes) -> None:
            """The LiveReload handshake; the hello says which build is served, so a page
            served before the latest build reloads as soon as it connects."""
            try:
                super().on_message(message)
            except (ValueError, AttributeError, TypeError):  # not the protocol: drop the client
                self.close()

        def send_message(self, message: Any) -> None:
            if isinstance(message, dict) and message.get("command") == "hello":
                message = {**message, "build": preview.builds}
            super().send_message(message)

    class Container(WSGIContainer):  # type: ignore[misc]
        def _log(self, status_code: int, request: Any) -> None:
            _log(status_code, request)

    class PreviewServer(Server):  # type: ignore[misc]
        def application(self, port: int, host: str, liveport: Any = None, debug: Any = None,
                        live_css: bool = True) -> None:
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = False  # a reload shows the error box and new CSS alike
            application = web.Application([(r"/livereload", ReloadChannel),
                                           (r".*", web.FallbackHandler, {"fallback": Container(app)})],
                                          debug=False, log_function=lambda h: _log(h.get_status(), h.request))
            HTTPServer(application, max_header_size=MAX_HEADERS).add_sockets(sockets)

    return PreviewServer(app, watcher=watcher)


def _log(status: int, request: Any) -> None:
    """One short line per failed request (Tornado's log would print whole URLs)."""
    if status >= 400:
        path = request.path if len(request.path) <= 80 else request.path[:80] + "…"
        print(f"{status} {request.method} {path}", file=sys.stderr, flush=True)


def serve(root: Path, out: Path, host: str, port: int,
          builder: Callable[[], Built] | None = None) -> None:
    """Build once, then serve ``out`` on ``host:port`` and rebuild on every change (an edit
of documents: its pages shown first, :mod:`~ici_site.live`)."""
    from ici_site.build import build, build_date
    from ici_site.build.edited import edited_pages, warm_up
    from ici_site.build.state import SERVING_GC_THRESHOLD, State
    from ici_site.build.writer import discard_spares

    sockets = listen(host, port)
    state = State()  # what this server's builds remember from one to the next
    gc.set_threshold(*SERVING_GC_THRESHOLD)  # this process keeps the state: collect its young objects less often
    preview = Preview(builder or (lambda: build(root, out, warm=True, state=state)),
                      first=None if builder else lambda changed: edited_pages(root, out, state, changed, build_date()))
    preview.rebuild()
    preview.prepare(lambda: warm_up(root, out, state, build_date()))  # the first edit as fast as the next
    out.mkdir(parents=True, exist_ok=True)
    hosts = allowed_hosts(host)
    server = preview_server(site_app(out, preview, root, hosts), make_watcher(root, preview), preview,
                            sockets, hosts)
    try:
        server.serve(host=host, port=port, open_url_delay=None)  # until Ctrl-C
        preview.wait()
    finally:
        discard_spares(out)  # the city folders kept for the next build (build.writer.write_site)

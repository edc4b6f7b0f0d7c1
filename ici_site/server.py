"""`ici-site serve`: a livereload preview that rebuilds when sources change.

The server is handed a build function and knows nothing else. It watches the
sources (never its own output); on an error it keeps serving the last good
build and prints the problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .build import build
from .errors import IciError

WATCHED = ("content", "templates", "locales", "ici_site")


def serve(root: Path, out: Path, host: str, port: int) -> None:
    """Build once, then serve ``out`` on ``host:port`` and rebuild on every change."""
    from livereload import Server  # only the preview needs it

    def rebuild() -> None:
        try:
            print(build(root, out).summary(), flush=True)
        except IciError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            print("keeping the last good build", file=sys.stderr, flush=True)

    rebuild()
    server = Server()
    for folder in WATCHED:
        if (root / folder).exists():
            server.watch(str(root / folder), rebuild, delay=0.3)
    server.serve(root=str(out), host=host, port=port, open_url_delay=None)

"""The command line: each command parses its options, calls one library function,
and maps our errors to exit codes (0 ok, 1 content/catalog errors, 2 usage).

This module imports only the standard library: ``ici-site build`` forks the process that reads
its catalogs ahead (:mod:`~ici_site.build.ahead`) before the build's own imports
(:mod:`~ici_site.commands`, where the commands are)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    """The argument parser of `ici-site` / `python build.py`."""
    main = argparse.ArgumentParser(prog="ici-site", description="Build a city's multilingual digital counter.")
    main.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    sub = main.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=f"cmd_{name}")  # in ici_site.commands, imported when it runs
        return p

    p = add("build", "build every city (or the ones named) into _site/")
    p.add_argument("cities", nargs="*", metavar="CITY")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: _site)")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    p.add_argument("--keep-going", action="store_true",
                   help="leave out broken catalogs (fallback languages are shown) and publish the rest")
    p.add_argument("--precompress", action="store_true",
                   help="also write .gz and .br beside every text file, for servers that send them as they are")
    p = add("serve", "preview with live reload on 127.0.0.1")
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    add("extract", "write locales/*.pot from templates and content")
    add("update", "extract, then update every .po (nothing is ever dropped)")
    p = add("init", "create the catalogs for a new language of a city "
            "(with LANG alone: the template catalog only)")
    p.add_argument("city", metavar="CITY")
    p.add_argument("lang", metavar="LANG", nargs="?")
    add("compile", "write .mo files next to the .po files")
    p = add("status", "translation progress per city and language")
    p.add_argument("--json", action="store_true")
    add("check", "validate content and catalogs without writing a site")
    p = add("bundle", "write a zip (USB stick) and a ZIM file (Kiwix) of each built city")
    p.add_argument("cities", nargs="*", metavar="CITY")
    p.add_argument("--out", dest="bundles", type=Path, default=None, help="where to write them (default: _bundles)")
    p.add_argument("--site", type=Path, default=None, help="the built site to read (default: _site)")
    p = add("cities", "list the cities (folder names), e.g. for a CI matrix that builds one per job")
    p.add_argument("--json", action="store_true", help="as a JSON array")
    p = add("new", "create a new city folder with a starter city.yaml")
    p.add_argument("city", metavar="CITY", help="the folder name (saint-denis) or the city's name in its own script (Λιβαδειά, Málaga): the folder is then its Latin-letter form (livadeia, malaga)")
    p.add_argument("--country", help="ISO code, e.g. LV (default: from --language, else your locale)")
    p.add_argument("--language", help="the language you write in, e.g. lv (default: from --country, else your locale)")
    return main


def main(argv: Sequence[str] | None = None, ahead: bool = False) -> int:
    """Run the command line; return the exit code. ``ahead``: a ``build`` reads its catalogs
    ahead while it starts (:mod:`~ici_site.build.ahead`; the console script's own process)."""
    args = parser().parse_args(argv)
    if args.command is None:  # `python build.py` alone builds everything
        args = parser().parse_args(["--root", str(args.root), "build"])
    args.root = args.root.resolve()
    if getattr(args, "out", "unset") is None:
        args.out = args.root / "_site"
    args.ahead = None
    if ahead and args.command == "build":
        from ici_site.build.ahead import start  # the standard library only

        args.ahead = start(args.root, tuple(args.cities))
    try:
        return _run(args)
    finally:
        if args.ahead is not None:
            args.ahead.close()


def _run(args: argparse.Namespace) -> int:
    """The command ``args`` names, its errors as messages and exit codes."""
    from ici_site.errors import ContentError, IciError, os_problem

    try:
        return int(getattr(importlib.import_module("ici_site.commands"), args.func)(args))
    except IciError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        if isinstance(exc, ContentError):
            print(f"{len(exc.problems)} error(s); nothing was written.", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # disk full, read-only, permission, a file removed while we ran: not a bug
        print(f"error: {os_problem(exc, args.root)}", file=sys.stderr)
        if args.command in ("build", "serve"):
            print("the previous output is unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry point (and ``python build.py``'s).

    When the command is done and no other thread runs, the process ends at once instead of
    freeing every object it made one by one (a tenth of a second after a large build):
    every file it wrote is closed by then, and the standard streams are flushed first.
    """
    code = main(ahead=True)
    sys.stdout.flush()
    sys.stderr.flush()
    if threading.active_count() == 1:
        os._exit(code)
    sys.exit(code)

"""The commands of the command line (:mod:`~ici_site.cli`): each parses nothing, calls one library
function with the options given, and prints what a person reads."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ici_site import scaffold
from ici_site.build import build, build_date, city_folders
from ici_site.build.output_folder import output_folder_problem
from ici_site.build.state import State
from ici_site.content.fields import At, Invalid
from ici_site.content.loaders import load_site
from ici_site.content.places import language
from ici_site.errors import Problems, UsageError
from ici_site.i18n import catalogs
from ici_site.i18n.progress import ProgressLine
from ici_site.i18n.status import check_catalogs, city_status, interface_status


def _epoch() -> dt.datetime:
    """Creation date for catalogs: the build date at midnight UTC (reproducible)."""
    return dt.datetime.combine(build_date(), dt.time(), dt.UTC)


def cmd_build(args: argparse.Namespace) -> int:
    line = ProgressLine()
    try:
        report = build(args.root, args.out, tuple(args.cities), progress=line, keep_going=args.keep_going,
                       compressed=args.precompress, state=State(ahead=args.ahead))
    finally:
        line.clear()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in report.skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    if report.skipped:
        print(f"{len(report.skipped)} problem(s) in catalogs left out; their pages show the fallback "
              "language until they are fixed", file=sys.stderr)
    print(report.summary())
    return 1 if args.strict and (report.warnings or report.skipped) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ici_site.server import serve  # livereload is only needed here

    problem = output_folder_problem(args.out, args.root)  # before the server starts, not in its error box
    if problem:
        raise UsageError([problem])
    serve(args.root, args.out, args.host, args.port)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    changed = catalogs.extract(load_site(args.root), _epoch())
    _print_paths("extracted", changed, args.root)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    try:
        changed = catalogs.update(load_site(args.root), _epoch())
    except catalogs.CatalogChanged as exc:  # the others were written: say so before the errors
        for path in exc.written:
            print(f"updated {path.relative_to(args.root)}")
        raise
    _print_paths("updated", changed, args.root)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    if args.lang is None:  # `init LANG`: the shared template catalog only
        args.city, args.lang = None, args.city
    city = next((c for c in catalogs.content_domains(site) if c.slug == args.city), None)  # or the network
    if city is None and args.city is not None:
        raise UsageError([f"no city '{args.city}' under content/"
                          + (" (and no content/network.yaml)" if args.city == "network" else "")])
    try:
        lang = language(args.lang, At("", 0, "", Problems()))
    except Invalid as exc:
        raise UsageError([f"LANG: {exc}"]) from None
    created = catalogs.init(site, city, lang, _epoch())
    _print_paths("created", created, args.root)
    base = catalogs.interface_from(args.root, lang)
    if city is not None and base:
        print(f"note: '{lang}' pages show the interface in '{base}' "
              f"({catalogs.po_path(args.root, catalogs.TEMPLATE_DOMAIN, base).relative_to(args.root)}); "
              f"'init {lang}' makes a catalog of its own for the words that differ")
    if city is not None and lang not in city.languages:
        print(f"note: add '{lang}' to languages in {city.path} to publish it")
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    _print_paths("compiled", catalogs.compile_all(args.root), args.root)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    rows = [row for city in catalogs.content_domains(site) for row in city_status(site, city)] + interface_status(site)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'city':<26}{'lang':<6}{'messages':>9}{'translated':>11}{'fuzzy':>6}{'missing':>8}"
          f"{'unsafe':>7}{'machine':>8}  published  review")
    for r in rows:
        print(f"{r.city:<26}{r.lang:<6}{r.messages:>9}{r.translated:>11}{r.fuzzy:>6}{r.missing:>8}"
              f"{r.unsafe:>7}{r.machine:>8}  {'yes' if r.published else 'no':<9}  "
              f"{'draft' if r.draft else 'reviewed'}")
    if any(r.unsafe for r in rows):
        print("unsafe translations are not shown to readers; 'ici-site check' lists them with file and line")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    unsafe_fuzzy = check_catalogs(load_site(args.root))
    report = build(args.root, None)  # renders every page, writes nothing
    for warning in [*unsafe_fuzzy, *report.warnings]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"checked {report.cities} cities, {report.pages} pages: no errors")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from ici_site.site import bundles  # libzim is only needed here

    out = args.bundles or args.root / "_bundles"
    for made in bundles.bundle(args.root, args.site or args.root / "_site", tuple(args.cities), out, build_date()):
        for path in (made.zip, made.zim):
            print(f"wrote {path.relative_to(args.root) if path.is_relative_to(args.root) else path}"
                  f" ({path.stat().st_size / 1024:.0f} KB)")
    return 0


def cmd_cities(args: argparse.Namespace) -> int:
    slugs = city_folders(args.root, ())
    print(json.dumps(slugs) if args.json else "\n".join(slugs))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    path, note = scaffold.new_city(args.root, args.city, args.country, args.language, build_date())
    city = (path / "city.yaml").read_text(encoding="utf-8")
    said = {key: line.split(":", 1)[1].strip() for line in city.splitlines()
            for key in ("country", "source_language", "timezone") if line.startswith(f"{key}:")}
    print(f"created {path.relative_to(args.root)} (country {said['country']}, language {said['source_language']}, "
          f"time zone {said['timezone']}; change them in city.yaml): edit it, then run 'ici-site build'")
    if path.name != args.city:
        print(f"the folder, and the site's address, is '{path.name}', made from '{args.city.strip()}' (which "
              "is the city's name in city.yaml); rename the folder now if the city writes it otherwise")
    if note:
        print(f"note: {note}")
    return 0


def _print_paths(verb: str, paths: list[Path], root: Path) -> None:
    for path in paths:
        print(f"{verb} {path.relative_to(root) if path.is_relative_to(root) else path}")
    if not paths:
        print(f"nothing {verb}: everything was up to date")

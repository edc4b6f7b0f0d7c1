"""Services, pages and notices: one Markdown file with front matter each, read into a
:class:`~ici_site.content.model.Document` with the line of every field (for messages)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ici_site.content import fields as f
from ici_site.content.schema import DOCUMENT_SCHEMAS, LISTS
from ici_site.content.sources import Seq, SourceError, read_bytes, source_text, split_front_matter
from ici_site.errors import Problems

# what a process that loads again keeps of each document it parsed, by path: its file's bytes,
# class and country (all it depends on) and the document
Parsed = dict[str, tuple[bytes, Any, str, Any]]


def load_documents(folder: Path, kind: str, root: Path, country: str, lang: str | None,
                   problems: Problems, parsed: Parsed | None) -> tuple[Any, ...]:
    """The documents of one kind (``services``…) of a city folder, in file order; a problem is
    reported and its file left out. ``parsed``: see :func:`~ici_site.content.loaders.load_site`."""
    directory = folder / kind
    if not directory.is_dir():
        return ()
    cls, schema = DOCUMENT_SCHEMAS[kind]
    result = []
    for path in sorted(directory.iterdir()):
        rel = rel_path(path, root)
        if path.name.startswith("."):
            continue
        if path.is_dir() or path.suffix != ".md" or not f.SLUG.match(path.stem):
            hint = f.rename_hint(path.stem, lang, ".md") if path.suffix == ".md" and not path.is_dir() else ""
            problems.add(rel, None, "", f"{kind} files are named like 'my-service.md': lowercase letters, digits "
                         f"and '-', ending in .md{hint}")
            continue
        if path.stem in f.RESERVED_NAMES:
            problems.add(rel, None, "", f"'{path.stem}' is a reserved device name on Windows; rename the file")
            continue
        document = _load_document(path, rel, cls, schema, country, problems, parsed)
        if document is not None:
            result.append(document)
    return tuple(result)


def _load_document(path: Path, rel: str, cls: Any, schema: Mapping[str, f.Field],
                   country: str, problems: Problems, parsed: Parsed | None) -> Any:
    try:
        data = read_bytes(path, rel)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    # a document depends on its file, its kind and the city's country (its phone numbers) alone:
    # the same bytes are not decoded and checked again
    known = parsed.get(rel) if parsed is not None else None
    if known is not None and known[:3] == (data, cls, country):
        return known[3]
    try:
        source = split_front_matter(source_text(data, rel), rel)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    before = len(problems.items)
    values = f.read_fields(source.meta, schema, f.At(rel, 1, "", problems, country))
    if values is None:
        return None
    lines = dict(source.meta.key_lines)
    for key in LISTS:
        if isinstance(source.meta.get(key), Seq):
            for index, line in enumerate(source.meta[key].item_lines):
                lines[f"{key}[{index}]"] = line
    document = cls(slug=path.stem, path=rel, body=source.body, body_line=source.body_line, lines=lines, **values)
    if parsed is not None and len(problems.items) == before:  # one with a warning is read again: it is told again
        parsed[rel] = (data, cls, country, document)
    return document


def rel_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root, with '/' separators, for messages."""
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()

"""Reading the editor's files: text decoding, front matter, YAML with line numbers.

PyYAML marks are 0-based; they are converted to 1-based lines here, once. A text is read by
libyaml (PyYAML's C reader) when it reads it without trouble, else by PyYAML's own reader,
whose errors and refusals become the messages (:mod:`~ici_site.content.yaml_advice`).
Mappings come back as :class:`Node` dicts that remember the line of each key,
so later stages can say ``path:line: key: ...``.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ici_site.content.invisible import hidden_characters
from ici_site.content.limits import markdown_problem
from ici_site.content.yaml_advice import key_at, syntax_problem
from ici_site.errors import Problem


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the 1-based line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class Seq(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]


MAX_FILE_BYTES = 1 << 20  # a service file is a few KB: this bounds memory and parsing time
INVISIBLE_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
MAX_DEPTH = 20  # content needs 4 levels; a deeper YAML is a mistake or an attack
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
CONFLICT_MARKERS = ("<" * 7, "=" * 7, ">" * 7, "|" * 7)  # what CONFLICT_MARKER cannot match without


class _Refused(Exception):
    """A YAML construct we do not accept, at a 0-based line."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    """Safe loader that records line numbers and refuses duplicate keys, anchors,
    aliases, explicit tags and deep nesting (so no alias bomb, no object tags, and
    no recursion that could exhaust the stack)."""

    duplicates: list[tuple[str, int]]
    depth: int = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(line, "YAML anchors and aliases ('&name', '*name') are not allowed; write the value "
                                 "out in full (text that starts with '&' or '*' goes in quotes)")
        if getattr(event, "tag", None) is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(line, f"YAML tags such as '{tag}' are not allowed; write a plain value")
        if self.depth >= MAX_DEPTH:
            raise _Refused(line, f"values are nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):  # 2026-02-30 looks like a date but is none
        raise _Refused(node.start_mark.line, f"'{node.value}' is not a date that exists") from None


def _constructed(loader: Any) -> Any:
    """``loader`` building :class:`Node` and :class:`Seq` with their lines, and dates that exist."""
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


_constructed(_Loader)
# libyaml reads YAML six times faster than PyYAML's own reader; a text it reads without an
# error, a duplicate key or anything _Loader refuses is read the same by both (a test holds
# them to it). Anything else goes through _Loader, whose messages say what to do.
_FastLoader: Any = _constructed(type("_FastLoader", (yaml.CSafeLoader,), {})) if hasattr(yaml, "CSafeLoader") else None


class SourceError(Exception):
    """A file could not be read as YAML/front matter; carries one :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def read_source(path: Path, rel: str) -> str:
    """Read an editor's text file: a regular file of bounded size, UTF-8, no conflict markers."""
    return source_text(read_bytes(path, rel), rel)


def read_bytes(path: Path, rel: str) -> bytes:
    """The bytes of an editor's file, a regular file of bounded size.

    The size is checked before reading, so a huge file never reaches memory or the
    YAML parser, and a device or pipe (which could block forever) is refused.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(Problem(rel, None, "", "is not a regular file"))
    if info.st_size > MAX_FILE_BYTES:
        raise SourceError(Problem(rel, None, "", f"file is {info.st_size / 2**20:.1f} MB; "
                                  f"the limit is {MAX_FILE_BYTES >> 20} MB (split it, or remove pasted data)"))
    with open(path, "rb") as fileobj:
        data = fileobj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise SourceError(Problem(rel, None, "", f"file is over {MAX_FILE_BYTES >> 20} MB"))
    return data


def source_text(data: bytes, rel: str) -> str:
    """An editor's file as text: UTF-8 (with or without a byte-order mark), line ends normalised,
    no conflict markers, no hidden characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(Problem(rel, line, "", "file is not UTF-8 text; save it as UTF-8")) from None
    # YAML also breaks lines at NEL, LINE and PARAGRAPH SEPARATOR, which editors show
    # inside a line: as spaces, the lines we report are the lines the editor shows.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x85" in text or "\u2028" in text or "\u2029" in text:  # (translate reads every character)
        text = text.translate(INVISIBLE_BREAKS)
    check_conflict_markers(text, rel)
    check_hidden_characters(text, rel)
    return text


def check_hidden_characters(text: str, rel: str) -> None:
    """Refuse a direction control or invisible character that could disguise a fact
    (:mod:`~ici_site.content.invisible`), naming the line and the field it is in."""
    for hidden in hidden_characters(text):
        index = hidden.line(text) - 1
        lines = text.split("\n")
        key = key_at(lines, index)
        if not key and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:index]):
            key = "text"  # after the front matter: the Markdown body
        raise SourceError(Problem(rel, index + 1, key, hidden.message))


def check_conflict_markers(text: str, rel: str) -> None:
    """Refuse text that still holds a version-control merge conflict."""
    if not any(marker in text for marker in CONFLICT_MARKERS):  # most text: found at once, without the pattern
        return
    match = CONFLICT_MARKER.search(text)
    if match is None or (match.group(1) == "=======" and "<<<<<<<" not in text):
        return  # a lone '=======' line is a Markdown heading underline
    if match.group(1) == "=======":
        match = re.search(r"^<{7}(?: |$)", text, re.MULTILINE)
        assert match is not None
    line = text.count("\n", 0, match.start()) + 1
    raise SourceError(Problem(rel, line, "", f"merge-conflict marker '{match.group(1)}': keep the right "
                              "version and delete the '<<<<<<<', '=======' and '>>>>>>>' lines"))


def parse_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text whose first line is line ``first_line`` of ``path``."""
    data = _fast_yaml(text)
    if data is None:
        data = _careful_yaml(text, path, first_line)
    return _shift(data, first_line - 1) if first_line != 1 else data


def _careful_yaml(text: str, path: str, first_line: int) -> Any:
    """``text`` read by PyYAML's own reader through _Loader: every refusal and error with its line."""
    try:
        loader = _Loader(text)  # the reader refuses control characters here already
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position)
        raise SourceError(Problem(path, first_line + line, key_at(text.split("\n"), line),
                                  f"control character U+{exc.character:04X} is not allowed; remove it")) from None
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except _Refused as exc:
        key = key_at(text.split("\n"), exc.line)
        raise SourceError(Problem(path, first_line + exc.line, key, exc.message)) from None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(syntax_problem(exc, text, path, first_line)) from None
    except yaml.YAMLError as exc:
        raise SourceError(Problem(path, first_line, "", f"YAML error: {exc}")) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        key, line = loader.duplicates[0]
        raise SourceError(
            Problem(path, first_line + line - 1, key, "key appears twice; keep only one")
        )
    return data


def _fast_yaml(text: str) -> Any:
    """``text`` read by libyaml, or None when _Loader must read it: libyaml is missing, or the
    text has an error, a duplicate key, a tab, a control character, an anchor, an alias, a
    tag or deep nesting (refused by _Loader, with its message) or is empty."""
    if _FastLoader is None or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # (libyaml reads some tabs PyYAML refuses)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or getattr(event, "tag", None):
                return None
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth >= MAX_DEPTH:
                return None
        loader = _FastLoader(text)
        loader.duplicates = []
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, _Refused):
        return None
    return None if loader.duplicates else data


def _shift(value: Any, offset: int) -> Any:
    """Move recorded lines by ``offset`` (for YAML that starts inside a file)."""
    if isinstance(value, Node):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift(item, offset)
    elif isinstance(value, Seq):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for item in value:
            _shift(item, offset)
    return value


@dataclass(frozen=True, slots=True)
class FrontMatterFile:
    """A Markdown file split into its front matter and its body."""

    meta: Node  # the front matter mapping, with 1-based lines of the whole file
    body: str  # the Markdown after the closing ---
    body_line: int  # 1-based line of the body's first line in the file


CACHED_FILE_CHARS = 64 << 10  # files parsed once per process up to this size: memory stays bounded


def split_front_matter(text: str, path: str) -> FrontMatterFile:
    """Split ``---`` YAML front matter from the Markdown body and parse it (never change the result).

    ``serve`` loads a changed city again: its unchanged files are not parsed again.
    """
    if len(text) <= CACHED_FILE_CHARS:
        return _split_front_matter_cached(text, path)
    return _split_front_matter(text, path)


@lru_cache(maxsize=4096)
def _split_front_matter_cached(text: str, path: str) -> FrontMatterFile:
    return _split_front_matter(text, path)


def _split_front_matter(text: str, path: str) -> FrontMatterFile:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            Problem(path, 1, "", "file must start with a '---' line opening the front matter")
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        raise SourceError(
            Problem(path, 1, "", "front matter is not closed: add a '---' line after it")
        )
    body = "\n".join(lines[index + 1 :])
    pathological = markdown_problem(body)
    if pathological is not None:
        line, message = pathological
        raise SourceError(Problem(path, index + 2 + line, "text", f"the text {message}"))
    meta = parse_yaml("\n".join(lines[1:index]), path, first_line=2)
    if meta is None:
        meta = Node()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, Node):
        raise SourceError(Problem(path, 2, "", "front matter must be a set of 'key: value' lines"))
    return FrontMatterFile(meta, body, index + 2)

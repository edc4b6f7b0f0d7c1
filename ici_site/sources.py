"""Reading the editor's files: text decoding, front matter, YAML with line numbers.

PyYAML marks are 0-based; they are converted to 1-based lines here, once.
Mappings come back as :class:`Node` dicts that remember the line of each key,
so later stages can say ``path:line: key: ...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problem


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the 1-based line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class Seq(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe loader that records line numbers and refuses duplicate keys."""

    duplicates: list[tuple[str, int]]


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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class SourceError(Exception):
    """A file could not be read as YAML/front matter; carries one :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark) and normalise line ends."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            Problem(path, line, "", "file is not UTF-8 text; save it as UTF-8")
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text whose first line is line ``first_line`` of ``path``."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_syntax_problem(exc, text, path, first_line)) from None
    except yaml.YAMLError as exc:
        raise SourceError(Problem(path, first_line, "", f"YAML error: {exc}")) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        key, line = loader.duplicates[0]
        raise SourceError(
            Problem(path, first_line + line - 1, key, "key appears twice; keep only one")
        )
    return _shift(data, first_line - 1) if first_line != 1 else data


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    """One line for a YAML syntax error, at the line where the broken construct starts."""
    mark = exc.context_mark or exc.problem_mark
    index = mark.line if mark else 0
    what = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.problem_mark and exc.problem_mark.line != index:
        what += f" ({exc.context} that starts here)"
    lines = text.split("\n")
    key = re.match(r"\s*-?\s*([^\s:#][^:#]*?):(\s|$)", lines[index]) if index < len(lines) else None
    return Problem(path, first_line + index, key.group(1) if key else "", f"YAML syntax error: {what}")


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


def split_front_matter(text: str, path: str) -> FrontMatterFile:
    """Split ``---`` YAML front matter from the Markdown body and parse it."""
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
    meta = parse_yaml("\n".join(lines[1:index]), path, first_line=2)
    if meta is None:
        meta = Node()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, Node):
        raise SourceError(Problem(path, 2, "", "front matter must be a set of 'key: value' lines"))
    return FrontMatterFile(meta, "\n".join(lines[index + 1 :]), index + 2)

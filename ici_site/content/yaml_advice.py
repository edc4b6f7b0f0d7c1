"""What to write instead: one line for a YAML syntax error an editor made, with plain advice
for the common mistakes (a ': ' in a text, a quote never closed, a tab, a line out of
column), else PyYAML's own wording, at the line where the broken construct starts.
"""

from __future__ import annotations

import re

import yaml

from ici_site.errors import Problem


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    """One line for a YAML syntax error: where, and what to write instead.

    The common mistakes get plain advice (:func:`_advice`); anything else keeps PyYAML's
    wording, at the line where the broken construct starts.
    """
    lines = text.split("\n")
    advice = _advice(exc, lines)
    if advice:
        index, what = advice
        return Problem(path, first_line + index, key_at(lines, index), what)
    mark = exc.context_mark or exc.problem_mark
    index = mark.line if mark else 0
    what = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.problem_mark and exc.problem_mark.line != index:
        what += f" ({exc.context} that starts here)"
    return Problem(path, first_line + index, key_at(lines, index), f"YAML syntax error: {what}")


def _advice(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str] | None:
    """(0-based line, advice) for the PyYAML errors editors meet most, or None."""
    problem, context = exc.problem or "", exc.context or ""
    at, start = exc.problem_mark, exc.context_mark
    if at is None:
        return None
    line = lines[at.line] if at.line < len(lines) else ""
    if "quoted scalar" in context and start is not None:
        return start.line, _quote_problem(problem, lines[start.line], start.column)
    if context.startswith("while parsing a flow") and start is not None:  # [ or { never closed
        return start.line, _starts_with_bracket(lines[start.line], "close it (e.g. [fr, en]) or, if it is text,")
    if problem == "could not find expected ':'" and start is not None:
        return start.line, ("this line has no 'key:'; add the ':' after the key or, if it continues the text "
                            "above, put the whole text on one line in quotes")
    if problem == "mapping values are not allowed here" and _indent(line) > _indent(_previous_line(lines, at.line)):
        return at.line, (f"this line is indented more than the one above; start '{key_at(lines, at.line)}:' "
                         "at the same column as the other keys")
    advice = _line_problem(problem, context, line)
    return (at.line, advice) if advice else None


def _line_problem(problem: str, context: str, line: str) -> str | None:
    """Advice for a mistake within the line PyYAML stopped on."""
    first = _value(line)[:1]
    if "'\\t'" in problem:  # PyYAML's wording does not say what to do
        return "a tab character where YAML needs spaces; indent with spaces"
    if "expected a single document" in context:
        return "a second '---' starts another YAML document; a file holds one: remove that line"
    if problem == "mapping values are not allowed here":
        return f"the text contains ': ', which YAML reads as a new key; {_quote_advice(line)}"
    if "that cannot start any token" in problem or problem.startswith(
            ("expected chomping", "expected alphabetic or numeric character")):
        return f"a value cannot start with '{first}' (it has a meaning in YAML); {_quote_advice(line)}"
    if problem.startswith("expected <block end>, but found '<scalar>'"):
        if first and first in "[{":
            return _starts_with_bracket(line, "")
        if first and first in "'\"":
            return f"there is text after the closing quote; {_quote_advice(line)}"
        return "this line does not line up with the keys above; check the spaces at its start"
    if problem.startswith("expected <block end>, but found") and ("'-'" in problem or "sequence" in problem):
        return ("this list item ('- ') does not line up with a list above it; put it under its key "
                "and start every '- ' of the list at the same column")
    return None


def _quote_problem(problem: str, line: str, column: int) -> str:
    """Advice for a quoted value: never closed, or a backslash inside double quotes."""
    if problem.startswith("found unknown escape character"):
        return ("inside double quotes a backslash starts a special character; "
                f"use single quotes: {key_at([line], 0)}: '{_value(line)[1:-1]}'")
    quote = line[column:column + 1] or '"'
    return f"the {quote} opened on this line is never closed; add a {quote} at the end of the text"


def _starts_with_bracket(line: str, unclosed: str) -> str:
    """A value that starts with '[' or '{' is a list or a mapping to YAML."""
    bracket = _value(line)[:1]
    read = "a list" if bracket == "[" else "a set of keys"
    if unclosed:
        return f"a value starting with '{bracket}' is read as {read}: {unclosed} {_quote_advice(line)}"
    return f"a value starting with '{bracket}' is read as {read}; {_quote_advice(line)}"


def _quote_advice(line: str) -> str:
    """"put the text in quotes: key: "text"" for the value written on ``line``."""
    key, value = key_at([line], 0), _value(line)
    if len(value) > 1 and value[0] in "'\"" and value.endswith(value[0]) and value.count(value[0]) > 2:
        value = value[1:-1]  # 'l'aide': the inner apostrophe closed the quote
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return f"put the whole text in quotes: {key}: {quoted}" if key else "put the whole text in quotes"


def _value(line: str) -> str:
    """What follows 'key:' (or '- ') on a line, without the spaces around it."""
    match = re.match(r"\s*(?:-\s+)?(?:[^\s:#'\"][^:#]*?:(?:\s+|$))?(.*)", line)
    return match.group(1).strip() if match else line.strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_line(lines: list[str], index: int) -> str:
    """The nearest line above ``index`` that is not blank or a comment."""
    for line in reversed(lines[:index]):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def key_at(lines: list[str], index: int) -> str:
    """The 'key:' written on a 0-based line, or ""."""
    key = re.match(r"\s*-?\s*([^\s:#][^:#]*?):(\s|$)", lines[index]) if index < len(lines) else None
    return key.group(1).strip() if key else ""

"""Named attributes of the build's own HTML, found with ``str.find``.

The build's HTML (its templates and nh3's output) quotes every attribute with ``"…"``. A
regular expression such as ``(href|src)="([^"]*)"`` finds the attributes of a body, but
Python's engine tries it at every character, since it may start with one of several: about
40 µs for a body, in every language. Looking for each ``="`` with ``str.find`` (in C) and then
at the name before it finds the same attributes, in the same order, in about 60 % of the time
(the 1,280 bodies of the peers' medium build: 51.9 ms, then 31.7 ms).
``tests/test_attributes.py`` holds :func:`quoted` to those expressions.
"""

from __future__ import annotations

from collections.abc import Iterator


def quoted(html: str, names: tuple[str, ...], after_space: bool = False) -> Iterator[tuple[int, int, int]]:
    """(where the match starts, where its value starts, where its value ends) of each
    ``NAME="value"`` of ``html`` with NAME one of ``names``: the matches of
    ``re.finditer(r'(NAME|…)="([^"]*)"', html)``, left to right, none inside another.

    ``after_space``: the name must follow white space, which starts the match, as with
    ``\\s(NAME|…)="([^"]*)"``. No name may end with another (``src``, ``data-src``): the
    expression would take the longer, this the first listed.
    """
    at = html.find('="')
    while at != -1:
        for name in names:
            start = at - len(name) - after_space
            if start >= 0 and html.startswith(name, at - len(name)) and (not after_space or html[start].isspace()):
                break
        else:  # not one of them: the expression would go on looking from the next character
            at = html.find('="', at + 1)
            continue
        end = html.find('"', at + 2)
        if end == -1:  # no value ends: nor does any after this one
            return
        yield start, at + 2, end
        at = html.find('="', end + 1)

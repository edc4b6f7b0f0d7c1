"""Phone numbers inside text: made tappable and kept left-to-right.

In a right-to-left paragraph the Unicode bidi algorithm may show the groups of
"01 99 00 11 20" in reverse order — a wrong number for the reader. Every number
found in rendered text becomes a ``tel:`` link with ``dir="ltr"``.
"""

from __future__ import annotations

import re
from html import unescape

import phonenumbers
from markupsafe import escape

TAG = re.compile(r"(<[^>]+>)")
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
DIGITS = re.compile(r"\d")
SKIP_INSIDE = ("a", "code", "pre")


def link_phones(html: str, country: str) -> str:
    """Wrap every valid phone number of ``country`` found in text nodes of ``html``."""
    parts = TAG.split(html)
    depth = 0  # inside <a>, <code> or <pre>
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIP_INSIDE:
                depth += -1 if part.startswith("</") else 1
            continue
        if depth or not DIGITS.search(part):
            continue
        parts[index] = _wrap(part, country)
    return "".join(parts)


def _wrap(text: str, country: str) -> str:
    plain = unescape(text)
    out, last = [], 0
    for match in phonenumbers.PhoneNumberMatcher(plain, country):
        out.append(str(escape(plain[last:match.start])))
        tel = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        out.append(f'<a href="tel:{tel}" dir="ltr">{escape(match.raw_string)}</a>')
        last = match.end
    if last == 0:
        return text
    out.append(str(escape(plain[last:])))
    return "".join(out)

"""Phone numbers inside text: made tappable and kept left-to-right.

In a right-to-left paragraph the Unicode bidi algorithm may show the groups of
"01 99 00 11 20" in reverse order — a wrong number for the reader. Every number
found in rendered text becomes a ``tel:`` link with ``dir="ltr"``.

A short number ("appelez le 3919", "Τηλεφωνήστε στη γραμμή 15900") becomes a link too, to its
digits (see :mod:`.shortnumbers`), when the city lists it in a phone field (its emergency
numbers, its own or a service's phone) and it stands alone: three to six digits, not part of a
longer number, a word, a decimal or an amount ("115 €"). Only listed ones: in Belgium every
number from 2000 to 9999 is an SMS short code, and "2022" or "2800 Mechelen" must stay text.
Two-digit lines (France's 15, 17, 18) stay text too: "15 minutes" is not a call.
"""

from __future__ import annotations

import re
from html import unescape

import phonenumbers
from markupsafe import escape

from .model import City

TAG = re.compile(r"(<[^>]+>)")
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
DIGITS = re.compile(r"\d")
SKIP_INSIDE = ("a", "code", "pre")
# 3 to 6 digits alone: no digit, letter, sign or joined separator before, nor after; no amount after
SHORT = re.compile(r"(?<![\w.,/+\-])\d{3,6}(?![\w%‰€$£¥₺₽]|[.,/:\-]\d|[\s\u00a0\u202f][%€$£¥₺₽])")


def short_numbers(city: City) -> frozenset[str]:
    """The short numbers ``city`` lists in its phone fields (validated there): 112, 1733, 15900."""
    phones = [city.contact.phone, *(e.phone for e in city.emergency), *(s.phone for s in city.services)]
    return frozenset(p.tel for p in phones if p and not p.tel.startswith("+"))


def link_phones(html: str, country: str, short: frozenset[str] = frozenset()) -> str:
    """Wrap every valid phone number of ``country``, and every short number in ``short``,
    found in text nodes of ``html``."""
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
        parts[index] = _wrap(part, country, short)
    return "".join(parts)


def _wrap(text: str, country: str, short: frozenset[str]) -> str:
    plain = unescape(text)
    found = [(m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
             for m in phonenumbers.PhoneNumberMatcher(plain, country)]
    found += [(m.start(), m.end(), m.group()) for m in SHORT.finditer(plain)
              if m.group() in short
              and not any(start < m.end() and m.start() < end for start, end, _ in found)]
    if not found:
        return text
    out, last = [], 0
    for start, end, tel in sorted(found):
        out.append(str(escape(plain[last:start])))
        out.append(f'<a href="tel:{tel}" dir="ltr">{escape(plain[start:end])}</a>')
        last = end
    out.append(str(escape(plain[last:])))
    return "".join(out)

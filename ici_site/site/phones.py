"""Phone numbers inside text: made tappable, dialled with ASCII digits, kept left-to-right.

In a right-to-left paragraph the Unicode bidi algorithm may show the groups of
"01 99 00 11 20" in reverse order — a wrong number for the reader. Every number
found in rendered text becomes a ``tel:`` link with ``dir="ltr"``, and so does every
``tel:``/``sms:`` link a text already has. Translators into Persian, Dari, Urdu or
Arabic write numbers with ۰-۹ or ٠-٩ (or mix them with 0-9); the number is the same,
and its link dials the ASCII digits (E.164) that every phone understands.

:data:`SEPARATORS` is the one list of what may stand between the digit groups of a
number: the safety check (:mod:`~ici_site.i18n.safety`) reads numbers with it too.

A short number ("appelez le 3919", "Τηλεφωνήστε στη γραμμή 15900") becomes a link too, to its
digits (see :mod:`.shortnumbers`), when the city lists it in a phone field (its emergency
numbers, its own or a service's phone) and it stands alone: three to six digits, not part of a
longer number, a word, a decimal or an amount ("115 €"). Only listed ones: in Belgium every
number from 2000 to 9999 is an SMS short code, and "2022" or "2800 Mechelen" must stay text.
Two-digit lines (France's 15, 17, 18) stay text too: "15 minutes" is not a call.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape

import phonenumbers
from markupsafe import escape

from ici_site.content.model import City

TAG = re.compile(r"(<[^>]+>)")
SKIP_INSIDE = re.compile(r"</?\s*(?:a|code|pre)(?![a-zA-Z0-9])", re.IGNORECASE)  # a tag of <a>, <code>, <pre>
DIGITS = re.compile(r"\d")
# Between digit groups: spaces, dots, slashes, brackets, the hyphens and dashes libphonenumber
# reads (‐ ‑ ‒ – — ― −, fullwidth －．／), and the Arabic decimal separator ٫ that a digit
# converter writes for the "." of "01.99.00.12.30".
SEPARATORS = "\u00a0\u202f .()/-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff0e\uff0f\u066b"
ARABIC_DECIMAL = str.maketrans({"\u066b": "."})  # one character for one: offsets stay the same
TEL_LINK = re.compile(r'<a\b[^>]*\bhref="(?:tel|sms):[^"]*"[^>]*>', re.IGNORECASE)
TEL_HREF = re.compile(r'\bhref="(tel|sms):([^"?]*)', re.IGNORECASE)
# 3 to 6 digits alone: no digit, letter, sign or joined separator before, nor after; no amount
# after. Arabic joins "and", "by", "for"... (و ب ل ف ك) to the next word, with or without a
# tatweel: "و166" is "and 166", "بـ15900" "on 15900".
SHORT = re.compile(r"(?:(?<![\w.,/+\-])|(?<=(?<!\w)[وبلفك])|(?<=(?<!\w)[وبلفك]\u0640))\d{3,6}"
                   r"(?![\w%‰€$£¥₺₽]|[.,/:\-]\d|[\s\u00a0\u202f][%€$£¥₺₽])")


def short_numbers(city: City) -> frozenset[str]:
    """The short numbers ``city`` lists in its phone fields (validated there): 112, 1733, 15900."""
    phones = [city.contact.phone, *(e.phone for e in city.emergency), *(s.phone for s in city.services)]
    return frozenset(p.tel for p in phones if p and not p.tel.startswith("+"))


def link_phones(html: str, country: str, short: frozenset[str] = frozenset()) -> str:
    """Wrap every valid phone number of ``country``, and every short number in ``short``,
    found in text nodes of ``html``, and give each ``tel:``/``sms:`` link ASCII digits and
    ``dir="ltr"``."""
    parts = TAG.split(html)  # text, tag, text, … text
    depth = 0  # inside <a>, <code> or <pre>
    for index in range(0, len(parts) - 1, 2):
        if not depth and DIGITS.search(parts[index]):
            parts[index] = _wrap(parts[index], country, short)
        tag = parts[index + 1]
        step = _skip_step(tag)
        if step:
            depth += step
            if TEL_LINK.match(tag):
                parts[index + 1] = _tel_link(tag)
    if not depth and DIGITS.search(parts[-1]):
        parts[-1] = _wrap(parts[-1], country, short)
    return "".join(parts)


@lru_cache(maxsize=4096)  # a body's tags are a few dozen kinds, repeated: <p>, </p>, <li>…
def _skip_step(tag: str) -> int:
    """1 for a start tag of <a>, <code> or <pre>, -1 for an end tag, else 0."""
    return (-1 if tag.startswith("</") else 1) if SKIP_INSIDE.match(tag) else 0


def dialled(raw: str, country: str | None) -> str:
    """What a phone dials for ``raw`` (digits of any script): E.164 when it parses,
    else its ASCII digits (and a leading +)."""
    raw = ascii_digits(raw).translate(ARABIC_DECIMAL)
    try:
        return phonenumbers.format_number(phonenumbers.parse(raw, country or None),
                                          phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return ("+" if raw.strip().startswith("+") else "") + re.sub(r"\D", "", raw)


def ascii_digits(text: str) -> str:
    """``text`` with the digits of every script (٣, ۳, ३) written as ASCII digits."""
    if text.isascii():
        return text
    return DIGITS.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def _tel_link(tag: str) -> str:
    """A ``tel:``/``sms:`` link's start tag: the number in ASCII digits, left-to-right."""
    # The digits only: the number stays as written (a short number such as 3919 is no E.164)
    tag = TEL_HREF.sub(lambda m: f'href="{m.group(1).lower()}:{ascii_digits(m.group(2))}', tag)
    return tag if re.search(r"\bdir=", tag) else tag[:-1] + ' dir="ltr">'


@lru_cache(maxsize=8192)  # the same opening hours ("9:00–12:30") recur on many pages, in every language
def _wrap(text: str, country: str, short: frozenset[str]) -> str:
    plain = unescape(text)
    found = [(m.start, m.end, phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164))
             for m in phonenumbers.PhoneNumberMatcher(plain.translate(ARABIC_DECIMAL), country)]
    found += [(m.start(), m.end(), ascii_digits(m.group())) for m in SHORT.finditer(plain)
              if ascii_digits(m.group()) in short
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

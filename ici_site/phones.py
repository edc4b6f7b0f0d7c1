"""Phone numbers inside text: made tappable, dialled with ASCII digits, kept left-to-right.

In a right-to-left paragraph the Unicode bidi algorithm may show the groups of
"01 99 00 11 20" in reverse order — a wrong number for the reader. Every number
found in rendered text becomes a ``tel:`` link with ``dir="ltr"``, and so does every
``tel:``/``sms:`` link a text already has. Translators into Persian, Dari, Urdu or
Arabic write numbers with ۰-۹ or ٠-٩ (or mix them with 0-9); the number is the same,
and its link dials the ASCII digits (E.164) that every phone understands.

:data:`SEPARATORS` is the one list of what may stand between the digit groups of a
number: the safety check (:mod:`~ici_site.safety`) reads numbers with it too.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

import phonenumbers
from markupsafe import escape

TAG = re.compile(r"(<[^>]+>)")
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
DIGITS = re.compile(r"\d")
SKIP_INSIDE = ("a", "code", "pre")
# Between digit groups: spaces, dots, slashes, brackets, the hyphens and dashes libphonenumber
# reads (‐ ‑ ‒ – — ― −, fullwidth －．／), and the Arabic decimal separator ٫ that a digit
# converter writes for the "." of "01.99.00.12.30".
SEPARATORS = "\u00a0\u202f .()/-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff0e\uff0f\u066b"
ARABIC_DECIMAL = str.maketrans({"\u066b": "."})  # one character for one: offsets stay the same
TEL_LINK = re.compile(r'<a\b[^>]*\bhref="(?:tel|sms):[^"]*"[^>]*>', re.IGNORECASE)
TEL_HREF = re.compile(r'\bhref="(tel|sms):([^"?]*)', re.IGNORECASE)


def link_phones(html: str, country: str) -> str:
    """Wrap every valid phone number of ``country`` found in text nodes of ``html``, and
    give each ``tel:``/``sms:`` link ASCII digits and ``dir="ltr"``."""
    parts = TAG.split(html)
    depth = 0  # inside <a>, <code> or <pre>
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIP_INSIDE:
                depth += -1 if part.startswith("</") else 1
            if TEL_LINK.match(part):
                parts[index] = _tel_link(part)
            continue
        if depth or not DIGITS.search(part):
            continue
        parts[index] = _wrap(part, country)
    return "".join(parts)


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


def _wrap(text: str, country: str) -> str:
    plain = unescape(text)
    out, last = [], 0
    for match in phonenumbers.PhoneNumberMatcher(plain.translate(ARABIC_DECIMAL), country):
        out.append(str(escape(plain[last:match.start])))
        tel = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        out.append(f'<a href="tel:{tel}" dir="ltr">{escape(plain[match.start:match.end])}</a>')
        last = match.end
    if last == 0:
        return text
    out.append(str(escape(plain[last:])))
    return "".join(out)

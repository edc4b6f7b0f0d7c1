"""Escaping for every text format the build writes, one function per format.

Each function takes any Python string (a translation can hold anything: a raw
carriage return, a line separator, ``</script>``, ``=HYPERLINK(...)``) and returns
text that the format's reader takes back as exactly one value, never as markup,
a new field, a new line or code:

- :func:`vcard_text`: a vCard text value (RFC 6350 §3.4, RFC 2426 §5): ``\\``, ``,``,
  ``;`` and every line break escaped; :func:`vcard_line` folds the content line.
- :func:`json_for_script`: JSON inside an HTML ``<script>`` element or a ``.js`` file:
  ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\uXXXX`` (valid JSON, valid JavaScript,
  and no ``</script>`` or ``<!--`` can end or change the element).
- :func:`csv_cell`: a CSV cell a spreadsheet will not run as a formula (OWASP's rule).
- :func:`xml_text` and :func:`xml_attr`: XML 1.0 character data and attribute values,
  with characters XML 1.0 cannot hold at all removed.
"""

from __future__ import annotations

import json
import re

# -- vCard ---------------------------------------------------------------------------

_VCARD_SPECIAL = re.compile(r"\r\n|[\\,;\r\n\x0b\x0c\x85\u2028\u2029]")
_VCARD_ESCAPES = {"\\": "\\\\", ",": "\\,", ";": "\\;"}  # anything else matched is a line break
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # no meaning in a vCard; some importers choke
VCARD_LINE_OCTETS = 75  # RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets


def vcard_text(value: str) -> str:
    """A vCard TEXT value: backslash, comma and semicolon escaped, every line break
    (CR LF, CR, LF, and the Unicode ones) as ``\\n``, other control characters dropped."""
    value = _CONTROL.sub("", value)
    return _VCARD_SPECIAL.sub(lambda m: _VCARD_ESCAPES.get(m.group(), "\\n"), value)


def vcard_line(line: str) -> str:
    """Fold a content line into CRLF-separated lines of at most 75 octets, each
    continuation starting with one space (RFC 6350 §3.2); never inside a UTF-8 character."""
    if "\r" in line or "\n" in line:
        raise ValueError(f"a vCard content line cannot hold a line break: {line!r}")
    data = line.encode("utf-8")
    if len(data) <= VCARD_LINE_OCTETS:
        return line  # most lines: short enough as they are
    pieces, start, room = [], 0, VCARD_LINE_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation octet: cut before its character
            cut -= 1
        pieces.append(data[start:cut].decode("utf-8"))
        start, room = cut, VCARD_LINE_OCTETS - 1  # the space starting a continuation counts
    pieces.append(data[start:].decode("utf-8"))
    return "\r\n ".join(pieces)


def vcard_unfold(text: str) -> str:
    """Undo :func:`vcard_line` (what a vCard reader does first)."""
    return text.replace("\r\n ", "")


# -- JSON in HTML and JavaScript -------------------------------------------------------

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_PATTERN = re.compile("[<>&\u2028\u2029]")


def json_for_script(value: object, separators: tuple[str, str] = (",", ":")) -> str:
    """``value`` as JSON that is also safe as the text of a ``<script>`` element and as a
    JavaScript expression: no ``<``, ``>``, ``&`` (so no ``</script>``, ``<!--``), no raw
    U+2028/U+2029 (line terminators in older JavaScript). Non-ASCII letters stay readable."""
    text = json.dumps(value, ensure_ascii=False, separators=separators)
    # These characters can only occur inside JSON strings, where \\uXXXX means the same.
    return _SCRIPT_PATTERN.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


# -- CSV ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: str) -> str:
    """A cell's text that a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms, which
    some spreadsheets accept), a tab or a line break gets a leading apostrophe (OWASP's
    advice). Quoting of commas, quotes and line breaks is left to :mod:`csv`, which
    does it right; pass the result to ``csv.writer``. A phone number such as
    ``+33 1 99`` therefore reads ``'+33 1 99`` in the file: spreadsheets hide the mark.
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


# -- XML ---------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # not in XML 1.0 at all
_XML_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_XML_ATTR = {**_XML_TEXT, '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def xml_text(value: str) -> str:
    """Character data for an XML 1.0 element (sitemap, Atom): ``& < >`` escaped, ``\\r``
    kept as ``&#13;`` (a parser would turn it into ``\\n``), characters XML cannot hold removed."""
    value = _XML_FORBIDDEN.sub("", value)
    return re.sub("[&<>\r]", lambda m: _XML_TEXT.get(m.group(), "&#13;"), value)


def xml_attr(value: str) -> str:
    """An XML 1.0 attribute value in either kind of quotes; tabs and line breaks kept as
    character references (a parser would turn raw ones into spaces)."""
    value = _XML_FORBIDDEN.sub("", value)
    return re.sub("[&<>\"'\t\n\r]", lambda m: _XML_ATTR[m.group()], value)

"""What HTML may reach a page from content and translations.

Editors and translators are trusted to write text, not code. Rendered Markdown
(and every translation of it) goes through ``nh3`` (Rust's ammonia) with a short
list of tags and attributes; links keep only the ``http``, ``https``, ``mailto``,
``tel`` and ``geo`` schemes; images may only come from the site itself, because
a picture from another host is a request that tells it who reads what. Template
strings are plain text: a translation of one is escaped, never trusted as HTML.

A body rendered from its slots (:mod:`~ici_site.i18n.slots`) is cleaned once for all its
languages where ``nh3`` leaves its slotted form as it is: each language's pieces then go through
:func:`clean_piece`, which knows how ``nh3`` writes a few forms (escaped text, bold, links to
kept URLs, hints, a block's start tag) and refuses anything else; a body with a refused piece
goes through ``nh3`` whole. Property tests hold the pieces to ``nh3`` (``tests/test_slots.py``).
"""

from __future__ import annotations

import re
from functools import cache

import nh3
from markupsafe import Markup, escape

TAGS = frozenset({
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "img", "br", "hr", "small",
    "span", "dl", "dt", "dd", "del", "sub", "sup", "bdi",
})
ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "geo"})
# The classes the segmenter sets on text shown in another language; nothing else,
# so content cannot dress itself up as the site's own notices.
CLASSES = frozenset({"other-lang", "outdated", "machine", "hint"})
REMOTE_IMAGE = re.compile(r'(<img\b[^>]*?) src="(?:\s*[A-Za-z][A-Za-z0-9+.-]*:|\s*//)[^"]*"')


@cache  # made once: ammonia's configuration is built once, not for every body
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        allowed_classes={tag: set(CLASSES) for tag in TAGS},
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def clean_html(html: str) -> str:
    """``html`` with everything outside the allowed tags, attributes and URLs removed."""
    cleaned = _cleaner().clean(html)
    # An image from another host would be a request to it. This runs on nh3's output
    # (normalised, double-quoted attributes) rather than as nh3's attribute_filter:
    # an exception in that Python callback, even Ctrl-C, is swallowed by nh3 and the
    # page silently comes out different.
    return REMOTE_IMAGE.sub(r"\1", cleaned)


# What nh3 writes as it is, in a body whose HTML around it it leaves as it is: text ("&", "<", ">"
# escaped as Python-Markdown escapes them; no NUL or CR, which the HTML parser drops or makes a
# line feed; no-break spaces it writes as "&nbsp;"), bold runs and links of such text (each link
# given its "rel"), a hint; a block's start tag as the segmenter writes it, with allowed classes.
_TEXT = r"(?:[^&<>\x00\r]++|&(?:amp|lt|gt);)*+"
_LANG = r' dir="(?:ltr|rtl)" lang="[A-Za-z0-9-]++"'
_URL = r'[^"&<>\s]'
# A link nh3 keeps as written: no scheme (relative), or an allowed one with a plain host or none
_KEPT_URL = (rf"(?![A-Za-z][A-Za-z0-9+.-]*+:){_URL}*+|(?i:https?)://[A-Za-z0-9.-]++(?::[0-9]++)?(?:[/?#]{_URL}*+)?"
             rf"|(?i:mailto|tel|geo):{_URL}*+")
_CONTENT = re.compile(rf'(?:[^&<>\x00\r]++|&(?:amp|lt|gt);|<strong>{_TEXT}</strong>|<a href="(?:{_KEPT_URL})">{_TEXT}</a>)*+'
                      rf'|<small class="hint"{_LANG}>{_TEXT}</small>')
_START = re.compile(rf'<(?P<tag>[a-z][a-z0-9]*+) class="(?P<classes>[a-z-]++(?: [a-z-]++)*+)"(?:{_LANG})?>')
_REL = '" rel="noopener noreferrer">'  # what nh3 gives every link (``link_rel``)
# A block's start tag nh3 writes as it is: not a link's (it adds a "rel"), nor an empty element's
# (it drops the end tag after it)
_BLOCKS = TAGS - {"a", "img", "br", "hr"}


def clean_piece(piece: str, start: bool = False) -> str | None:
    """``piece`` (a block's content or hint; ``start``: its start tag), filled into a body whose
    HTML around it ``nh3`` leaves as it is, as ``nh3`` writes it there: links with their
    ``rel``, no-break spaces as ``&nbsp;``. None when it is not of a form known to come out
    so: then the whole body is cleaned."""
    if start:
        match = _START.fullmatch(piece)
        ok = match is not None and match["tag"] in _BLOCKS and CLASSES.issuperset(match["classes"].split(" "))
        return piece if ok else None
    # most pieces are text alone, told apart by looking for each character (quicker than a pattern)
    if "<" in piece or "&" in piece or ">" in piece or "\x00" in piece or "\r" in piece:
        if _CONTENT.fullmatch(piece) is None:
            return None
        if "<a " in piece:  # text holds no '">' (its ">" are "&gt;"): each ends a link's start tag
            piece = piece.replace('">', _REL)
    return piece.replace("\xa0", "&nbsp;") if "\xa0" in piece else piece


def template_text(msgid: str, translation: str) -> Markup:
    """A template string's translation, safe to put in a page.

    Template msgids are plain text (a translation adding markup is escaped); should a
    msgid ever hold markup, its translation may use only the tags the msgid uses.
    """
    if "<" not in msgid:
        return escape(translation)
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", msgid)) & TAGS
    return Markup(nh3.clean(translation, tags=tags, attributes={"a": {"href"}}, url_schemes=set(URL_SCHEMES)))

"""What HTML may reach a page from content and translations.

Editors and translators are trusted to write text, not code. Rendered Markdown
(and every translation of it) goes through ``nh3`` (Rust's ammonia) with a short
list of tags and attributes; links keep only the ``http``, ``https``, ``mailto``,
``tel`` and ``geo`` schemes; images may only come from the site itself, because
a picture from another host is a request that tells it who reads what. Template
strings are plain text: a translation of one is escaped, never trusted as HTML.
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


def template_text(msgid: str, translation: str) -> Markup:
    """A template string's translation, safe to put in a page.

    Template msgids are plain text (a translation adding markup is escaped); should a
    msgid ever hold markup, its translation may use only the tags the msgid uses.
    """
    if "<" not in msgid:
        return escape(translation)
    tags = set(re.findall(r"<([a-z][a-z0-9]*)", msgid)) & TAGS
    return Markup(nh3.clean(translation, tags=tags, attributes={"a": {"href"}}, url_schemes=set(URL_SCHEMES)))

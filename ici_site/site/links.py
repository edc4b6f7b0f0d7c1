"""Links between pages: content links to Markdown files, and the check of every link.

Editors link one content file to another the way they see them side by side,
relative to the file they write in: ``[the course](../services/cours.md)`` or
``[hours](cours.md#main)``. :func:`content_href` turns such a link into the link
from the page being rendered to the page of that file in the same language.

:func:`page_link_problems` runs on every build, over all generated HTML, before anything
is written: each relative ``href``/``src`` must name a generated file, and each
``#anchor`` an ``id`` on the target page. A broken link is an error naming the
content file and line it was written on (or the catalog entry that brought it,
or the template that produced it).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ici_site.build.writer import OnDisk
from ici_site.content.model import City, Document, Notice, Page, Service
from ici_site.errors import Problem, Problems
from ici_site.site import urls
from ici_site.site.attributes import quoted

ROUTE_OF_FOLDER = {"services": "service", "pages": "page"}  # content folder -> route kind
NO_PAGE = "leads to no page or file of the site"
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
PLAIN = re.compile(r"(?!//|[ \x00-\x1f])[^:?\x00-\x1f]*\Z")  # a link urlsplit would cut at '#' alone
LINKS = ("href", "src")  # the attributes of a body that link (content_links)
# A link target as written in Markdown or raw HTML: ](target), <target>, href="target", src="target".
TARGET = re.compile(r"""\]\(\s*<?([^)\s>]+)|<([^>\s]+:[^>\s]*)>|(?:href|src)\s*=\s*["']?([^"'\s>]+)""")
# A same-page link of a body shown among others (anchors.prefix_ids): "#service-<slug>--<anchor>".
PREFIXED = re.compile(r"#(?P<kind>service|page|notice)-(?P<slug>[^#]+?)--(?P<anchor>.*)\Z", re.DOTALL)
KIND_OF_PREFIX: dict[str, type[Document]] = {"service": Service, "page": Page, "notice": Notice}
MD_LINK = re.compile(r"[^?#]*\.md(?:#|\Z)")  # a link to a content file (its page: in the same language)
ANY_LANGUAGE = "-"  # stands for a language's folder in a link the same in every language (no code is "-")
TEMPLATE_OF = [  # which template writes a page, to name it when a link is broken
    (re.compile(r"[^/]+/index\.html\Z"), "home.html"),
    (re.compile(r"[^/]+/categories/[^/]+\.html\Z"), "category.html"),
    (re.compile(r"[^/]+/services/[^/]+\.html\Z"), "service.html"),
    (re.compile(r"[^/]+/pages/[^/]+\.html\Z"), "page.html"),
]


def content_href(href: str, document: Document, page: str, lang: str) -> str:
    """The link a page needs for ``href`` written in ``document`` (a content file).

    Links to ``.md`` files become links to their pages; anything else is kept.
    """
    if _as_written(href):
        return href
    folder, slash, rest = page.partition("/")
    if folder == lang and slash and (".." not in href or MD_LINK.match(href)):
        # From a page in the language's folder, a link to a page (or one that does not climb
        # out of the folder) leads to a page of the same language: the link is the same in
        # every language, worked out once (every language shows each body's links).
        return _in_language_folder(href, document.path, document.slug, rest)
    return _content_href(href, document.path, document.slug, page, lang)


@lru_cache(maxsize=4096)
def _in_language_folder(href: str, path: str, slug: str, rest: str) -> str:
    """:func:`_content_href` from the page ``<lang>/<rest>``, for any language."""
    return _content_href(href, path, slug, f"{ANY_LANGUAGE}/{rest}", ANY_LANGUAGE)


def _content_href(href: str, path: str, slug: str, page: str, lang: str) -> str:
    """:func:`content_href` for the document at ``path`` (``content/<city>/<folder>/<slug>.md``)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    source = posixpath.dirname(path.split("/", 2)[2])  # e.g. "services"
    if not parts.path.endswith(".md"):
        return _rebased(href, parts.path, source, slug, page, lang)
    target = posixpath.normpath(posixpath.join(source, unquote(parts.path)))
    folder, _, name = target.rpartition("/")
    if folder not in ROUTE_OF_FOLDER:
        return href  # not a page: the check reports it
    out = urls.Route(ROUTE_OF_FOLDER[folder], name[: -len(".md")]).path(lang)
    link = urls.relative(page, out)
    return f"{link}#{parts.fragment}" if parts.fragment else link


def _rebased(href: str, path: str, source: str, slug: str, page: str, lang: str) -> str:
    """A link to a site file written for the document's own page, from ``page``.

    A body also shows on the whole-guide page, one folder up: ``../categories/health.html``
    written in a service must lead to the same file from there.
    """
    if not path or path.startswith("/") or source not in ROUTE_OF_FOLDER:
        return href  # this page's own anchor, an absolute path (reported), or a notice (no page)
    own = urls.Route(ROUTE_OF_FOLDER[source], slug).path(lang)
    if own == page:
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(own), path))
    return urls.relative(page, target) + href[len(path):]


def content_links(html: str) -> tuple[str, ...]:
    """``html`` (sanitised) cut around each ``href`` and ``src`` that :func:`content_href` may write
    differently from one page to another: (text, link, text, link, …, text). One piece when
    there is none: the body is the same on every page. Cut once per body and language; the
    links are then written for each page by :func:`with_content_links`."""
    pieces, start = [], 0
    for start_of_name, value, end in quoted(html, LINKS):
        before = html[start_of_name - 1:start_of_name]  # not a letter, digit, "_" or "-": not the end of data-href
        if not (before.isalnum() or before in ("_", "-")) and not _as_written(html[value:end]):
            pieces += [html[start:value], html[value:end]]
            start = end
    pieces.append(html[start:])
    return tuple(pieces)


def with_content_links(pieces: tuple[str, ...], document: Document, page: str, lang: str) -> str:
    """The HTML of :func:`content_links`'s ``pieces``, each link as ``page`` needs it."""
    if len(pieces) == 1:
        return pieces[0]
    shown = list(pieces)
    for at in range(1, len(shown), 2):
        shown[at] = content_href(shown[at], document, page, lang)
    return "".join(shown)


def _as_written(href: str) -> bool:
    """Whether a link is the same from every page: it has a scheme (``tel:``, ``https:``…:
    most links of a body), is absolute, or leads to an anchor of the page it is on."""
    return bool(SCHEME.match(href)) or href[:1] in ("", "#", "/")


# The build's own HTML (templates and nh3's output) quotes every attribute with "...":
# reading tags with these expressions is exact for it, and many times faster than a parser.
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^>]*)>")
LINKING = re.compile(r'\s(id|name|href|src)="([^"]*)"', re.IGNORECASE)  # the attributes the check reads


class _Page:
    """A page's ids and the relative links it makes."""

    def __init__(self, html: str) -> None:
        self.ids: set[str] = set()
        self.links: list[str] = []
        for tag, attributes in TAG.findall(html):
            for name, value in LINKING.findall(attributes):
                name = name.lower()
                if name == "id" or (name == "name" and tag.lower() == "a"):
                    if value:
                        self.ids.add(unescape(value))
                elif name != "name":
                    self.links.append(unescape(value).strip())


@dataclass(frozen=True, slots=True)
class Broken:
    """One link that leads nowhere."""

    page: str  # the generated page it is on
    href: str  # as written in the page
    reason: str


def broken_links(files: Iterable[tuple[str, bytes | OnDisk]], only: set[str] | None = None,
                 held: Mapping[str, set[str]] | None = None) -> list[Broken]:
    """Every relative link of the HTML ``files`` that names no file, or no id on it.

    A file is given as its bytes or as the path of an unchanged file to read. With
    ``only``, just the links of those pages are checked (other pages are read only
    when one of those links points into them); ``held``: links of a page known to hold,
    not checked again.
    """
    table = dict(files)
    parsed: dict[str, _Page] = {}

    def page(path: str) -> _Page:
        if path not in parsed:
            data = table[path]
            parsed[path] = _parsed(data.read_bytes() if isinstance(data, OnDisk) else data)
        return parsed[path]

    broken = []
    known: dict[tuple[str, str], str | None] = {}  # a link leads to the same place from its whole folder
    for path in sorted(table):
        if path.endswith(".html") and (only is None or path in only):
            folder, checked = posixpath.dirname(path), held.get(path, ()) if held else ()
            for href in page(path).links:
                if href in checked:
                    continue
                key = (path, href) if href[:1] in ("", "#", "?") else (folder, href)  # no path: this page
                if key not in known:
                    known[key] = _problem(path, href, table, page)
                reason = known[key]
                if reason:
                    broken.append(Broken(path, href, reason))
    return broken


def page_ids(data: bytes) -> set[str]:
    """The ids (anchors) of one page."""
    return _parsed(data).ids


def page_links(data: bytes) -> list[str]:
    """The links one page makes, as written (relative or not)."""
    return _parsed(data).links


# A build asks for the ids of its changed pages, then checks their links; ``serve``'s next
# build reads again the pages this one made: the changed ones (their ids before the edit)
# and those their links lead to. A page's bytes are parsed once, links and ids together.
@lru_cache(maxsize=256)
def _parsed(data: bytes) -> _Page:
    """The page ``data`` (UTF-8) read by :class:`_Page`, part by part: shared, not to be changed."""
    parts = _parts(data)
    if len(parts) == 1:
        return _Page(data.decode("utf-8"))  # a page of one part: kept here, not among the parts too
    page = _Page("")
    for part in map(_part, parts):
        page.ids |= part.ids
        page.links += part.links
    return page


# The whole guide shows every document of a city, each service in an <article>: an edit
# changes one of them, and ``serve``'s next build parses that one again, not the page.
PART = b"<article"


def _parts(data: bytes) -> list[bytes]:
    """``data`` cut before each :data:`PART` that follows the end of a tag (``>``, then white
    space at most): no tag the scan of :class:`_Page` finds can span a cut, so the parts give
    the ids and links of the whole page."""
    cuts, at = [0], data.find(PART, 1)
    while at != -1:
        if data[max(0, at - 64):at].rstrip().endswith(b">"):
            cuts.append(at)
        at = data.find(PART, at + 1)
    return [data[start:end] for start, end in zip(cuts, [*cuts[1:], len(data)], strict=True)]


@lru_cache(maxsize=4096)
def _part(data: bytes) -> _Page:
    return _Page(data.decode("utf-8"))


def _split(href: str) -> tuple[bool, str, str]:
    """(leads to another site or scheme, path, fragment) of a link, as ``urlsplit`` reads it."""
    if PLAIN.match(href):  # the build's own relative links: no scheme, host, query or odd bytes
        path, _, fragment = href.partition("#")
        return False, path, fragment
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc or SCHEME.match(href)), parts.path, parts.fragment


def _problem(page: str, href: str, files: dict[str, bytes | OnDisk], pages: Callable[[str], _Page]) -> str | None:
    elsewhere, path, fragment = _split(href)
    if elsewhere:
        return None  # another site, a phone number, a map: not ours to check
    if path.startswith("/"):
        return "must be relative: a city folder can live at any address"
    target = page
    if path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
        if target.startswith("../") or target == "..":
            return "leads out of the city's folder"
        if target not in files and f"{target}/index.html" in files:
            target = f"{target}/index.html"
        if target not in files:
            return NO_PAGE
    if fragment and target.endswith(".html") and unquote(fragment) not in pages(target).ids:
        return _no_anchor(unquote(fragment))
    return None


def page_link_problems(root: Path, city: City, files: Iterable[tuple[str, bytes | OnDisk]],
                catalogs: Callable[[str], dict[str, tuple[str, int]]] | None = None,
                only: set[str] | None = None, held: Mapping[str, set[str]] | None = None) -> list[Problem]:
    """Problems for every broken link of a city's pages, each at the place it was written.

    ``catalogs`` gives a language's {translation: (catalog path, line)}, to name the
    entry that brought a link no content file has; ``only`` and ``held``: :func:`broken_links`.
    """
    problems = Problems()
    seen: set[tuple[str, int | None, str]] = set()
    files = list(files)
    names = [path for path, _ in files]
    # A body also shows on the whole-guide page: name the document's own page when both break.
    for link in sorted(broken_links(files, only, held), key=lambda b: b.page.endswith("/guide.html")):
        link, body_of = _in_body(link)
        where = _written_in(root, city, link, catalogs or (lambda lang: {}), body_of)
        if where in seen:
            continue  # the same source link breaks in every language and on the guide: say it once
        seen.add(where)
        hint = _did_you_mean(link, where[2], names) if link.reason == NO_PAGE else ""
        problems.add(where[0], where[1], "link", f"'{where[2]}' {link.reason}{hint} (on {link.page})")
    return sorted(problems.items)


def _did_you_mean(link: Broken, written: str, names: list[str]) -> str:
    """"; did you mean 'x'?" with the closest file of the same folder, as the editor would write it."""
    path = urlsplit(link.href).path
    target = posixpath.normpath(posixpath.join(posixpath.dirname(link.page), unquote(path)))
    folder, wanted = posixpath.split(target)
    stem, ext = posixpath.splitext(wanted)
    stems = {posixpath.splitext(posixpath.basename(n))[0]: n for n in names
             if posixpath.dirname(n) == folder and n.endswith(ext)}  # a page for a page, a file for a file
    close = difflib.get_close_matches(stem, list(stems), n=1, cutoff=0.7)
    if not close:
        return ""
    name, typed = posixpath.basename(stems[close[0]]), urlsplit(written).path
    if typed.endswith(".md"):
        name = name.removesuffix(".html") + ".md"
    return f"; did you mean '{posixpath.join(posixpath.dirname(typed), name)}{written[len(typed):]}'?"


def _no_anchor(anchor: str) -> str:
    return f"the page has no anchor '#{anchor}'"


def _in_body(link: Broken) -> tuple[Broken, tuple[type[Document], str] | None]:
    """A broken link to an anchor of a body shown among others (``#service-<slug>--<anchor>``,
    :func:`~ici_site.site.anchors.prefix_ids`) as the editor wrote it in the body, and the
    kind and slug of that body's document; any other link as it is, and None."""
    shown = PREFIXED.match(link.href)
    if not shown:
        return link, None
    href = "#" + shown["anchor"]  # only an anchor can break: the link has no path
    return Broken(link.page, href, _no_anchor(unquote(shown["anchor"]))), (KIND_OF_PREFIX[shown["kind"]], shown["slug"])


def _written_in(root: Path, city: City, link: Broken, catalogs: Callable[[str], dict[str, tuple[str, int]]],
                body_of: tuple[type[Document], str] | None = None) -> tuple[str, int | None, str]:
    """(file, line, link as written there) for a broken link (in the body of ``body_of``'s
    document, kind and slug, if known)."""
    lang = link.page.split("/", 1)[0]
    page_slug = link.page.rsplit("/", 1)[-1].removesuffix(".html")
    documents: list[Document] = [*city.services, *city.pages, *city.notices]
    documents.sort(key=lambda d: not (d.slug == page_slug and not isinstance(d, Notice)))
    if body_of:  # the document whose body the link is in, first
        documents.sort(key=lambda d: not (isinstance(d, body_of[0]) and d.slug == body_of[1]))
    for document in documents:
        for index, line in enumerate(document.body.split("\n")):
            written = _match(line, link, document, lang)
            if written:
                return document.path, document.body_line + index, written
    for code in city.chain(lang):  # a fallback shows another language's translation
        for translation, (po, entry_line) in catalogs(code).items():
            written = _match(translation, link, documents[0], lang) if documents else None
            if written:
                return po, entry_line, written
    template = next((name for pattern, name in TEMPLATE_OF if pattern.match(link.page)),
                    {urls.ROOT: "root.html"}.get(link.page, link.page) if "/" not in link.page else "base.html")
    override = f"content/{city.slug}/templates/{template}"
    return (override if (root / override).is_file() else f"templates/{template}"), None, link.href


def _match(text: str, link: Broken, document: Document, lang: str) -> str | None:
    """The link target written in ``text`` that became ``link.href``, if any."""
    for target in TARGET.findall(text):
        target = next(t for t in target if t)
        if target == link.href or content_href(target, document, link.page, lang) == link.href:
            return target
    return None

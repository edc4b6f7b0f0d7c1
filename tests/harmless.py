"""What "no script reaches a page" means, checked on HTML the way a browser reads it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ici_site.site.sanitize import CLASSES, URL_SCHEMES

# Elements that run code, load other documents, submit data, or restyle the page.
FORBIDDEN = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "style", "base", "math", "xml", "bgsound", "video", "audio", "source",
    "details", "template", "noscript", "xss", "isindex", "marquee", "portal",
}
# What templates write on a whole page (never content): the search form, the listen, share
# and save buttons, the language switcher's disclosure, scripts from the site's own files
# and JSON-LD data blocks.
PAGE_CONTROLS = {"form", "input", "button", "details"}
# What a template legitimately writes in <head>, and the icons it draws inline.
TEMPLATE_TAGS = {"meta", "link", "title", "head", "html", "body", "svg", "path", "circle", "rect", "g",
                 "polyline", "line", "polygon", "ellipse"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "background", "data", "dynsrc",
                  "lowsrc", "poster", "srcset", "content"}
EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")  # the URL standard strips these around a URL
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")  # and removes these anywhere in it


class _Scan(HTMLParser):
    def __init__(self, whole_page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.whole_page = whole_page
        self.found: list[str] = []
        self.csp = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in FORBIDDEN and not (self.whole_page and self._page_control(tag, values)):
            self.found.append(f"<{tag}>")
        if tag in TEMPLATE_TAGS and not self.whole_page:
            self.found.append(f"<{tag}> in content")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name == "class" and not self.whole_page and set(value.split()) - CLASSES:
                self.found.append(f"class {value!r}")
            if name == "id" and not self.whole_page:
                self.found.append(f"id {value!r} in content")
            if name in URL_ATTRIBUTES and tag != "meta":
                self._url(tag, name, value)
        if tag == "meta" and values.get("http-equiv"):
            if (values["http-equiv"] or "").lower() != "content-security-policy":
                self.found.append(f"meta http-equiv={values['http-equiv']}")
            self.csp += 1
        if tag == "link" and (values.get("rel") or "") not in ("stylesheet", "alternate", "canonical",
                                                                  "manifest", "icon"):
            self.found.append(f"link rel={values.get('rel')}")

    @staticmethod
    def _page_control(tag: str, values: dict[str, str | None]) -> bool:
        """A template's own control or script: same-site, nothing inline that runs."""
        if tag == "script":
            src = values.get("src") or ""
            return (bool(src) and not re.match(r"[a-z][a-z0-9+.-]*:|//", src.lower())) \
                or values.get("type") == "application/ld+json"
        if tag == "form":
            return (values.get("method") or "get").lower() == "get" and \
                not re.match(r"[a-z][a-z0-9+.-]*:|//", (values.get("action") or "").lower())
        return tag in PAGE_CONTROLS

    def _url(self, tag: str, name: str, value: str) -> None:
        squeezed = TAB_OR_NEWLINE.sub("", EDGES.sub("", value)).lower()
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
        if scheme and scheme.group(1) not in URL_SCHEMES:
            self.found.append(f"{name}={value!r} on <{tag}>")
        if tag == "img" and (scheme or squeezed.startswith("//")):
            self.found.append(f"image from another host: {value!r}")
        if tag in ("link", "script") and (scheme or squeezed.startswith("//")) and not self.whole_page:
            self.found.append(f"<{tag}> loads {value!r}")


def harmful(html: str, whole_page: bool = False) -> list[str]:
    """What in ``html`` could run code, load from elsewhere or restyle the page ([] if nothing).

    ``whole_page``: a page from a template (head, icons, ids are expected there), which
    must also carry exactly one Content-Security-Policy.
    """
    scan = _Scan(whole_page)
    scan.feed(html)
    scan.close()
    if whole_page and scan.csp != 1:
        scan.found.append(f"{scan.csp} Content-Security-Policy meta elements")
    return scan.found


def read_vectors(path) -> list[str]:  # type: ignore[no-untyped-def]
    """The payloads of a vectors file ({LF}, {TAB}, {NUL} decoded; "# " lines are comments)."""
    vectors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("# "):
            vectors.append(line.replace("{LF}", "\n").replace("{TAB}", "\t").replace("{NUL}", "\0"))
    return vectors

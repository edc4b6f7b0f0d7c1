"""The Content-Security-Policy every page carries.

A page may load scripts, styles, images, fonts, its manifest and its service
worker only from the site itself, and talk to no other host. An inline script
runs only if its SHA-256 hash is in the policy: :func:`hash_inline_scripts` adds
the hash of each inline ``<script>`` a template writes, after rendering, so
nothing else (a translation, content that slipped past the sanitiser) can run.
Inline styles are not allowed at all: the stylesheet is a file.

A ``<meta>`` policy cannot set ``frame-ancestors``; a web server can add that
header on top.
"""

from __future__ import annotations

import base64
import hashlib
import re

from ici_site.build.writer import Files

SCRIPT_SRC = "script-src 'self'"
POLICY = (
    f"default-src 'none'; {SCRIPT_SRC}; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'"
)
# An inline script that runs: no src, and not a data block such as JSON-LD (never executed).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*\stype=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>",
                           re.DOTALL | re.IGNORECASE)


def script_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_script_hashes(html: str) -> str:
    """``html`` with the hash of each of its inline scripts added to its policy."""
    hashes = sorted({script_hash(body) for body in INLINE_SCRIPT.findall(html)})
    if not hashes:
        return html
    escaped = SCRIPT_SRC.replace("'", "&#39;")  # as the template's autoescape writes the attribute
    allowed = " ".join(hashes).replace("'", "&#39;")
    return html.replace(f"{escaped};", f"{escaped} {allowed};", 1).replace(
        f"{SCRIPT_SRC};", f"{SCRIPT_SRC} {' '.join(hashes)};", 1)


def file_bytes(path: str, data: str | bytes) -> bytes:
    """A made file as written: a page with its own inline scripts allowed by its policy (nothing else)."""
    if isinstance(data, str) and path.endswith(".html"):
        data = with_script_hashes(data)
    return data.encode("utf-8") if isinstance(data, str) else data


def hash_inline_scripts(files: Files) -> Files:
    """Every page of ``files`` with its inline scripts' hashes in its policy."""
    result = Files()
    for path, data in files.items():
        if path.endswith(".html"):
            data = with_script_hashes(data.decode("utf-8")).encode("utf-8")
        result.add(path, data)
    return result

"""The nginx recipe of docs/deploy.md, run as written on 127.0.0.1: pre-compressed copies,
the CSP header, caching of assets and of the service worker."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

import brotli
import pytest
from conftest import REPO, require_tool
from test_bundles import free_port

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def recipe() -> str:
    """The nginx server block as docs/deploy.md gives it."""
    text = (REPO / "docs" / "deploy.md").read_text()
    return re.search(r"```nginx\n(.*?)```", text, re.DOTALL).group(1)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory):
    """The example city built with --precompress and served by nginx with the recipe."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    require_tool(Path(binary).is_file() and BROTLI_MODULE.is_file(),
                 "nginx and libnginx-mod-http-brotli-static (Debian)")
    from conftest import BUILD_DAY, make_project

    from ici_site.cli import main
    root = make_project(tmp_path_factory.mktemp("nginx") / "basic", "basic")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
        assert main(["--root", str(root), "build", "--precompress"]) == 0
    port, prefix = free_port(), root / "nginx"
    prefix.mkdir()
    server = recipe().replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/ici/_site;", f"root {root / '_site'};")
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private folder
    (prefix / "nginx.conf").write_text(f"""{user}
load_module {BROTLI_MODULE};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fcgi;
    uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
{server}
}}
""")
    process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/demoville/"
    try:
        for _ in range(100):
            try:
                get(base + "index.html")
                break
            except (URLError, ConnectionError):
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield base, root / "_site" / "demoville"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def get(url: str, encoding: str = "identity") -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:  # 127.0.0.1 only
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_nginx_sends_the_precompressed_copies(nginx) -> None:
    base, city = nginx
    page = city / "fr" / "services" / "cours-de-francais.html"
    headers, body = get(base + "fr/services/cours-de-francais.html", "br, gzip")
    assert headers["content-encoding"] == "br" and headers["content-type"].startswith("text/html")
    assert brotli.decompress(body) == page.read_bytes()
    headers, body = get(base + "fr/services/cours-de-francais.html", "gzip")
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == page.read_bytes()
    headers, body = get(base + "fr/services/cours-de-francais.html")
    assert "content-encoding" not in headers and body == page.read_bytes()


def test_nginx_headers_follow_the_recipe(nginx) -> None:
    base, _ = nginx
    headers, _ = get(base + "ar/index.html")
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-cache"
    headers, _ = get(base + "assets/style.css")
    assert headers["cache-control"] == "public, max-age=86400"
    headers, _ = get(base + "sw.js")
    assert headers["cache-control"] == "no-cache"
    headers, _ = get(base + "ar/manifest.webmanifest")
    assert headers["content-type"].startswith("application/manifest+json")
    headers, _ = get(base + "fr/notices.atom")
    assert headers["content-type"].startswith("application/atom+xml")

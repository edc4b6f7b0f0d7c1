"""`bundle`: a zip for USB sticks and a ZIM file for Kiwix, checked with Debian's zimcheck
and served by kiwix-serve on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.error import URLError

import pytest
from conftest import require_tool

from ici_site.site.bundles import png

HREF = re.compile(r'(?:href|src)="(?![a-z]+:)([^"#?]+)[^"]*"')  # relative links


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic mini-site built and bundled once (fixed build day)."""
    from conftest import BUILD_DAY, make_project

    from ici_site.cli import main
    root = make_project(tmp_path_factory.mktemp("bundles") / "basic", "basic")
    city_yaml = root / "content" / "demoville" / "city.yaml"
    city_yaml.write_text(city_yaml.read_text() + "offer_download: true\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
        assert main(["--root", str(root), "build"]) == 0
        assert main(["--root", str(root), "bundle"]) == 0
    return root


def site_files(city: Path) -> set[str]:
    return {p.relative_to(city).as_posix() for p in city.rglob("*") if p.is_file()}


def test_zip_holds_the_city_folder_and_opens_from_disk(bundled: Path, tmp_path: Path) -> None:
    archive = bundled / "_bundles" / "demoville.zip"
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert names == sorted(names)
        assert {n.removeprefix("demoville/") for n in names} == site_files(bundled / "_site" / "demoville") - {
            "demoville.zip"}  # the copy `bundle` put in the city folder for the download link
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 20, 0, 0, 0)}  # the build day, not now
        z.extractall(tmp_path)
    city = tmp_path / "demoville"
    assert (city / "index.html").is_file()
    for page in city.rglob("*.html"):  # every relative link leads to a file of the unzipped folder
        for target in HREF.findall(page.read_text()):
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_pages_offer_the_zip_when_the_city_asks(bundled: Path) -> None:
    city = bundled / "_site" / "demoville"
    page = (city / "fr" / "services" / "cours-de-francais.html").read_text()
    assert '<a href="../../demoville.zip" download>' in page
    assert (city / "demoville.zip").read_bytes() == (bundled / "_bundles" / "demoville.zip").read_bytes()
    with zipfile.ZipFile(city / "demoville.zip") as z:  # inside the bundle the link would lead nowhere
        assert "demoville.zip" not in z.read("demoville/fr/services/cours-de-francais.html").decode()
        assert "<footer" in z.read("demoville/fr/services/cours-de-francais.html").decode()


def test_zip_is_reproducible(bundled: Path, cli, tmp_path: Path) -> None:
    first = (bundled / "_bundles" / "demoville.zip").read_bytes()
    result = cli(bundled, "bundle", "demoville", "--out", str(tmp_path))
    assert result.code == 0, result.err
    assert "demoville.zip" in result.out and "demoville.zim" in result.out
    assert (tmp_path / "demoville.zip").read_bytes() == first


def test_zimcheck_passes(bundled: Path) -> None:
    zimcheck = shutil.which("zimcheck")
    require_tool(zimcheck is not None, "zimcheck (Debian zim-tools)")
    done = subprocess.run([zimcheck, "-A", "-D", str(bundled / "_bundles" / "demoville.zim")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Overall Test Status: Pass" in done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # 127.0.0.1 only
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def kiwix(bundled: Path):
    """kiwix-serve on 127.0.0.1 (a free port) serving the city's ZIM; stopped afterwards."""
    serve = shutil.which("kiwix-serve")
    require_tool(serve is not None, "kiwix-serve (Debian kiwix-tools)")
    assert serve is not None
    port = free_port()
    process = subprocess.Popen([serve, "--address", "127.0.0.1", "--port", str(port),
                                str(bundled / "_bundles" / "demoville.zim")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _, catalog = fetch(f"{base}/catalog/v2/entries")
                break
            except (URLError, ConnectionError):
                time.sleep(0.1)
        else:
            raise AssertionError("kiwix-serve did not answer")
        yield base, catalog
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_kiwix_reads_the_metadata(kiwix) -> None:
    _, catalog = kiwix
    assert "<name>ici-site_demoville</name>" in catalog
    assert "<title>Démoville</title>" in catalog
    assert "<language>fra,eng,ara</language>" in catalog
    assert "illustration" in catalog  # the 48×48 PNG
    assert "<issued>2026-11-20" in catalog or "2026-11-20" in catalog


def test_kiwix_serves_the_main_page_and_pages_at_their_site_paths(kiwix) -> None:
    base, catalog = kiwix
    content = base + re.search(r'<link type="text/html" href="([^"]+)"', catalog).group(1).rstrip("/")
    status, chooser = fetch(content + "/")  # the book's root leads to the main page
    assert status == 200 and 'hreflang="ar"' in chooser and "Démoville" in chooser
    status, page = fetch(content + "/fr/services/cours-de-francais.html")
    assert status == 200 and "<h1>Cours de français</h1>" in page
    status, results = fetch(f"{base}/search?content=demoville&pattern=juriste")  # the full-text index
    assert status == 200 and "services/conseil-juridique.html" in results


def test_bundle_before_build_is_a_clear_error(project, cli) -> None:
    root = project("basic")
    result = cli(root, "bundle")
    assert result.code == 1
    assert "not built yet: run 'ici-site build' first" in result.err
    assert "Traceback" not in result.err
    assert cli(root, "bundle", "nowhere").code == 1  # an unknown city: the loader's message


def test_generated_illustration_is_a_48px_png() -> None:
    data = png(48, 48, (0x22, 0x55, 0x88))
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[16:24] == (48).to_bytes(4, "big") * 2

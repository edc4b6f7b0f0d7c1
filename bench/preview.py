"""Time `serve` as an editor sees it: from saving a service to its new text on the open page.

    python bench/preview.py [--size large] [--edits 6] [--code CHECKOUT]

Starts the real `python build.py serve` on a copy of the generated project of that size
(``bench/run.py``), opens the edited service's page in Chromium (Debian's
``/usr/bin/chromium``, through Playwright), then saves one sentence into the service
``--edits`` times, 3 s apart, and measures for each save:

shown    until the page, reloaded by itself, shows the new sentence (Playwright polls the
         page, so a few tens of ms of this are the poll);
started  until the reload's navigation began (the browser's own clock): the preview's
         settle (0.3 s), its poll (0.1 s) and the render of the edit's pages;
written  until the page's file in the output folder holds the new sentence.

``--code`` runs another checkout's ``build.py`` (to compare with a commit before), on the
same project. Prints each list and its median; the first edit after start is slower (see
docs/performance.md). Not a test: run it by hand and quote its medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import SEED, SIZES
from run import BUILD_DAY, EDITED, project  # bench/ is not a package: found through sys.path

NAVIGATION = ("(() => { const n = performance.getEntriesByType('navigation')[0];"
              " return [performance.timeOrigin, n.type]; })()")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Time an edit in the real serve, in Chromium.")
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose serve runs (default: this one)")
    args = parser.parse_args()
    work = BENCH / ".projects" / f"preview-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project(args.size, SEED), work, symlinks=True)
    city = min((work / "content").iterdir())
    service = city / EDITED
    lang = next(line.split("[")[1].split(",")[0].strip() for line in (city / "city.yaml").read_text().splitlines()
                if line.startswith("languages:"))
    page = f"{city.name}/{lang}/services/{service.stem}.html"
    port = free_port()
    log = open(work / "serve.log", "wb")  # noqa: SIM115  # closed with the process
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DAY, "PYTHONPATH": str(args.code.resolve())}
    server = subprocess.Popen([sys.executable, str(args.code / "build.py"), "--root", str(work), "serve", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    shown, started, written = [], [], []
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/reload.js", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"serve stopped: see {work / 'serve.log'}")
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            tab = browser.new_page()
            tab.goto(f"http://127.0.0.1:{port}/{page}")
            time.sleep(3)
            for number in range(args.edits):
                sentence = f"Edit number {os.getpid()}-{number}."
                text = service.read_text(encoding="utf-8")
                head, sep, rest = text.partition("\n## ")
                saved_at = time.time() * 1000
                start = time.perf_counter()
                service.write_text(head.rstrip("\n") + f" {sentence}\n\n{sep.lstrip()}{rest}", encoding="utf-8")
                tab.get_by_text(sentence).first.wait_for(timeout=120_000)
                shown.append(time.perf_counter() - start)
                origin, kind = tab.evaluate(NAVIGATION)
                assert kind == "reload", kind
                started.append((origin - saved_at) / 1000)
                while sentence not in (work / "_site" / page).read_text(encoding="utf-8"):
                    time.sleep(0.01)
                written.append(time.perf_counter() - start)
                time.sleep(3)
            browser.close()
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    for name, values in (("shown", shown), ("started", started), ("written", written)):
        listed = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:8} median {statistics.median(values):.2f} s   ({listed})")


if __name__ == "__main__":
    main()

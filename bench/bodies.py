"""Time the Markdown of every body a clean build renders, with and without slots, and its cleaning, in this process.

    python bench/bodies.py [ROOT] [N]      (default: this project's example content, N = 5)

ROOT is a project folder. A one-process build of it without the speed layer (into a temporary
folder, its cache left alone) records each body it renders and how each of its messages was
shown, in each language. Those renderings are then made again, N times each way: by
Python-Markdown from the body's parsed tree (``segments.Converter``) and from the body's slots
where they fit (``slots.SlottedConverter``, its slotted forms made before it is timed, as the
build makes them ahead); then each cleaned, by ``nh3`` whole, and piece by piece where the slots
and their pieces allow it (``SlottedConverter.sanitised``, as the build does). The medians are
printed, with how many renderings the slots filled and how many were cleaned piece by piece;
the ways must give the same HTML.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ici_site.build import build  # after the checkout is on the path
from ici_site.i18n import segments, slots
from ici_site.i18n.segments import Converter, Shown
from ici_site.site.sanitize import clean_html, clean_piece


def recorded(project: Path) -> list[tuple[str, dict[str, Shown]]]:
    """Every body a clean one-process build of ``project`` renders, with its messages as shown."""
    calls: list[tuple[str, dict[str, Shown]]] = []
    real = slots.SlottedConverter.sanitised

    def recording(self: slots.SlottedConverter, source: str, translate: segments.Translate) -> str:
        shown: dict[str, Shown] = {}
        calls.append((source, shown))
        return real(self, source, lambda text: shown.setdefault(text, translate(text)))

    slots.SlottedConverter.sanitised = recording  # type: ignore[method-assign]
    os.environ["ICI_SPEED"] = "off"  # every body rendered: none kept from a build before (.ici-cache)
    try:
        with tempfile.TemporaryDirectory() as out:
            build(project, Path(out) / "site", jobs=1)
    finally:
        slots.SlottedConverter.sanitised = real  # type: ignore[method-assign]
    return calls


def main() -> None:
    project = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    calls = recorded(project)
    whole, slotted = Converter(), slots.SlottedConverter(slots.Sanitiser(clean_html, clean_piece))
    for source, _ in calls:
        slotted.slotted(source)
    ways = {"whole": whole, "slots": slotted,
            "whole, nh3": lambda source, translate: clean_html(whole(source, translate)),
            "slots, nh3": lambda source, translate: clean_html(slotted(source, translate)),
            "slots, pieces cleaned": slotted.sanitised}
    outputs, times = {}, {}
    for name, converter in ways.items():
        runs_taken = []
        for _ in range(runs):
            start = time.perf_counter()
            outputs[name] = [converter(source, shown.__getitem__) for source, shown in calls]
            runs_taken.append(time.perf_counter() - start)
        times[name] = statistics.median(runs_taken)
    forms = [(slotted.slotted(source), [shown[text] for _, _, text in segments.parsed(source).blocks])
             for source, shown in calls]
    filled = sum(1 for form, shown in forms if form is not None and form.filled(shown) is not None)
    pieces = sum(1 for form, shown in forms if form is not None and form.clean and form.filled(shown, clean_piece) is not None)
    assert outputs["whole"] == outputs["slots"], "the slots changed a body's HTML"
    assert outputs["whole, nh3"] == outputs["slots, nh3"] == outputs["slots, pieces cleaned"], "cleaned differently"
    print(f"{len(calls)} renderings of {len({source for source, _ in calls})} bodies, ms each (medians of {runs}): "
          + ", ".join(f"{name} {times[name] / len(calls) * 1e3:.3f}" for name in ways)
          + f"; {filled} filled from their slots, {pieces} of them cleaned piece by piece, the same HTML")


if __name__ == "__main__":
    main()

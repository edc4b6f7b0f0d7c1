"""What a build wrote into an output folder, city by city (:class:`Manifest`): the next build
keeps a city whose inputs and output are as recorded, and links the files whose key is unchanged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ici_site.build.cache import append_marshal, digest, file_stamp, read_journal, stamp_of, write_marshal
from ici_site.build.output_watch import OutputWatch


@dataclass
class CityRecord:
    """What one city's last build wrote into an output folder."""

    key: str  # hash of every input of the city: equal means nothing to do
    base: str  # what every file of the city depends on (code, templates, date, city.yaml…)
    languages: list[str]  # published languages
    warnings: list[tuple[str, int | None, str, str]]  # Problem fields
    files: dict[str, tuple[str, list[str], tuple[int, int, int]]] = field(default_factory=dict)
    # path -> (key of the file, the city's document kinds its templates read, (inode, size, mtime))


class Manifest:
    """Per output folder: the :class:`CityRecord` of each city built there."""

    def __init__(self, cache: Path, out: Path, saved: dict[Path, Any], watch: OutputWatch | None = None) -> None:
        """``saved``: the manifests this process saved (:class:`~ici_site.build.state.State`), not read again;
        ``watch``: what changed in the output since this process checked or wrote it (``serve``)."""
        self.path = cache / f"manifest-{digest(str(out.resolve()))[:16]}.marshal"
        self.out, self._watch = out, watch
        self.cities: dict[str, CityRecord] = {}
        self._checked: dict[str, CityRecord | None] = {}  # current() of each city, for this build
        self._saved = saved
        self._changed: set[str] = set()  # cities committed or forgotten since the file was read or saved
        kept = saved.get(self.path)
        if kept is not None and kept[0] == file_stamp(self.path):  # what this process saved last: not re-read
            self.cities, self._on_disk = dict(kept[1]), kept[2]
            return
        stored, self._on_disk = read_journal(self.path)  # how many records the file holds (0: none, or broken)
        for slug, value in stored.items():
            if isinstance(value, (tuple, list)):  # None: a city forgotten
                self.cities[slug] = CityRecord(*value)

    def current(self, slug: str) -> CityRecord | None:
        """The city's record if its output folder still holds exactly what was written.

        Checked once per build (the output is only written at the end of one).
        """
        if slug not in self._checked:
            watch, record = self._watch, self.cities.get(slug)
            if watch is not None and record is not None and watch.unchanged(slug):
                self._checked[slug] = record  # nothing changed there since it was checked or written
            else:
                if watch is not None and record is not None:
                    watch.arm(slug)  # before the check: a change made while it runs counts next time
                self._checked[slug] = self._check(slug)
        return self._checked[slug]

    def _check(self, slug: str) -> CityRecord | None:
        record = self.cities.get(slug)
        if record is None:
            return None
        folder = str(self.out / slug)
        for path, (_, _, stamp) in record.files.items():
            try:
                st = os.stat(f"{folder}/{path}")
            except OSError:
                return None
            if stamp_of(st) != tuple(stamp):
                return None
        return record

    def commit(self, slug: str, record: CityRecord) -> None:
        """Keep ``record`` with the (inode, size, mtime) of each file, to notice later hand edits
        (a file linked from the last build has its stamp already: :meth:`found`)."""
        if self._watch is not None:
            self._watch.arm(slug)
        folder = str(self.out / slug)  # a string: a Path per file took longer than its stat
        for path, (key, seen, stamp) in record.files.items():
            if not stamp[0]:  # written by this build
                record.files[path] = (key, seen, stamp_of(os.stat(f"{folder}/{path}")))
        self.cities[slug] = self._checked[slug] = record
        self._changed.add(slug)

    def found(self, slug: str) -> dict[str, tuple[str, list[str], tuple[int, int, int]]]:
        """The files of the city's record as this build found them in place (:meth:`current`;
        none if it did not ask, or they were not): a file linked from there keeps its stamp."""
        record = self._checked.get(slug)
        return record.files if record else {}

    def forget(self, slug: str) -> None:
        """Drop the record of what is no longer built (the network, once network.yaml is gone)."""
        self.cities.pop(slug, None)
        self._checked.pop(slug, None)
        self._changed.add(slug)
        if self._watch is not None:
            self._watch.disarm(slug)

    def save(self) -> None:
        """Write the manifest (after the output has been swapped in): the records of the cities
        committed or forgotten since are appended to the file (an edit's build, one city of many),
        which is written anew, whole, once it holds twice as many records as cities."""
        if not self._changed:
            return
        changed = {slug: self._value(slug) for slug in sorted(self._changed)}
        if self._on_disk and self._on_disk + len(changed) <= 2 * len(self.cities) + 2 \
                and append_marshal(self.path, changed):
            self._on_disk += len(changed)
        else:
            write_marshal(self.path, {slug: self._value(slug) for slug in self.cities})
            self._on_disk = len(self.cities)
        self._changed.clear()
        self._saved[self.path] = (file_stamp(self.path), dict(self.cities), self._on_disk)

    def _value(self, slug: str) -> tuple[Any, ...] | None:
        record = self.cities.get(slug)
        return None if record is None else (record.key, record.base, record.languages, record.warnings, record.files)

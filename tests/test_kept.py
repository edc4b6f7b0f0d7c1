"""Kept bodies and fragments: what an edit adds is appended to the file, which stays bounded.

The kept stores only make builds faster (each entry carries what proves it still right,
``tests/test_incremental.py`` holds builds with them to builds without): here, that a file
read back holds what was kept, whatever stopped its writing.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from ici_site.build.cache import Kept


def kept(path: Path, limit: int = 4, memory: dict[Path, Any] | None = None) -> Kept:
    return Kept(path, limit, memory)


def saved(path: Path, entries: dict[str, Any], limit: int = 4, memory: dict[Path, Any] | None = None) -> None:
    store = kept(path, limit, memory)
    for key, value in entries.items():
        store.put(key, value)
    store.save()


def test_what_an_edit_adds_is_appended_and_read_back_with_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "fr.bodies"
    saved(path, {"a": "body a", "b": "body b"})
    before = path.read_bytes()
    saved(path, {"a": "body a", "b": "body b, edited"})  # one body changed: one record more
    assert path.read_bytes().startswith(before)
    assert len(path.read_bytes()) - len(before) == len(marshal.dumps({"b": "body b, edited"}))
    store = kept(path)
    assert (store.get("a"), store.get("b")) == ("body a", "body b, edited")
    saved(path, {"a": "body a", "b": "body b, edited"})  # nothing new: nothing written
    assert len(path.read_bytes()) - len(before) == len(marshal.dumps({"b": "body b, edited"}))


def test_a_record_cut_short_ends_the_file(tmp_path: Path) -> None:
    path = tmp_path / "fr.bodies"
    saved(path, {"a": "body a", "b": "body b"})
    saved(path, {"b": "body b, edited"})
    path.write_bytes(path.read_bytes()[:-3])  # a build stopped while appending
    store = kept(path)
    assert (store.get("a"), store.get("b")) == ("body a", "body b")
    store.put("c", "body c")
    store.save()  # written anew: appended after the broken end, it would never be read
    again = kept(path)
    assert (again.get("a"), again.get("b"), again.get("c")) == ("body a", "body b", "body c")


def test_the_file_is_written_anew_once_it_holds_twice_what_it_keeps(tmp_path: Path) -> None:
    path = tmp_path / "fr.bodies"
    sizes = []
    for number in range(40):
        saved(path, {f"key {number}": f"body {number}", "kept": "the same"}, limit=4)
        sizes.append(len(path.read_bytes()))
    assert max(sizes) < 3 * len(marshal.dumps({f"key {n}": f"body {n}" for n in range(4)}))
    store = kept(path)
    assert store.get("key 39") == "body 39" and store.get("kept") == "the same"
    assert store.get("key 0") is None  # long forgotten


def test_a_serving_process_appends_from_memory(tmp_path: Path) -> None:
    path, memory = tmp_path / "fr.bodies", {}
    saved(path, {"a": "body a"}, memory=memory)
    for number in range(3):
        saved(path, {"a": "body a", "b": f"edit {number}"}, memory=memory)
    assert memory[path][0]["b"] == "edit 2"
    assert kept(path).get("b") == "edit 2"  # another process reads the same from the file
    path.unlink()  # the cache removed while serving: written anew, not appended to nothing
    saved(path, {"a": "body a", "b": "edit 3"}, memory=memory)
    assert kept(path).get("b") == "edit 3" and kept(path).get("a") == "body a"


def test_how_a_body_is_shown_has_one_digest_for_equal_values_whatever_objects_hold_them() -> None:
    """A kept body is taken again when its messages are shown as before: equal texts give the
    same digest in any process (shared, interned or copied strings alike), any field changed
    another one."""
    import sys

    from ici_site.i18n.segments import Shown
    from ici_site.site.render import _shown

    text = "Cours de français, lundi 9 h"
    shared = Shown(text, "fr")
    first = _shown([shared, shared, Shown(sys.intern("fr"), "fr", "note", "en", "outdated", True)])
    copies = [Shown("".join(list(text)), b"fr".decode()) for _ in range(2)]  # new strings, equal
    assert _shown([*copies, Shown("fr", "fr", b"note".decode(), "en", "outdated", True)]) == first
    for change in ({"text": text + "."}, {"lang": "en"}, {"hint": "x"}, {"hint_lang": "fr"}, {"kind": "machine"},
                   {"machine": True}):
        assert _shown([shared._replace(**change), shared, Shown("fr", "fr", "note", "en", "outdated", True)]) != first
    assert _shown([shared, shared]) != first

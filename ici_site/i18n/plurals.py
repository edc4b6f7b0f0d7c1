"""Plural template strings (``ngettext``): the right form for a number in the reader's language.

The build's ``Catalogs`` keep singular entries only; plural entries are read here
from the same ``messages`` catalogs, with each catalog's own ``Plural-Forms``
rule, and follow the city's language chain like every template string.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from ici_site.content.model import City
from ici_site.errors import ContentError
from ici_site.i18n.catalogs import TEMPLATE_DOMAIN, interface_chain, po_path, read_catalog
from ici_site.i18n.safety import check_interface

if TYPE_CHECKING:
    from ici_site.i18n.translations import Catalogs

Forms = tuple[Callable[[int], int], dict[str, tuple[str, ...]]]


@cache
def _plural_forms(path: Path, mtime: float) -> Forms:
    """(plural rule, singular msgid -> every translated form) of one catalog; an entry
    whose forms fail :func:`~ici_site.i18n.safety.check_interface` is left out (English is shown)."""
    catalog = read_catalog(path)
    rule = stdlib_gettext.c2py(catalog.plural_expr)
    table = {}
    for message in catalog:
        strings = message.string
        if isinstance(message.id, tuple) and isinstance(strings, (tuple, list)) and not message.fuzzy \
                and all(strings) and not any(check_interface(tuple(message.id), form) for form in strings):
            table[message.id[0]] = tuple(strings)
    return rule, table


def template_ngettext(city: City, lang: str, known: Catalogs) -> Callable[[str, str, int], str]:
    """ngettext for template strings: the city's chain, then the English msgids.

    A catalog the build left out (``build --keep-going``) is left out here too.
    """
    catalogs = []
    for code in interface_chain(city, lang):
        if (TEMPLATE_DOMAIN, code) not in known.skipped:
            found = _forms(po_path(known.root, TEMPLATE_DOMAIN, code))
            if found is not None:
                catalogs.append(found)

    def ngettext(singular: str, plural: str, n: int) -> str:
        for rule, table in catalogs:
            forms = table.get(singular)
            if forms:
                return forms[min(rule(n), len(forms) - 1)]
        return singular if n == 1 else plural

    return ngettext


def read_ahead(root: Path, city: City) -> Iterator[Callable[[], object]]:
    """Steps reading the plural forms of every interface catalog ``city``'s languages use: taken
    before the renderers fork, they are read once, not again in each forked renderer."""
    codes = {code: None for lang in city.languages for code in interface_chain(city, lang)}
    yield from (partial(_read, po_path(root, TEMPLATE_DOMAIN, code)) for code in codes)


def _read(path: Path) -> None:
    try:
        _forms(path)
    except ContentError:  # the catalogs' stage reports it (or leaves it out: ``build --keep-going``)
        pass


def _forms(path: Path) -> Forms | None:
    """The plural forms of the interface catalog at ``path`` (None: there is none), read again
    only once the file changed."""
    return _plural_forms(path, path.stat().st_mtime) if path.exists() else None

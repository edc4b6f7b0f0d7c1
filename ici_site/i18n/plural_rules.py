"""One plural rule per language: CLDR's, as Babel writes it in a catalog header.

Every catalog of a language — the interface's ``messages.po`` and each city's — has
the ``Plural-Forms`` that Babel derives from CLDR (``babel.messages.plurals.get_plural``,
the rule ``init`` writes and ``Catalog.plural_forms`` gives). Hand-written or tool-written
headers (gettext's classic French ``nplurals=2; plural=(n > 1);``, Weblate's defaults) give
other forms for some counts and order the forms differently (gettext's Latvian puts the
"zero" form last, CLDR first), so one language's catalogs would not agree. The build
and ``check`` refuse such a header with its file and line; ``update`` writes CLDR's rule
and moves each entry's translated forms to the place the new rule gives them
(:func:`conform`).
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

# The counts compared: every count a page shows (services, pages: far below a thousand),
# and millions, where CLDR gives French, Spanish, Italian and Portuguese a form of their own.
SAMPLES = (*range(1001), 10**6, 2 * 10**6, 10**6 + 1)
# The count that stands for a form when forms move: the one a translator has in mind
# (1 for the singular, 2 for the plural), else the smallest count with that form.
REPRESENTATIVES = (1, 2, *SAMPLES)

Rule = Callable[[int], int]


def cldr_plural_forms(lang: str) -> str | None:
    """The ``Plural-Forms`` value of ``lang`` (``fr``, ``fa-AF``, ``fa_AF``); None for a
    language CLDR does not know."""
    try:
        return str(get_plural(Locale.parse(lang.replace("-", "_"))).plural_forms)
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=256)
def read_rule(value: str) -> tuple[int, Rule]:
    """(nplurals, rule) of a ``Plural-Forms`` value; ValueError saying what is wrong with it.

    The rule must name a form below ``nplurals`` for every count of :data:`SAMPLES`.
    """
    count = re.search(r"nplurals\s*=\s*(\d+)", value)
    formula = re.search(r"plural\s*=\s*([^;]+)", value)
    if not count or not formula:
        raise ValueError(f"has no {'nplurals' if not count else 'plural'}")
    try:
        rule = stdlib_gettext.c2py(formula.group(1).strip())
    except (ValueError, SyntaxError, RecursionError):
        raise ValueError("has a plural rule gettext cannot read") from None
    nplurals = int(count.group(1))
    for n in SAMPLES:
        try:
            form = rule(n)
        except ZeroDivisionError:
            raise ValueError(f"has a plural rule that divides by zero for {n}") from None
        if not 0 <= form < nplurals:
            raise ValueError(f"gives {n} form {form} but has nplurals={nplurals}")
    return nplurals, rule


@lru_cache(maxsize=256)
def disagreement(value: str, lang: str) -> str | None:
    """How a sound ``Plural-Forms`` value differs from CLDR's rule for ``lang``, or None."""
    expected = cldr_plural_forms(lang)
    if expected is None:
        return None
    nplurals, rule = read_rule(value)
    cldr_nplurals, cldr_rule = read_rule(expected)
    if nplurals != cldr_nplurals:
        return f"has nplurals={nplurals} where CLDR has {cldr_nplurals} forms for '{lang}'"
    for n in SAMPLES:
        if rule(n) != cldr_rule(n):
            return f"gives {n} form {rule(n)} where CLDR's rule for '{lang}' gives form {cldr_rule(n)}"
    return None


def conform(catalog: Catalog, lang: str) -> bool:
    """Give ``catalog`` CLDR's rule for ``lang`` if it has another; True if it changed.

    Each plural entry's forms move with the counts: the new form for a count is the text
    the old rule showed for that count (:data:`REPRESENTATIVES`), so a reader sees what the
    translator wrote for it. Where CLDR has more forms (French: "1 million de pages"), the
    extra form starts as the text the old rule showed for those counts.
    """
    expected = cldr_plural_forms(lang)
    if expected is None or catalog.plural_forms == expected:
        return False
    old_count, old_rule = read_rule(catalog.plural_forms)
    new_count, new_rule = read_rule(expected)
    source = [next((old_rule(n) for n in REPRESENTATIVES if new_rule(n) == form), min(form, old_count - 1))
              for form in range(new_count)]
    catalog.mime_headers = [("Plural-Forms", expected)]
    for message, strings in _plural_messages([*catalog, *catalog.obsolete.values()]):
        old = [*strings, *[""] * old_count]  # a short entry: its missing forms stay untranslated
        message.string = tuple(old[index] for index in source)
    return True


def _plural_messages(messages: Iterable[Message]) -> Iterator[tuple[Message, tuple[str, ...] | list[str]]]:
    """Each plural entry with its translated forms."""
    for message in messages:
        if isinstance(message.id, (tuple, list)) and isinstance(message.string, (tuple, list)):
            yield message, message.string

"""The Jinja environment of the site's templates, and the gettext functions they call.

Templates come from ``templates/`` (a city may override any of them in
``content/<city>/templates/``) through Jinja2 with the i18n extension and new-style
gettext: a translator's text is escaped, ``%(name)s`` variables are filled, and a
translation that cannot be filled falls back to the English msgid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from ici_site.content.model import City
from ici_site.site import csp
from ici_site.site.sanitize import template_text

HEADING = re.compile(r"<(/?)h([1-6])\b")


def make_environment(root: Path, city: City | None) -> Environment:
    """The Jinja environment of a city: its own templates first, then the project's
    (a city without templates of its own, and the network (None), get the project's alone)."""
    own = root / "content" / city.slug / "templates" if city else None
    loader = ChoiceLoader([FileSystemLoader(own), FileSystemLoader(root / "templates")]) if own and own.is_dir() \
        else FileSystemLoader(root / "templates")
    env = Environment(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a changed template makes a new environment (build.city_environment)
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # read by the i18n extension
    env.globals["csp"] = csp.POLICY
    env.filters["shift_headings"] = shift_headings
    return env


def compiling(env: Environment) -> Iterator[Callable[[], object]]:
    """Compiling each page template and icon of ``env``, a step each (the environment keeps them)."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html") or name.startswith("icons/")):
        yield partial(env.get_template, name)


def shift_headings(html: Markup, by: int) -> Markup:
    """Move every heading ``by`` levels down (at most h6), for a body shown inside a larger page."""
    if by <= 0:
        return html
    return Markup(HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + by)}", str(html)))


def newstyle(gettext: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style gettext: autoescape-aware, with %(name)s variables."""

    known: dict[str, str] = {}  # each string without variables as shown (it recurs on every page)

    @pass_context
    def wrapped(context: Any, string: str, **variables: Any) -> str:
        if not variables and context.eval_ctx.autoescape:
            shown = known.get(string)
            if shown is None:
                shown = known[string] = _filled(template_text(string, gettext(string)), string, {}, True)
            return shown
        result = gettext(string)
        if context.eval_ctx.autoescape:  # a translator's markup is text, not HTML
            result = template_text(string, result)
        return _filled(one_full_stop(result, variables), string, variables, context.eval_ctx.autoescape)

    return wrapped


END_TAGS = re.compile(r"(?:</[a-z]+>)+$")  # closing tags at the end of a value


def one_full_stop(message: str, variables: dict[str, Any]) -> str:
    """Drop a sentence's full stop right after a value that already ends with one.

    CLDR's long dates end with an abbreviation in some languages ("2026 р.", "2026 г."):
    "перевірено %(date)s." must not read "2026 р..".
    """
    for name, value in variables.items():
        # a value may be markup (a date is a <time datetime> element): its text is what ends
        if isinstance(value, str) and END_TAGS.sub("", value).endswith("."):
            message = message.replace(f"%({name})s.", f"%({name})s")
    return message


def _newstyle_plural(ngettext: Callable[[str, str, int], str]) -> Callable[..., str]:
    """Jinja's new-style ngettext: the number is ``%(num)d`` in the string."""

    @pass_context
    def wrapped(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
        result = ngettext(singular, plural, num)
        if context.eval_ctx.autoescape:  # a translator's markup is text, not HTML
            result = template_text(singular, result)
        return _filled(result, singular if num == 1 else plural, {"num": num, **variables},
                       context.eval_ctx.autoescape)

    return wrapped


def _filled(translation: str, msgid: str, variables: dict[str, Any], autoescape: bool) -> str:
    """``translation % variables``, or the English ``msgid``'s if the translation cannot be
    filled in (``check`` and ``build`` report such a translation with its file and line;
    this is the last guard: a page never stops on a translator's '%')."""
    try:
        return translation % variables  # type: ignore[no-any-return]
    except (KeyError, ValueError, TypeError):
        english = template_text(msgid, msgid) if autoescape else msgid
        return english % variables  # type: ignore[no-any-return]


class Variables(dict[str, Any]):
    """A template's variables: the documents it shows now (what the build's keys read), and
    ``later`` adding the costly rest (hours tables, JSON-LD) only if the page is rendered."""

    def __init__(self, now: dict[str, Any], later: Callable[[], dict[str, Any]]) -> None:
        super().__init__(now)
        self.later = later


class Later(Mapping[str, Any]):
    """A mapping made by ``make`` when a template first reads it."""

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self._make = make
        self._made: Mapping[str, Any] | None = None

    def _value(self) -> Mapping[str, Any]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str) -> Any:
        return self._value()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())

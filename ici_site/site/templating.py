"""The Jinja environment of the site's templates, and the gettext functions they call.

Templates come from ``templates/`` (a city may override any of them in
``content/<city>/templates/``) through Jinja2 with the i18n extension and new-style
gettext: a translator's text is escaped, ``%(name)s`` variables are filled, and a
translation that cannot be filled falls back to the English msgid.

The environment renders as stock Jinja does, with less work per call and per ``{{ … }}``
(:class:`PageContext`, :class:`PageCode`); ``tests/test_templating.py`` compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from functools import partial
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import Context
from jinja2.utils import _PassArg
from markupsafe import Markup, escape

from ici_site.content.model import City
from ici_site.site import csp
from ici_site.site.sanitize import template_text

try:  # MarkupSafe's C escaping, without the Markup around it
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover  # another MarkupSafe: its escape() does the same
    _escape_inner = escape

HEADING = re.compile(r"<(/?)h([1-6])\b")
_PLAIN = frozenset({FunctionType, MethodType})  # callables PageContext calls without Jinja's look-ups


class PageContext(Context):
    """Jinja's context, whose :meth:`call` goes straight to a plain function or method.

    Jinja passes every call a template makes (``_("…")``, ``page_link(…)``, a macro) through
    ``Context.call``, which looks for ``pass_context`` and its kin on the callable and on its
    ``__call__`` each time. A function or bound method has no ``__call__`` of its own to look
    at; if it has no ``jinja_pass_arg`` it is called as it is, and one marked ``pass_context``
    gets this context first, as Jinja would give it, unless the call names loop or block
    variables (then Jinja's own ``call`` makes the context they need).
    """

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        if type(obj) in _PLAIN and not kwargs.get("_loop_vars") and not kwargs.get("_block_vars"):
            pass_arg = getattr(obj, "jinja_pass_arg", None)
            if pass_arg is None or pass_arg is _PassArg.context:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
                try:
                    return obj(*args, **kwargs) if pass_arg is None else obj(self, *args, **kwargs)
                except StopIteration:  # as Jinja's own call answers it
                    return self.environment.undefined("value was undefined because a callable raised a"
                                                      " StopIteration exception")
        return super().call(obj, *args, **kwargs)


def shown(value: Any) -> str:
    """What ``{{ value }}`` writes into an autoescaped page: ``escape(value)``, the same text,
    without making a ``Markup`` of a ``str`` (escaped) or of a ``Markup`` (kept): the page
    only joins them."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    return escape(value)


class PageCode(CodeGenerator):
    """Jinja's code generator, writing each ``{{ … }}`` of an autoescaped template through
    :func:`shown` instead of ``escape``."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.shown(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class PageEnvironment(Environment):
    """Jinja's environment, whose templates keep their globals in one dict.

    Jinja keeps a template's globals as a ``ChainMap`` of its own and the environment's, and
    copies it into every context it makes (a page, each ``{% include %}``, each call of a
    macro that reads the caller's context), reading it key by key in Python: two thirds of the
    time to make one. The environment's globals are all set when it is made
    (:func:`make_environment`), before it loads its first template, so a copy of them serves
    every template; what ``get_template(…, globals=…)`` adds stays that template's own.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(root: Path, city: City | None) -> Environment:
    """The Jinja environment of a city: its own templates first, then the project's
    (a city without templates of its own, and the network (None), get the project's alone)."""
    own = root / "content" / city.slug / "templates" if city else None
    loader = ChoiceLoader([FileSystemLoader(own), FileSystemLoader(root / "templates")]) if own and own.is_dir() \
        else FileSystemLoader(root / "templates")
    env = PageEnvironment(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a changed template makes a new environment (build.city_environment)
    )
    env.context_class = PageContext
    env.code_generator_class = PageCode
    env.shown = shown  # type: ignore[attr-defined]  # read by the code PageCode writes
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # read by the i18n extension
    env.globals["csp"] = csp.POLICY
    env.filters["shift_headings"] = shift_headings
    return env


def compiling(env: Environment) -> Iterator[Callable[[], object]]:
    """Compiling each page template and icon of a city's ``env``, a step each (the environment keeps
    them). Not the network's (``network*.html``): its pages are made once, in the build's own
    process after the cities', and their templates compiled then (none without a network)."""
    for name in env.list_templates(filter_func=_city_template):
        yield partial(env.get_template, name)


def _city_template(name: str) -> bool:
    return (name.endswith(".html") and not name.startswith("network")) or name.startswith("icons/")


def shift_headings(html: Markup, by: int) -> Markup:
    """Move every heading ``by`` levels down (at most h6), for a body shown inside a larger page."""
    if by <= 0:
        return html
    return Markup(HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + by)}", str(html)))


def newstyle(gettext: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style gettext: autoescape-aware, with %(name)s variables."""

    # What each string gave, kept: alone (most calls: it recurs on every page) by the string
    # itself, with plain variables (a placeholder, a date) by the string and their values
    shown_as: dict[object, str] = {}

    @pass_context
    def wrapped(context: Any, string: str, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        if not variables and autoescape:
            key: object = string
        elif all(type(value) in PLAIN_VALUES for value in variables.values()):
            # a value's type is in the key: a str is escaped where the Markup of the same text is not
            key = (string, autoescape, *[(name, type(value), value) for name, value in variables.items()])
        else:
            key = None
        shown = shown_as.get(key) if key is not None else None
        if shown is None:
            result = gettext(string)
            if autoescape:  # a translator's markup is text, not HTML
                result = template_text(string, result)
            shown = _filled(one_full_stop(result, variables), string, variables, autoescape)
            if key is not None:
                if len(shown_as) >= MAX_SHOWN:  # a site of a thousand dates: stay small
                    shown_as.clear()
                shown_as[key] = shown
        return shown

    return wrapped


PLAIN_VALUES = frozenset({str, Markup, int})  # the variables' types whose fill newstyle keeps
MAX_SHOWN = 4096


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

"""The site's Jinja environment renders a template exactly as stock Jinja does.

It writes each ``{{ … }}`` through a shorter escape and calls plain functions without
Jinja's look-ups (``templating.PageCode``, ``templating.PageContext``): a city's own
templates, and a value of any kind, must not see the difference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import (
    Environment,
    StrictUndefined,
    UndefinedError,
    pass_context,
    pass_environment,
    pass_eval_context,
)
from markupsafe import Markup

from ici_site.site.templating import make_environment

TEMPLATE = """\
{% macro item(x) %}<li title="{{ x }}">{{ x }}</li>{% endmacro %}
{{ text }} {{ safe }} {{ number }} {{ ratio }} {{ nothing }} {{ flag }} {{ items }} {{ text ~ safe }}
{{ plain("a<b") }} {{ method("c&d") }} {{ with_context("e'f") }} {{ with_environment('g"h') }}
{{ with_eval_context("i>j") }} {{ callable_object("k<l") }} {{ stops() is undefined }}|
{% for t in items %}{% set shown = t ~ "!" %}{{ with_context(shown) }} {{ plain(shown) }} {{ item(t) }}{% endfor %}
{% set block %}{% set shown = "in a block" %}<p>{{ with_context(text) }}</p>{% endset %}{{ block }} {{ block|length }} {{ safe|upper }} {{ text|e }}
{% block main %}{% for t in items %}{{ with_context(t) }}{{ loop.index }}{% endfor %}{% endblock %}
{{ "%s &amp; %s"|format(text, safe) }} {{ items|join(text) }} {{ (text if flag else safe) }}
"""


class Greeter:
    def greet(self, value: str) -> str:
        return f"<{value}>"


class Calling:
    @pass_context
    def __call__(self, context: Any, value: str) -> str:
        return f"{context['text']}:{value}"


@pass_context
def with_context(context: Any, value: str) -> str:
    return f"{context.get('number')}{context.get('shown', '')}<{value}>"  # shown: set in a loop


@pass_environment
def with_environment(environment: Environment, value: str) -> str:
    return f"{environment.autoescape}<{value}>"


@pass_eval_context
def with_eval_context(eval_context: Any, value: str) -> str:
    return f"{eval_context.autoescape}<{value}>"


def stops() -> str:
    raise StopIteration


VALUES: dict[str, Any] = {
    "text": "Cours & <ateliers> \"l'été\"", "safe": Markup("<em>déjà</em> &amp; sûr"), "number": 42,
    "ratio": 0.5, "nothing": None, "flag": True, "items": ["<a>", Markup("<b>"), "c&d"],
    "plain": lambda value: f"[{value}]", "method": Greeter().greet, "with_context": with_context,
    "with_environment": with_environment, "with_eval_context": with_eval_context,
    "callable_object": Calling(), "stops": stops,
}


def stock() -> Environment:
    """Jinja as it comes, with the site's settings."""
    return Environment(autoescape=True, extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def test_a_template_renders_every_kind_of_value_and_call_as_stock_jinja_does(tmp_path: Path) -> None:
    site, jinja = make_environment(tmp_path, None), stock()
    for env in (site, jinja):
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # the i18n extension's
    ours = site.from_string(TEMPLATE).render(VALUES)
    assert ours == jinja.from_string(TEMPLATE).render(VALUES)
    assert "Cours &amp; &lt;ateliers&gt; &#34;l&#39;été&#34;" in ours  # escaped once
    assert "<em>déjà</em> &amp; sûr" in ours  # kept as it is
    assert "42&lt;e&#39;f&gt;" in ours  # pass_context got the context


def test_a_translated_string_in_a_loop_with_variables_is_what_stock_jinja_shows(tmp_path: Path) -> None:
    template = '{% for n in [1, 2] %}{% set word = "x" ~ n %}{{ _("%(w)s & more", w=word) }} {{ _("<b>") }}{% endfor %}'
    site, jinja = make_environment(tmp_path, None), stock()
    for env in (site, jinja):
        env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension's
            lambda s: f"«{s}»", lambda s, p, n: s if n == 1 else p, newstyle=True)
    assert site.from_string(template).render() == jinja.from_string(template).render()
    assert site.from_string(template).render() == "«x1 & more» «<b>»«x2 & more» «<b>»"  # Jinja trusts a msgid


def test_an_unknown_name_still_stops_the_render(tmp_path: Path) -> None:
    site = make_environment(tmp_path, None)
    with pytest.raises(UndefinedError, match="'missing' is undefined"):
        site.from_string("{{ missing }}").render()
    with pytest.raises(UndefinedError, match="'missing' is undefined"):
        site.from_string("{{ missing('x') }}").render()


def test_included_templates_and_imported_macros_see_the_globals_as_stock_jinja_does(tmp_path: Path) -> None:
    """A template's globals are one dict (templating.PageEnvironment): an include, a macro
    imported with or without the context, and the globals given to one template alone (kept
    from the others) read what they read in stock Jinja."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text('{% import "macros.html" as m %}{% from "macros.html" import show with context %}'
                                      '{% set local = "L" %}{% include "part.html" %}|{{ m.show() }}|{{ show() }}'
                                      '|{{ csp[:11] }}|{{ own is defined }}', encoding="utf-8")
    (folder / "part.html").write_text("{{ local }}{{ range(2)|list }}{{ own|default('-') }}{{ text }}", encoding="utf-8")
    (folder / "macros.html").write_text("{% macro show() %}{{ cycler is defined }}{{ own|default('-') }}"
                                        "{{ local|default('-') }}{% endmacro %}", encoding="utf-8")
    site = make_environment(tmp_path, None)
    jinja = Environment(loader=site.loader, autoescape=True, extensions=["jinja2.ext.i18n"], undefined=StrictUndefined)
    jinja.globals["csp"] = site.globals["csp"]
    for env in (site, jinja):
        first = env.get_template("page.html", globals={"own": "O"}).render(text="T")
        assert first == env.get_template("page.html").render(text="T")  # the globals stay the template's
    assert site.get_template("page.html").render(text="T") == jinja.get_template("page.html").render(text="T")
    assert site.get_template("part.html").render(local="x", text="T") == "x[0, 1]-T"  # not the page's own


def test_a_citys_head_start_compiles_its_pages_templates_and_not_the_networks(tmp_path: Path) -> None:
    """The steps a build takes ahead while the catalogs are read compile every template a city's
    pages use (else each render worker compiles them again), and not the network's: a site
    without a network never needs them, and one with a network compiles them once, for its pages."""
    from conftest import make_project

    from ici_site.site.templating import compiling
    root = make_project(tmp_path / "project")
    env = make_environment(root, None)
    for step in compiling(env):
        step()
    compiled = {name for _, name in env.cache} if env.cache is not None else set()  # (weak loader, name)
    pages = {"base.html", "home.html", "service.html", "_service.html", "category.html", "guide.html",
             "search.html", "offline.html", "root.html", "translation-status.html", "icons/globe.svg"}
    assert pages <= compiled
    assert not {name for name in compiled if name.startswith("network")}
    assert {"network.html", "network-root.html"} <= set(env.list_templates())  # there to compile, left


def test_a_string_filled_with_the_same_variables_again_shows_the_same(tmp_path: Path) -> None:
    """The site's gettext keeps what a string with plain variables gave (a placeholder or a date
    recurs on every page): a str value is escaped and the Markup of the same text is not, and a
    translator's markup stays text, the second time as the first."""
    from ici_site.site.templating import newstyle

    def gettext(string: str) -> str:
        return "<script>x</script> le %(date)s." if string.startswith("On") else string

    template = ('{{ _("On %(date)s.", date=a) }}|{{ _("On %(date)s.", date=b) }}|{{ _("On %(date)s.", date=c) }}'
                '|{{ _("%(n)s & co", n=n) }}')
    values = {"a": "<i>1 June</i>", "b": Markup("<i>1 June</i>"), "c": Markup("<time>1 juin 2026.</time>"), "n": 3}
    site = make_environment(tmp_path, None)
    kept = newstyle(gettext)
    first = site.from_string(template).render(_=kept, **values)
    assert first == ("&lt;script&gt;x&lt;/script&gt; le &lt;i&gt;1 June&lt;/i&gt;.|"
                     "&lt;script&gt;x&lt;/script&gt; le <i>1 June</i>.|"
                     "&lt;script&gt;x&lt;/script&gt; le <time>1 juin 2026.</time>|3 &amp; co")
    assert site.from_string(template).render(_=kept, **values) == first
    assert site.from_string(template).render(_=newstyle(gettext), **values) == first

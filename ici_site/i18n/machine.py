"""Telling readers what a machine translated: one notice per page, or a label per block.

The EU AI Act (art. 50) asks that readers be told a text was machine-generated. A
page whose every translated text comes from a catalog entry flagged
``machine-translated`` says so once, under its heading, in the reader's language,
with a link to the same page in the source language; its texts carry no label of
their own. A page where only some texts are machine-made labels exactly those, and
its notice says that parts of the page are. Text shown in another language (a
fallback) keeps its own "not yet translated" marking on any page.

Which of the two a page is becomes known only once all of it is rendered, so
rendering leaves tokens — :data:`LABEL` after each machine-translated text,
:data:`NOTICE` where the template calls ``machine_notice()`` — and :func:`finish`
settles them on the finished page. Kept bodies and fragments hold the tokens, not a
decision, so they serve pages of either kind. The tokens are control characters,
which content and translations can never hold (:mod:`~ici_site.content.invisible` refuses
them) and which nh3 and the bidi isolation leave in place.
"""

from __future__ import annotations

from collections.abc import Callable

LABEL = "\x1f"  # after a machine-translated text: its label, unless the page's notice covers it
NOTICE = "\x1e"  # where the page's notice goes: templates write {{ machine_notice() }}


def finish(html: str, unflagged: bool, notice: Callable[[bool], str], label: str) -> str:
    """``html`` with its tokens settled.

    ``unflagged``: the page shows a text translated into the reader's language by an
    entry not flagged machine-translated. ``notice(whole)`` renders the notice
    (``whole``: every translated text of the page is machine-made); ``label`` is the
    markup of one block's label. A page whose template has no place for the notice
    (a city's own template) keeps every label: readers are told either way.
    """
    if LABEL not in html:  # nothing machine-made: no notice (a source-language page never has one)
        return html.replace(NOTICE, "")
    whole = not unflagged and NOTICE in html
    html = html.replace(LABEL, "" if whole else label)
    before, slot, after = html.partition(NOTICE)  # the first place the template offers
    return before + (notice(whole) if slot else "") + after.replace(NOTICE, "")

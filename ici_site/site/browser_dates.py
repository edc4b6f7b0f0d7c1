"""Day names, times and dates the browser writes, in the reader's language, from Babel.

app.js writes "Closed now. Opens Monday at 9:00." and "Saved on this phone on 23 November
2026." after the page has loaded. Chromium's ``Intl`` knows no Tigrinya, Somali, Pashto or
Sorani (it writes "Monday", "09:00 AM", "November 23, 2026"), and for Persian it writes
another calendar than the page. So the build writes what the script needs into the
elements that use it, from the CLDR data Babel has for every language the site
publishes: the same names and formats as the hours table and the dates of the page.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Literal

from babel.dates import get_day_names, get_era_names, get_month_names, tokenize_pattern

from ici_site.i18n.languages import locale
from ici_site.site.hours import OpenData, format_minutes

# CLDR date fields app.js fills in (``{d}``, ``{MMMM}``...), by letter and width.
FIELDS = {("d", 1): "{d}", ("d", 2): "{dd}", ("M", 1): "{M}", ("M", 2): "{MM}", ("M", 3): "{MMM}",
          ("M", 4): "{MMMM}", ("L", 1): "{M}", ("L", 2): "{MM}", ("L", 3): "{MMM}", ("L", 4): "{MMMM}",
          ("y", 1): "{y}", ("y", 2): "{yy}", ("y", 4): "{y}"}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def day_names(lang: str) -> str:
    """Monday to Sunday as a sentence writes them ("lundi", "ሰኑይ"): a JSON list."""
    names = get_day_names("wide", locale=locale(lang))
    return _json([names[day] for day in range(7)])


def times(data: OpenData, lang: str) -> str:
    """Each minute where a span of ``data`` starts or ends, as the hours table writes it:
    a JSON object {"540": "9:00", "1440": "24:00"}."""
    spans = re.findall(r"(\d+)-(\d+)", f"{data.week} {data.exceptions}")
    minutes = {int(m) for span in spans for m in span}
    return _json({str(m): format_minutes(m, lang, end=m == 1440) for m in sorted(minutes)})


@cache  # every page of a language asks
def long_date(lang: str) -> tuple[str, str]:
    """(CLDR's long date pattern with ``{d}``/``{MMMM}``/``{y}`` fields, the month names it
    uses as a JSON list); ("", "") when the pattern has a field app.js cannot fill (then it
    writes the ISO date)."""
    pattern = locale(lang).date_formats["long"].pattern
    template: list[str] = []
    width: Literal["abbreviated", "wide"] = "wide"
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            template.append(str(value).replace("{", "(").replace("}", ")"))
            continue
        letter, count = str(value[0]), int(value[1])
        if letter == "G":  # the era: the same for any date a reader saves a page on
            template.append(get_era_names("abbreviated", locale=locale(lang))[1])
        elif (letter, min(count, 4)) in FIELDS or (letter == "y" and count != 2):
            field = FIELDS.get((letter, min(count, 4)), "{y}")
            width = "abbreviated" if field == "{MMM}" else width
            template.append(field)
        else:
            return "", ""
    months = get_month_names(width, locale=locale(lang))
    return "".join(template), _json([months[m] for m in range(1, 13)])

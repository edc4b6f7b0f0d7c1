"""Real national short numbers (Greece's SOS line 15900, Belgium's 1733, Spain's 016) are
accepted in phone fields and dialled as they are: ``tel:15900``, never ``tel:+3015900``."""

from __future__ import annotations

import re

import pytest

from ici_site.content import fields as f
from ici_site.errors import Problems


@pytest.mark.parametrize(("country", "raw", "tel"), [
    ("GR", "15900", "15900"),  # missing from libphonenumber's metadata: ici_site/site/shortnumbers.py
    ("GR", "15 900", "15900"),
    ("BE", "1733", "1733"),
    ("ES", "016", "016"),
    ("IT", "1522", "1522"),
    ("LV", "113", "113"),
])
def test_a_national_short_number_is_a_phone_number(country, raw, tel) -> None:
    number = f.phone(raw, f.At("city.yaml", 1, "phone", Problems(), country))
    assert (number.tel, number.display) == (tel, tel)


def test_an_unknown_short_number_says_it_is_no_short_number_of_the_country() -> None:
    with pytest.raises(f.Invalid, match=r"'1571' is not a valid phone number in GR, nor a short number GR has"):
        f.phone("1571", f.At("city.yaml", 1, "phone", Problems(), "GR"))


def test_a_city_lists_15900_and_its_pages_link_the_numbers_it_lists(project, cli) -> None:
    root = project("short-numbers")
    assert cli(root, "build").code == 0
    assert cli(root, "check").code == 0
    home = (root / "_site" / "livadeia" / "el" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="tel:15900"><span class="number" dir="ltr">15900</span>', home)
    service = (root / "_site" / "livadeia" / "el" / "services" / "grammi-sos.html").read_text(encoding="utf-8")
    assert 'class="call-now" href="tel:15900"' in service
    assert '<strong><a href="tel:15900" dir="ltr">15900</a></strong> ή στο <a href="tel:112" dir="ltr">112</a>' in service
    text = service[service.index("Τηλεφωνήστε"):service.index("δεν υπάρχει")]
    # not a year, a postal code, an amount, a decimal, nor a number the city does not list
    assert re.findall(r'href="tel:(\d+)"', text) == ["15900", "112"]
    assert "+3015900" not in service


@pytest.mark.parametrize(("text", "linked"), [
    ("الطوارئ 112 و100 و166 و199", ["112", "100", "166", "199"]),  # Arabic joins "and" to the number
    ("اتصل بـ١٥٩٠٠ أو ١١٢", ["15900", "112"]),  # Arabic-Indic digits dial ASCII ones
    ("رقم166 و2022", []),  # joined to a whole word, or not a listed number
])
def test_a_listed_short_number_in_arabic_text_is_a_link(text: str, linked: list[str]) -> None:
    from ici_site.site.phones import link_phones
    html = link_phones(f"<p>{text}</p>", "GR", frozenset({"112", "100", "166", "199", "15900"}))
    assert re.findall(r'href="tel:(\d+)" dir="ltr"', html) == linked

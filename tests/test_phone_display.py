"""A phone number is shown as the editor grouped it when it is the same number written the
local way (Belgium writes 070 245 245; libphonenumber would show 070 24 52 45), and in the
country's own style otherwise."""

from __future__ import annotations

import pytest

from ici_site.content import fields as f
from ici_site.errors import Problems


@pytest.mark.parametrize(("country", "raw", "shown", "tel"), [
    ("BE", "070 245 245", "070 245 245", "+3270245245"),  # the editor's grouping is kept
    ("BE", "070245245", "070 24 52 45", "+3270245245"),  # no grouping given: the national style
    ("FR", "01.99.00.12.30", "01.99.00.12.30", "+33199001230"),
    ("FR", "+33 1 99 00 12 30", "01 99 00 12 30", "+33199001230"),  # international: shown nationally
    ("LV", "+371 6000 0012", "60 000 012", "+37160000012"),  # libphonenumber's Latvian style
    ("BE", "112", "112", "112"),
])
def test_a_phone_number_is_shown_as_written_when_it_is_written_the_local_way(country, raw, shown, tel) -> None:
    number = f.phone(raw, f.At("city.yaml", 1, "phone", Problems(), country))
    assert (number.display, number.tel) == (shown, tel)

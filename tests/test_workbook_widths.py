"""How wide a cell's text is: wide East Asian characters count two, whatever the text's mix."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from storyfacts.workbook.styles import display_width


def _counted_one_by_one(line: str) -> int:
    return sum(
        2 if ord(c) >= 0x1100 and unicodedata.east_asian_width(c) in "WF" else 1 for c in line
    )


_MIXED = st.text(alphabet=st.sampled_from("aZé Жя—’“”普京习近平、。ｱ가한\U0001f600\u1100\u10ff"))


@settings(max_examples=300, deadline=None)
@given(line=_MIXED | st.text())
def test_the_width_is_the_sum_of_each_characters(line: str) -> None:
    """Either way of counting (first candidate wide or not) gives the characters' sum."""
    assert display_width(line) == _counted_one_by_one(line)


def test_text_of_each_script() -> None:
    assert display_width("Moscow") == 6
    assert display_width("l’agence — déjà") == 15
    assert display_width("Президент") == 9
    assert display_width("普京与习近平") == 12
    assert display_width("“普京” said") == 2 + 4 + 5
    assert display_width("普京 — Putin") == 4 + 8

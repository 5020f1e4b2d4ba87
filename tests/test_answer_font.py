"""The wider typeface for filled-in answers (macros/answer_font.py): it has the letters the
PDF's WinAnsi form font lacks and keeps nothing pdf-lib does not use (it is served but not
precached: tests/test_forms_offline.py)."""
from __future__ import annotations

import stat

from fontTools.ttLib import TTFont

from macros import answer_font


def test_the_answer_font_has_latin_greek_and_cyrillic_letters_and_no_layout_tables():
    path = answer_font.answer_font()
    font = TTFont(path)
    cmap = font.getBestCmap()
    for letter in "AzÑñễŁłźİşĂăΕλένηИванЁё€əɛɔɓɗʻʼﬁ−":
        assert ord(letter) in cmap, f"{letter!r} (U+{ord(letter):04X}) is not in the answer font"
    assert ord("学") not in cmap   # beyond the blocks kept: forms.js prints "?" and says so
    assert not {"GSUB", "GPOS", "GDEF", "fvar", "gvar"} & set(font.keys())
    assert path.stat().st_mode & stat.S_IROTH, "the site's copy would not be readable by the web server"
    assert answer_font.answer_font() == path   # made once, then read from the cache

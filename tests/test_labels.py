"""Long user text is shortened where it is drawn or printed, and kept whole in files."""

import pytest

from glassnet.views.labels import shorten, shorten_all


def test_shorten_keeps_short_names_and_cuts_long_ones_to_the_width():
    assert shorten("cat") == "cat"
    assert shorten("x" * 24) == "x" * 24
    assert shorten("x" * 3000) == "x" * 21 + "..."
    assert shorten("two\nlines\tand  tabs", 40) == "two lines and tabs"
    assert shorten(12345678, 6) == "123..."
    with pytest.raises(ValueError, match="at least 4"):
        shorten("abc", 3)


def test_names_the_cut_makes_equal_stay_distinct():
    names = ["a" * 3000 + "1", "a" * 3000 + "2", "b", "a" * 3000 + "3"]
    short = shorten_all(names, 10)
    assert len(set(short)) == 4 and max(map(len, short)) <= 10
    assert short == ["aaaaaaa.~1", "aaaaaaa.~2", "b", "aaaaaaa.~3"]

"""A Chinese syllabus's tiers (了解 < 理解, 熟悉 < 掌握) name levels on any scale, by rank.
Observed: the map's paste and the link import read them only on a scale whose codes are I, R
and M; a field whose scale is coded 1, 2, 3, or has four levels, got "Unknown level" for a
designer's course-objective matrix written in them."""

import pytest

from positions.models import Level
from positions.selectors import level_of_tier, levels_named

pytestmark = pytest.mark.django_db


def _scale(*codes: str) -> None:
    """Replace the default scale with levels of these codes, lowest first (names that no tier
    word is close to)."""
    Level.objects.all().delete()
    for rank, code in enumerate(codes, start=1):
        Level.objects.create(code=code, name=f"Step {code}", rank=rank * 10)


def _read(word: str) -> list[str]:
    return [level.code for level in levels_named(word, Level.objects.all())]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # The default scale, read by its codes exactly as before.
        (None, {"了解": ["I"], "理解": ["R"], "熟悉": ["R"], "掌握": ["M"]}),
        (("1", "2", "3"), {"了解": ["1"], "理解": ["2"], "熟悉": ["2"], "掌握": ["3"]}),
        # Four levels: the middle tier is the level just below the highest.
        (("A", "B", "C", "D"), {"了解": ["A"], "理解": ["C"], "熟悉": ["C"], "掌握": ["D"]}),
        # Five: the middle one.
        (("1", "2", "3", "4", "5"), {"了解": ["1"], "理解": ["3"], "熟悉": ["3"], "掌握": ["5"]}),
        # Two levels have no middle: 理解 and 熟悉 name none (refused, never guessed).
        (("1", "2"), {"了解": ["1"], "理解": [], "熟悉": [], "掌握": ["2"]}),
        # One level is both the lowest and the highest.
        (("X",), {"了解": ["X"], "理解": [], "熟悉": [], "掌握": ["X"]}),
    ],
)
def test_the_tiers_name_the_lowest_middle_and_highest_level_by_rank(codes, expected):
    if codes is not None:
        _scale(*codes)
    assert {word: _read(word) for word in expected} == expected


def test_a_scale_holding_i_r_and_m_reads_them_by_code_with_a_level_added():
    """The default scale with a fourth level (a nursing school's E above M) keeps 掌握 as M:
    the codes I, R and M say what the tiers are, as they always have."""
    Level.objects.create(code="E", name="Expert", rank=40)
    assert {word: _read(word) for word in ("了解", "理解", "掌握")} == {
        "了解": ["I"],
        "理解": ["R"],
        "掌握": ["M"],
    }


def test_a_tier_on_no_levels_is_none():
    assert level_of_tier("M", []) is None
    Level.objects.all().delete()
    assert _read("掌握") == []

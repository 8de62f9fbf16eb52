"""Every level of a site's scale has its own shade in the heat map: a nursing school's fourth
level (E, Expert, added in the admin) put R and M on one shade, so the map, its legend and the
workbook showed two depths as one. Three levels keep the three shades they had."""

import pytest

from positions.models import Level
from positions.selectors import level_scale

pytestmark = pytest.mark.django_db


def _legend_shades(html: str) -> list[str]:
    legend = html[html.index('class="legend') :]
    legend = legend[: legend.index("</ul>")]
    shades = [part.split('"')[0] for part in legend.split('class="swatch shade-')[1:]]
    return [shade for shade in shades if shade != "0"]  # "not taught"


def test_three_levels_keep_their_three_shades():
    assert [str(level.shade) for level in level_scale()] == ["1", "2", "3"]


@pytest.mark.parametrize("extra", [1, 2])
def test_four_or_five_levels_each_have_a_shade_of_their_own(extra):
    for n in range(extra):
        Level.objects.create(code=f"E{n}", name=f"Expert {n}", rank=4 + n)

    shades = [str(level.shade) for level in level_scale()]

    assert len(set(shades)) == len(shades) == 3 + extra
    assert shades[0] == "1"
    assert shades[-1] == "3"


def test_the_legend_shows_four_levels_in_four_shades(client):
    from curricula.tests.factories import ProgrammeFactory

    Level.objects.create(code="E", name="Expert", rank=4)
    programme = ProgrammeFactory()

    html = client.get(programme.get_absolute_url()).content.decode()

    shades = _legend_shades(html)
    assert len(shades) == len(set(shades)) == 4, shades

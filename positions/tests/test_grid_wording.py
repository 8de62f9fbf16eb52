"""With the paper loaded, the positions list calls its grid Table I (intro, heading, empty
search) only while every placement in it is the paper's (models.PAPER_PLACEMENT). Once staff
or an import placed another position under a track and degree, the grid is no longer Table I:
the list speaks neutrally and says how many of its entries Table I lists."""

from pathlib import Path

from django.urls import reverse
from django.utils import translation

from positions.models import Placement, Track
from positions.tests.factories import PlacementFactory, PositionFactory

SHARE = "Table I of the study lists %(paper)s of the %(counter)s entries below."
SHARE_SINGULAR = "Table I of the study lists %(paper)s of the %(counter)s entry below."


def _text(client, url: str, **headers) -> str:
    return " ".join(client.get(url, **headers).content.decode().split())


def _staff_placement() -> Placement:
    return PlacementFactory(
        position=PositionFactory(name="Drone pilot"),
        track=Track.objects.get(name="Data analysis"),
        degree_level="master",
        title="UAV operator",
    )


def test_the_papers_grid_alone_is_table_i(client, paper):
    html = _text(client, reverse("positions:list"))
    assert "Table I of the study: the positions open to bachelor and master graduates" in html
    assert "Table I: positions by track and degree</h2>" in html
    assert "entries below" not in html


def test_a_grid_holding_a_staff_placement_is_not_called_table_i(client, paper):
    _staff_placement()
    total = Placement.objects.count()
    html = _text(client, reverse("positions:list"))
    assert "Table I of the study:" not in html
    assert "Table I: positions by track and degree" not in html
    assert '<h2 id="table-one-heading">Positions by track and degree</h2>' in html
    assert "The positions the programmes prepare for." in html
    # The paper's share, in the neutral intro.
    assert f"Table I of the study lists {total - 1} of the {total} entries below." in html


def test_a_search_in_a_mixed_grid_keeps_neutral_words(client, paper):
    """The heading and intro speak of the grid, whatever the search: a search down to the
    paper's entries still counts them as Table I's, one finding nothing does not say Table I."""
    _staff_placement()
    url = reverse("positions:list")
    html = _text(client, url + "?q=modeler")
    assert "1 Table I entry matches “modeler”." in html
    assert "Table I: positions by track and degree" not in html
    assert "Table I of the study:" not in html
    html = _text(client, url + "?q=zzz")
    assert "No entry under a track and degree matches." in html
    assert "No Table I entry matches." not in html
    html = _text(client, url + "?q=drone")
    assert "1 entry under a track and degree matches “drone”." in html
    assert "Positions by track and degree</h2>" in html


def test_the_share_is_translated(client, paper, monkeypatch):
    """A plural message: the stand-in (conftest's chinese_stand_in) takes singular ones only."""
    from django.utils.translation import trans_real

    chinese = trans_real.translation("zh-hans")._catalog._catalogs[0]
    if (SHARE_SINGULAR, 0) not in chinese:
        monkeypatch.setitem(chinese, (SHARE_SINGULAR, 0), "〈%(paper)s / %(counter)s〉")
    _staff_placement()
    total = Placement.objects.count()
    with translation.override("zh-hans"):
        share = translation.ngettext(SHARE_SINGULAR, SHARE, total) % {
            "paper": total - 1,
            "counter": total,
        }
    assert "Table I" not in share
    html = _text(client, reverse("positions:list"), headers={"accept-language": "zh-hans"})
    # One sentence after another as Chinese writes them: no space after the full stop.
    assert f"。{share}" in html
    assert "按方向和学历层次划分的职位</h2>" in html


def test_one_template_says_how_a_placements_title_is_named():
    """'(Table I: “title”)' or '(listed as “title”)' is decided in one include, so no page can
    call a staff placement's title Table I's while the others do not."""
    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    writers = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "(Table I: “" in path.read_text(encoding="utf-8")
        or "(listed as “" in path.read_text(encoding="utf-8")
    )
    assert writers == ["positions/_listed_title.html"]

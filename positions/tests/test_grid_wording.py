"""With the paper loaded, the positions list calls its grid Table I (intro, heading, empty
search) only while every placement in it is the paper's (models.PAPER_PLACEMENT). Once staff
or an import placed another position under a track and degree, the grid is no longer Table I:
the list speaks neutrally and says how many of its entries Table I lists."""

from pathlib import Path

from django.urls import reverse
from django.utils import translation

from core.models import Provenance
from positions.models import Placement, Position, Track
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


def test_an_emptied_grid_with_the_paper_loaded_does_not_ask_to_load_it(client, paper):
    """Staff deleted every placement: the paper is loaded, so running load_paper is no advice;
    the page says no position is placed and where placements are set."""
    Placement.objects.all().delete()
    html = _text(client, reverse("positions:list"))
    assert "load_paper" not in html
    assert "Table I places no position" not in html
    assert (
        "No position is placed under a track and degree yet (a position's placements, in the "
        "administration)." in html
    )


def _other_positions(html: str) -> str:
    """The introduction of the list of positions placed under no track."""
    section = html.split('id="unplaced-heading"', 1)[1]
    return section.split('<p class="muted">', 1)[1].split("</p>", 1)[0]


def test_the_papers_other_positions_alone_are_called_table_ii_profiles(client, paper):
    text = _other_positions(_text(client, reverse("positions:list")))
    assert text == "Positions Table I places under no track: profiles from Table II of the study."


def test_other_positions_none_of_them_the_papers_speak_of_no_table_ii(client, paper):
    """A search finding only staff's and imported positions: no Table II profiles listed."""
    PositionFactory(name="Drone pilot", provenance=Provenance.IMPORT)
    PositionFactory(name="Drone mechanic")
    text = _other_positions(_text(client, reverse("positions:list") + "?q=drone"))
    assert "Table II" not in text
    assert "Table I " not in text
    assert text == "Positions placed under no track, such as imported occupations."


def test_other_positions_added_by_staff_are_not_called_imported(client, paper):
    Position.objects.unplaced().delete()
    PositionFactory(name="Drone mechanic")
    text = _other_positions(_text(client, reverse("positions:list")))
    assert text == "Positions placed under no track."


def test_other_positions_beside_the_papers_say_how_many_table_ii_profiles(client, paper):
    papers = Position.objects.unplaced().count()
    assert papers
    PositionFactory(name="Drone pilot", provenance=Provenance.IMPORT)
    text = _other_positions(_text(client, reverse("positions:list")))
    assert text == (
        "Positions placed under no track, such as imported occupations. Table II of the study "
        f"gives the ability profiles of {papers} of the {papers + 1} positions below."
    )


def test_other_positions_without_the_paper_cite_no_table(client, db):
    PositionFactory(name="Drone pilot", provenance=Provenance.IMPORT, source_ref="Table II, x")
    text = _other_positions(_text(client, reverse("positions:list")))
    assert text == "Positions placed under no track, such as imported occupations."


def test_the_other_positions_words_are_translated(client, paper, chinese_stand_in):
    """Chinese pages read them in Chinese (the stand-in until the catalogue has them)."""
    papers = "Positions Table I places under no track: profiles from Table II of the study."
    neutral = "Positions placed under no track."
    chinese_stand_in(None, papers)
    chinese_stand_in(None, neutral)
    url = reverse("positions:list")
    with translation.override("zh-hans"):
        papers_zh, neutral_zh = translation.gettext(papers), translation.gettext(neutral)
    assert _other_positions(_text(client, url, headers={"accept-language": "zh-hans"})) == (
        papers_zh
    )
    Position.objects.unplaced().delete()
    PositionFactory(name="Drone mechanic")
    text = _other_positions(_text(client, url, headers={"accept-language": "zh-hans"}))
    assert text == neutral_zh


def test_a_staff_cells_empty_search_does_not_speak_of_table_i(client, paper):
    """A cell the paper lists nothing in, searched for nothing found: no Table I entry."""
    placement = PlacementFactory(
        position=PositionFactory(name="Drone pilot"), title="UAV operator", degree_level="master"
    )
    url = reverse("positions:list") + f"?track={placement.track_id}&degree=master&q=zzz"
    html = _text(client, url)
    assert "No Table I entry matches." not in html
    assert "No entry under a track and degree matches." in html


def test_a_papers_cells_empty_search_still_speaks_of_table_i(client, paper):
    track = Track.objects.get(name="Data analysis")
    html = _text(client, reverse("positions:list") + f"?track={track.pk}&degree=master&q=zzz")
    assert "No Table I entry matches." in html

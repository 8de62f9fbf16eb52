"""What a programme's pages compute once rather than per item: the reader's map permissions
once per request (the programme page asked them in its view and again for each of its gap
lists, three per target), and the cells of the progression and the gaps a recommended course
closes written by template tags rather than template loops, the same markup. BENCHMARKS notes
give the CPU time these saved; these tests hold the behaviour."""

from collections import Counter
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from curricula import permissions
from curricula.models import Programme
from curricula.permissions import map_access
from curricula.progression.selectors import CellStep, TermCourse
from curricula.selectors.programmes import GapRequirement
from curricula.templatetags.maps import closed_gaps, progression_cells, url_maker
from positions.selectors import LevelShade


@pytest.fixture
def programme(paper_programme) -> Programme:
    return paper_programme


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "gaps/"])
def test_the_map_permissions_are_asked_once_per_request(
    client, programme, staff_user, django_user_model, page
):
    """The page's view and each of its gap lists (missing, partial and covered, per target)
    asked whether the reader may review suggestions and add links, each asking the account
    for the add permission on links: for the whole page now, the two rules once each and the
    gap report's own `perms` once, whatever its number of gap lists (the paper's programme:
    a list per status for each of its targets)."""
    client.force_login(staff_user)
    url = f"/programs/{programme.pk}/{page}"
    client.get(url)
    asked: Counter = Counter()
    has_perm = django_user_model.has_perm

    def counted(user, perm, obj=None):
        asked[perm] += 1
        return has_perm(user, perm, obj)

    with mock.patch.object(django_user_model, "has_perm", counted):
        response = client.get(url)
    assert response.status_code == 200
    # Staff who may add links are shown the next steps of each gap: the lists were drawn.
    assert b"gap-next-steps" in response.content
    assert asked[permissions.ADD_LINK] <= 3, asked


@pytest.mark.django_db
def test_the_map_permissions_kept_on_a_request_follow_its_account(staff_user):
    """Asked again for another account (a login within the request), not answered from the
    first one's."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert map_access(request) is map_access(request)
    assert not map_access(request).can_review
    request.user = staff_user
    assert map_access(request).can_review
    assert map_access(request).can_edit


def test_a_made_url_is_the_reversed_one():
    make = url_maker("curricula:programme-ability", 12)
    for pk in (1, 7, 12, 120, 9_876_543_210):
        assert make(pk) == reverse("curricula:programme-ability", args=[12, pk])
    make = url_maker("suggestions:course-review")
    assert make(31) == reverse("suggestions:course-review", args=[31])


# The loops the tags replaced, as the templates wrote them.
PROGRESSION_LOOP = Template(
    '{% for steps in row.cells %}<td class="progression-cell">{% for step in steps %}'
    '<span class="progression-step"><span class="swatch shade-{{ step.level.shade }}" '
    'title="{{ step.level.display_name|default:step.level.name }}">{{ step.level.code }}</span>'
    '<span class="code" title="{{ step.course.title }}">{{ step.course.code }}</span></span>'
    "{% endfor %}</td>{% endfor %}"
)
CLOSED_GAPS_LOOP = Template(
    "{% load i18n %}{% for gap in item.closes %}<li>{% if gap.ability.code %}"
    '<span class="code">{{ gap.ability.code }}</span> {% endif %}{{ gap.ability.text }} '
    '<span class="muted small">{{ gap.position.name }} · {% blocktranslate with '
    "level=gap.min_level %}needs {{ level }}{% endblocktranslate %}</span></li>{% endfor %}"
)


def course(code: str, title: str) -> TermCourse:
    return TermCourse(id=1, code=code, title=title, term=1, effective_term=1, stage="", language="")


def level(code: str, *, display_name: str, name: str = "Name", shade: int = 1) -> LevelShade:
    return LevelShade(
        pk=1, code=code, name=name, rank=shade, shade=shade, display_name=display_name
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_progression_cells_are_written_as_the_template_loop_wrote_them(language):
    cells = [
        [],
        [
            CellStep(course("SE<1>", 'Data & "files"'), level("I", display_name="Introduced")),
            CellStep(
                course("SE2", "软件工程"), level("M&", display_name="", name="Ma<st>", shade=3)
            ),
        ],
        [CellStep(course("", ""), level("R", display_name="巩固提高", shade=2))],
    ]
    with translation.override(language):
        assert progression_cells(cells) == PROGRESSION_LOOP.render(
            Context({"row": {"cells": cells}})
        )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_gaps_a_course_closes_are_written_as_the_template_loop_wrote_them(language):
    closes = [
        {
            "position": {"id": 1, "name": "Analyst <senior>"},
            "ability": {"id": 2, "code": "A&1", "text": 'Reads "data"'},
            "min_level": "M",
        },
        {
            "position": {"id": 3, "name": "数据分析师"},
            "ability": {"id": 4, "code": "", "text": "理解需求"},
            "min_level": "R<",
        },
    ]
    with translation.override(language):
        assert closed_gaps(closes) == CLOSED_GAPS_LOOP.render(Context({"item": {"closes": closes}}))


def covered(code: str, courses: list[dict]) -> GapRequirement:
    return GapRequirement(
        ability_id=None,
        code=code,
        text="Reads data",
        min_level="R",
        best_level="R",
        essential=True,
        courses=courses,
    )


def test_a_course_written_once_for_the_gap_lists_is_written_in_each_list_s_language():
    """The contributing courses are written once for all the lists of a page, by language: a
    list rendered in Chinese after an English one has the catalogue's full-width brackets."""
    se = {"code": "SE1", "title": "Data <files>", "language": "en", "level": "R", "via": None}
    other = {**se, "level": "M"}
    template = Template(
        '{% load i18n maps %}{% gap_items first "covered" %}|{% gap_items second "covered" %}|'
        '{% language "zh-hans" %}{% gap_items first "covered" %}{% endlanguage %}'
    )
    first, second = [covered("A1", [se]), covered("A2", [se, other])], [covered("A3", [se])]
    with translation.override("en"):
        english, again, chinese = template.render(
            Context({"first": first, "second": second, "user": None})
        ).split("|")
    assert english.count("Data &lt;files&gt; (R)") == 2
    assert "Data &lt;files&gt; (M)" in english
    assert "Data &lt;files&gt; (R)" in again
    assert '<span lang="en">Data &lt;files&gt;</span>（R）' in chinese  # noqa: RUF001
    assert " (R)" not in chinese

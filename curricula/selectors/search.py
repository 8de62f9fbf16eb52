"""The site search: positions, abilities, courses and programmes whose words match a query
(core.search: words, not substrings, in English and Chinese; PostgreSQL full-text search there),
grouped by kind, each hit with where it leads."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

from core.search import SearchQuery, search_ids, search_query, shortened
from curricula.models import Course, Programme, ProgrammeCourse
from positions.models import Ability, Position, Requirement

# What each kind is found by, its name or title first (hits there rank first without PostgreSQL).
FIELDS: dict[str, tuple[str, ...]] = {
    "positions": ("name", "placements__title", "description", "code"),
    "abilities": ("text", "code", "short_name", "alt_labels", "description"),
    "courses": ("title", "code", "description", "outcomes"),
    "programmes": ("name", "description"),
}
# The Chinese of the fields above that records have (core.i18n: names, descriptions), searched
# for Chinese words.
CHINESE_FIELDS: dict[str, tuple[str, ...]] = {
    "positions": ("name_zh", "description_zh"),
    "abilities": ("text_zh",),
    "courses": ("title_zh",),
    "programmes": ("name_zh", "description_zh"),
}
KINDS = tuple(FIELDS)
# Hits shown per kind on the grouped page, and per page when one kind is asked for alone.
PER_KIND = 10
ONE_KIND = 200
MAX_QUERY = 200


@dataclass
class SearchGroup:
    kind: str
    total: int
    hits: list[dict] = field(default_factory=list)
    # The page of hits shown, when the kind is asked for alone (None on the grouped page).
    page: Page | None = None


@dataclass
class SearchResults:
    query: str
    groups: list[SearchGroup]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _querysets() -> dict[str, QuerySet]:
    return {
        "positions": Position.objects.all(),
        "abilities": Ability.objects.all(),
        "courses": Course.objects.all(),
        "programmes": Programme.objects.all(),
    }


def _in_order(model: type[Model], ids: list[int], only: tuple[str, ...]) -> list:
    found = model.objects.only(*only).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _position_hits(ids: list[int]) -> list[dict]:
    return [
        {"title": position.display_name, "code": position.code, "url": position.get_absolute_url()}
        for position in _in_order(Position, ids, ("name", "name_zh", "code"))
    ]


def _programme_hits(ids: list[int]) -> list[dict]:
    return [
        {"title": programme.display_name, "code": "", "url": programme.get_absolute_url()}
        for programme in _in_order(Programme, ids, ("name", "name_zh"))
    ]


def _ability_hits(ids: list[int]) -> list[dict]:
    """Each ability with the positions requiring it (its page is theirs)."""
    required_by: dict[int, list[Position]] = {pk: [] for pk in ids}
    for requirement in (
        Requirement.objects.filter(ability_id__in=ids)
        .select_related("position")
        .only("ability_id", "position__name", "position__name_zh")
        .order_by("position__order", "position__name", "position_id")
    ):
        required_by[requirement.ability_id].append(requirement.position)
    return [
        _hit(ability.display_text, ability.code, required_by[ability.pk])
        for ability in _in_order(Ability, ids, ("text", "text_zh", "code"))
    ]


def _course_hits(ids: list[int]) -> list[dict]:
    """Each course, leading to its own page, with the programmes teaching it."""
    taught_in: dict[int, list[Programme]] = {pk: [] for pk in ids}
    for entry in (
        ProgrammeCourse.objects.filter(course_id__in=ids)
        .select_related("programme")
        .only("course_id", "programme__name", "programme__name_zh")
        .order_by("programme__order", "programme__name")
    ):
        taught_in[entry.course_id].append(entry.programme)
    return [
        _hit(course.display_title, course.code, taught_in[course.pk], url=course.get_absolute_url())
        for course in _in_order(Course, ids, ("title", "title_zh", "code"))
    ]


def _hit(title: str, code: str, related: list, *, url: str | None = None) -> dict:
    """A hit leading to `url`, or else to the first of its related records (the positions
    requiring an ability), with a link to each related record."""
    if url is None:
        url = related[0].get_absolute_url() if related else ""
    return {
        "title": title,
        "code": code,
        "url": url,
        "links": [{"title": r.display_name, "url": r.get_absolute_url()} for r in related],
    }


_HITS = {
    "positions": _position_hits,
    "abilities": _ability_hits,
    "courses": _course_hits,
    "programmes": _programme_hits,
}


def site_search(*, query: str, kind: str | None = None, page: str | None = None) -> SearchResults:
    """Every kind's hits for `query` (PER_KIND each, with its total), or only `kind`'s, ONE_KIND
    a page (`page`: its number; past the end the last, not a number the first). An empty or
    stop-word-only query finds nothing."""
    query = shortened(query, MAX_QUERY)
    asked: SearchQuery = search_query(query)
    querysets = _querysets()
    groups = []
    for name in (kind,) if kind in FIELDS else KINDS:
        ids = (
            search_ids(
                querysets[name],
                fields=FIELDS[name],
                chinese_fields=CHINESE_FIELDS[name],
                query=asked,
            )
            if asked
            else []
        )
        if kind == name:
            one_page = Paginator(ids, ONE_KIND).get_page(page)
            groups.append(
                SearchGroup(
                    kind=name,
                    total=len(ids),
                    hits=_HITS[name](list(one_page.object_list)),
                    page=one_page,
                )
            )
        else:
            groups.append(SearchGroup(kind=name, total=len(ids), hits=_HITS[name](ids[:PER_KIND])))
    return SearchResults(query=query, groups=groups)

"""The project's URLs plus the bare views the API is measured against (benchmarks only).

Each bare view returns the same rows as its API endpoint with `values()` and orjson: no
serializer, no pagination class, no permission or throttle checks. They give each row its update
time as the API does (the sync fields added since the first round), or the API would be measured
against a floor that serves less. That is the floor a Django
endpoint can reach for those rows, so the API's time is reported as a ratio to it.
"""

import orjson
from django.db.models import Max
from django.http import HttpResponse
from django.urls import include, path

from curricula.models import CourseAbility
from positions.models import Placement, Position, Requirement


def _json(data) -> HttpResponse:
    # orjson, as the API's renderer: the floor is the fastest encoding the project has.
    return HttpResponse(orjson.dumps(data), content_type="application/json")


def _page(request, default: int) -> tuple[int, int]:
    size = int(request.GET.get("page_size", default))
    page = int(request.GET.get("page", 1))
    return (page - 1) * size, page * size


def bare_positions(request):
    start, end = _page(request, 100)
    positions = list(
        Position.objects.order_by("order", "name", "id").values(
            "id",
            "name",
            "description",
            "code",
            "uri",
            "external_id",
            "order",
            "provenance",
            "updated_at",
        )[start:end]
    )
    # Its update time as a sync sees it (as the API gives it): the latest of its own, its
    # placements' and requirements' changes (their history), its tracks' and abilities'.
    latest = {p["id"]: p["updated_at"] for p in positions}

    def later(position_id, when):
        if when is not None and when > latest[position_id]:
            latest[position_id] = when

    by_position: dict[int, list] = {p["id"]: [] for p in positions}
    for row in (
        Requirement.objects.filter(position_id__in=by_position)
        .order_by("position_id", "order", "id")
        .values(
            "id",
            "position_id",
            "ability_id",
            "ability__text",
            "ability__updated_at",
            "importance",
            "min_level__code",
        )
    ):
        position_id = row.pop("position_id")
        later(position_id, row.pop("ability__updated_at"))
        by_position[position_id].append(row)
    placements: dict[int, list] = {p["id"]: [] for p in positions}
    for row in (
        Placement.objects.filter(position_id__in=placements)
        .order_by("track__order", "degree_level", "order", "id")
        .values(
            "position_id",
            "track_id",
            "track__name",
            "track__updated_at",
            "degree_level",
            "title",
            "order",
        )
    ):
        position_id = row.pop("position_id")
        later(position_id, row.pop("track__updated_at"))
        placements[position_id].append(row)
    for model in (Placement, Requirement):
        for position_id, when in (
            model.history.filter(position_id__in=latest)
            .order_by()
            .values("position_id")
            .annotate(when=Max("history_date"))
            .values_list("position_id", "when")
        ):
            later(position_id, when)
    for position in positions:
        position["requirements"] = by_position[position["id"]]
        position["placements"] = placements[position["id"]]
        position["updated_at"] = latest[position["id"]]
    return _json({"results": positions})


def bare_course_abilities(request):
    start, end = _page(request, 1000)
    rows = list(
        CourseAbility.objects.order_by("course_id", "ability_id").values(
            "id",
            "course_id",
            "ability_id",
            "level__code",
            "note",
            "note_zh",
            "provenance",
            "updated_at",
        )[start:end]
    )
    return _json({"results": rows})


urlpatterns = [
    path("bare/positions/", bare_positions),
    path("bare/course-abilities/", bare_course_abilities),
    path("", include("competency_site.urls")),
]

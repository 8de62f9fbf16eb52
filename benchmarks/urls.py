"""The project's URLs plus the bare views the API is measured against (benchmarks only).

Each bare view returns the same rows as its API endpoint with `values()` and `JsonResponse`: no
serializer, no pagination class, no permission or throttle checks. That is the floor a Django
endpoint can reach for those rows, so the API's time is reported as a ratio to it.
"""

from django.http import JsonResponse
from django.urls import include, path

from curricula.models import CourseAbility
from positions.models import Placement, Position, Requirement


def _page(request, default: int) -> tuple[int, int]:
    size = int(request.GET.get("page_size", default))
    page = int(request.GET.get("page", 1))
    return (page - 1) * size, page * size


def bare_positions(request):
    start, end = _page(request, 100)
    positions = list(
        Position.objects.order_by("order", "name", "id").values(
            "id", "name", "description", "code", "uri", "external_id", "order", "provenance"
        )[start:end]
    )
    by_position: dict[int, list] = {p["id"]: [] for p in positions}
    for row in (
        Requirement.objects.filter(position_id__in=by_position)
        .order_by("position_id", "order", "id")
        .values("id", "position_id", "ability_id", "ability__text", "importance", "min_level__code")
    ):
        by_position[row.pop("position_id")].append(row)
    placements: dict[int, list] = {p["id"]: [] for p in positions}
    for row in (
        Placement.objects.filter(position_id__in=placements)
        .order_by("track__order", "degree_level", "order", "id")
        .values("position_id", "track_id", "track__name", "degree_level", "title", "order")
    ):
        placements[row.pop("position_id")].append(row)
    for position in positions:
        position["requirements"] = by_position[position["id"]]
        position["placements"] = placements[position["id"]]
    return JsonResponse({"results": positions})


def bare_course_abilities(request):
    start, end = _page(request, 1000)
    rows = list(
        CourseAbility.objects.order_by("course_id", "ability_id").values(
            "id", "course_id", "ability_id", "level__code", "note", "provenance"
        )[start:end]
    )
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bare/positions/", bare_positions),
    path("bare/course-abilities/", bare_course_abilities),
    path("", include("competency_site.urls")),
]

"""Table III: each professional certification with its career directions and their courses."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certifications import page_selectors
from certifications.signals import certification_directions


@require_GET
def certification_list(request: HttpRequest) -> HttpResponse:
    certifications = list(page_selectors.certification_list())
    directions: dict[int, list] = {}
    for _receiver, answer in certification_directions.send(
        sender=certification_list, certifications=certifications
    ):
        for certification_id, rows in answer.items():
            directions.setdefault(certification_id, []).extend(rows)
    context = {
        "certifications": [
            {"certification": c, "directions": directions.get(c.pk, [])} for c in certifications
        ],
        "stages": list(page_selectors.training_stages()),
    }
    return render(request, "certifications/certification_list.html", context)

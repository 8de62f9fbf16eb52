"""Table III: each professional certification with its career directions (programmes) and their
courses. A page of curricula, since a direction is a programme."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from curricula.selectors.certifications import certification_page


@require_safe
def certification_list_page(request: HttpRequest) -> HttpResponse:
    return render(request, "curricula/certification_list.html", certification_page())

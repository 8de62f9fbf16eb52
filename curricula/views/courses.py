"""A course's own page, for designers: what it is, the abilities it builds by level and the
programmes teaching it. Read-only and public like the programme pages; staff allowed to see
more get links to its suggestions' review and to its admin page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from curricula.selectors.courses import course_page


@require_safe
def course_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    page = course_page(pk=pk)
    if page is None:
        raise Http404
    # The main navigation's entry is where the breadcrumb leads: the programmes teaching it, or
    # for a course none teaches the course search, which is in no entry (the search's own name).
    nav_section = "curricula" if page.programmes else "search"
    return render(
        request,
        "curricula/course_detail.html",
        {"page": page, "course": page.course, "nav_section": nav_section},
    )

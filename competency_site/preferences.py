"""The reader's time zone for pages (core.times): chosen here and kept in a cookie, as the
language is (Django's set_language), so that it works signed in or not.

Without a choice, pages use the zone the reader's browser says it is in (static/js/site.js),
else the site's (DJANGO_TIME_ZONE)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.http import site_path
from core.times import CHOSEN_ZONE_COOKIE, zone_named, zone_names

# The areas of the tz database's current names; the rest (EST5EDT, Etc/GMT-8 with its sign
# reversed, old aliases) are kept out of the list, though a cookie naming one is still read.
ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
CHOICE_MAX_AGE = timedelta(days=365)


def _zone_choices() -> list:
    """The zones by area, each by its IANA name ("Asia/Shanghai"), in every language as the
    footer and the admin name the zone in use: the tz database names its places in English only."""
    groups: dict[str, list[tuple[str, str]]] = {area: [] for area in ZONE_AREAS}
    for name in sorted(zone_names()):
        area, _slash, place = name.partition("/")
        if area in groups and place:
            groups[area].append((name, name))
    return [("UTC", "UTC"), *((area, zones) for area, zones in groups.items() if zones)]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        automatic = gettext("Automatic: your browser's time zone, else the site's (%(zone)s)") % {
            "zone": settings.TIME_ZONE
        }
        self.fields["time_zone"].choices = [("", automatic), *_zone_choices()]

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"]
        if name and zone_named(name) is None:
            raise forms.ValidationError(gettext("Choose a time zone from the list."))
        return name


def _next(request: HttpRequest) -> str:
    """Where the reader goes back to: the form's `next`, else the address's, else the page the
    link was followed from (its Referer: the site sends it to itself, SECURE_REFERRER_POLICY),
    which is the page's address as it then was, an address htmx pushed included, and which a
    link written into every page's footer could not be without repeating the page's query;
    only a page of this site, as its path (core.http.site_path), else its home."""
    for target in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.headers.get("Referer"),
    ):
        path = site_path(request, target)
        if path:
            return path
    return "/"


@require_http_methods(["GET", "HEAD", "POST"])
def time_zone_page(request: HttpRequest) -> HttpResponse:
    """GET: the choice, with the zone pages use now. POST: keeps the zone chosen in a cookie
    (none: deletes it) and goes back to the page the reader came from (`next`)."""
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            response = HttpResponseRedirect(_next(request))
            chosen = form.cleaned_data["time_zone"]
            if chosen:
                response.set_cookie(
                    CHOSEN_ZONE_COOKIE,
                    chosen,
                    max_age=CHOICE_MAX_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            else:
                response.delete_cookie(CHOSEN_ZONE_COOKIE, samesite="Lax")
            return response
        status = 400
    else:
        chosen = request.COOKIES.get(CHOSEN_ZONE_COOKIE, "")
        form = TimeZoneForm(initial={"time_zone": chosen if zone_named(chosen) else ""})
        status = 200
    context = {"form": form, "next": _next(request), "zone": timezone.get_current_timezone_name()}
    return render(request, "time_zone.html", context, status=status)

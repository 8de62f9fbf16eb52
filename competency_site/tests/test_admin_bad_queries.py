"""Admin changelists given hostile query strings answer 400, never 500.

Observed: a NUL byte in a field lookup (`?code=%00`) was a 500 on PostgreSQL ("A string literal
cannot contain NUL"), and a date out of range in a date lookup (`?created__year=99999999`,
`?attempt_time__year=9999` through the date hierarchy) a 500 on either database.
"""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

# Not in a test's transaction: on PostgreSQL a query the database refuses (a DataError, answered
# 400) would abort it, and every later request of the test with it. Requests run in autocommit.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The tolerated queries compare with naive datetimes on purpose.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime"),
]

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _filter_names(model) -> list[str]:
    model_admin = admin.site._registry[model]
    names = [field.attname for field in model._meta.concrete_fields]
    names += [spec for spec in model_admin.list_filter if isinstance(spec, str)]
    return names


def _first_of_each_kind() -> dict:
    """For each model, its fields of a kind (column type, with or without choices, a relation or
    not) no model before it in the admin has. Two fields of one kind read a value through the
    same field class, lookups and column type, on whatever model they are, so a query that one
    of them turns into a 500 the other does too; the whole changelist each query renders made
    trying every field of every model a fifth of the suite's time, and every kind of every
    model still a tenth."""
    seen: set[tuple] = set()
    first: dict = {}
    for model in REGISTERED:
        first[model] = []
        for field in model._meta.concrete_fields:
            kind = (field.get_internal_type(), bool(field.choices), field.is_relation)
            if kind not in seen:
                seen.add(kind)
                first[model].append(field.attname)
    return first


FIRST_OF_KIND = _first_of_each_kind()


def _kinds_of_filter(model) -> list[str]:
    """The fields of a kind first met on this model, and every list filter the model's admin
    has (its own lookups, across relations): the names the tolerated queries try."""
    model_admin = admin.site._registry[model]
    names = list(FIRST_OF_KIND[model])
    names += [s for s in model_admin.list_filter if isinstance(s, str) and s not in names]
    return names


def _refused(model) -> list[dict]:
    """Query strings no admin page can read: each must be a 400."""
    model_admin = admin.site._registry[model]
    queries = [{"q": "\x00"}, {"q": "a\x00b"}, {"o": "\x00"}, {"p": "\x00"}, {"\x00": "1"}]
    for name in _filter_names(model):
        queries += [
            {name: "\x00"},
            {f"{name}__exact": "\x00"},
            {f"{name}__in": "1,\x00"},
            {f"{name}__id__exact": "\x00"},
        ]
    dates = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    for name in dates:
        for part in ("year", "month", "day", "hour", "week_day"):
            queries.append({f"{name}__{part}": "99999999"})
        queries += [
            {f"{name}__year": "9999"},
            {f"{name}__year": "0"},
            {f"{name}__year": "-1"},
            {f"{name}__year": "\x00"},
            {f"{name}__year": "x"},
            {f"{name}__year__gte": "99999999"},
            {f"{name}__year__in": "2024,99999999"},
            {f"{name}__month": "13"},
        ]
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        queries += [
            {f"{field}__year": "99999999"},
            {f"{field}__year": "9999"},
            {f"{field}__year": "9999", f"{field}__month": "12", f"{field}__day": "31"},
            {f"{field}__year": "0"},
            {f"{field}__year": "2024", f"{field}__month": "13"},
            {f"{field}__year": "2024", f"{field}__month": "2", f"{field}__day": "32"},
            {f"{field}__year": "9" * 5000},
        ]
    queries.append({"history_date__year": "99999999"})
    return queries


def _tolerated(model) -> list[dict]:
    """Odd but harmless query strings: any answer but a 5xx (the admin's own answer to a lookup
    it cannot use is a redirect to `?e=1`)."""
    queries = [{"q": "💥\u202e" * 50}, {"q": "%_\\"}, {"p": "-1"}, {"p": str(2**64)}, {"all": ""}]
    for name in _kinds_of_filter(model):
        for value in ("9" * 30, "-1", str(-(2**63) - 1), "1e999", "nan", "inf", "💥", "%"):
            queries.append({name: value})
        queries += [
            {f"{name}__regex": "("},
            {f"{name}__iregex": "[z-a]"},
            {f"{name}__isnull": "maybe"},
            {f"{name}__range": "1"},
            {f"{name}__in": ",".join(["9" * 30] * 3)},
            {f"{name}__gt": "1" * 400},
        ]
    dates = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    for name in dates:
        queries += [
            {f"{name}__year": "2"},
            {f"{name}__year": "9998"},
            {f"{name}__gte": "9999-12-31T23:59:59"},
            {f"{name}__lt": "0001-01-01"},
            {f"{name}__date": "99999-01-01"},
        ]
    return queries


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_hostile_query_on_a_changelist_is_a_400_not_a_500(admin_client, model):
    url = _changelist(model)
    assert admin_client.get(url).status_code == 200
    admin_client.raise_request_exception = False
    problems = []
    for query in _refused(model):
        response = admin_client.get(url, query)
        if response.status_code != 400:
            problems.append((query, response.status_code))
    for query in _tolerated(model):
        response = admin_client.get(url, query)
        if response.status_code >= 500:
            problems.append((query, response.status_code))
    assert problems == [], "\n".join(map(repr, problems))


def test_the_refusal_is_plain_text_and_what_the_admin_links_to_still_works(admin_client):
    """The parameter's name is echoed as text (never as HTML a page would run), and a real date
    drill-down and a real filter are let through."""
    response = admin_client.get("/admin/axes/accessattempt/", {"<script>\x00": "1"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    drill = {"attempt_time__year": "2024", "attempt_time__month": "2", "attempt_time__day": "29"}
    assert admin_client.get("/admin/axes/accessattempt/", drill).status_code == 200
    assert admin_client.get("/admin/curricula/course/", {"q": "ECOM"}).status_code == 200


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_years_let_through_stay_dates_in_any_time_zone(admin_client, settings, zone):
    """The first and last years the middleware lets through are still dates once the date
    hierarchy adds its year (or day) and the time zone's offset moves them (+14 h, -12 h)."""
    settings.TIME_ZONE = zone
    url = "/admin/axes/accessattempt/"
    for year in ("2", "9998"):
        for query in (
            {"attempt_time__year": year},
            {"attempt_time__year": year, "attempt_time__month": "12", "attempt_time__day": "31"},
            {"attempt_time__year": year, "attempt_time__month": "1", "attempt_time__day": "1"},
        ):
            assert admin_client.get(url, query).status_code == 200, query


@pytest.mark.parametrize("lookup", ["title__regex", "title__iregex", "module__name__regex"])
def test_regular_expression_lookups_are_refused_before_any_row_is_read(admin_client, lookup):
    """The admin takes any lookup in its URL, and a regular expression that backtracks keeps
    the database (on SQLite, Python's re, once per row) busy for minutes: `^(\\w+\\s?)*$` over
    a 45-character title is about a minute. The admin never links one: a 400, the rows unread."""
    from curricula.tests.factories import CourseFactory

    CourseFactory(title="Online Store Operation and Management!")
    response = admin_client.get("/admin/curricula/course/", {lookup: r"^(\w+\s?)*$"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "regular expression" in response.content.decode()

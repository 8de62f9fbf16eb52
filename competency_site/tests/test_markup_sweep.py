"""Every kind of page the product serves keeps the rules of core/tests/markup.py: ids given once
and every id referred to present, roles their elements allow, figure captions first or last,
readable `datetime`s, nothing interactive inside a link or a button. The sweep is the one the
W3C Nu HTML Checker (vnu) was run over (`make validate-html`): the site's pages followed from
the overview, as staff who may edit (the map's editor, the review queue) in English and as a
reader in Chinese; the admin's pages of the project's models (their lists, forms, a form sent
empty, a catalogue import's preview with errors); the error pages; forms shown with their
errors; and the htmx answers that replace part of a page."""

import json
import os
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.tests.markup import markup_problems
from curricula.coverage.services import coverage_recompute
from curricula.models import Course, CourseAbility, Programme
from positions.models import Position

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
HTMX = {"HTTP_HX_REQUEST": "true"}
PROJECT_APPS = ("positions", "certifications", "curricula", "suggestions", "audit", "core")
# Not followed: the API and downloads (not HTML), links that change something or leave the page
# (logging out, switching the language), the admin (its project pages are asked below).
SKIPPED = re.compile(r"^/(admin|api|ims|static|i18n|accounts/logout)/|\.(csv|xlsx|svg|json)$")
EXTRA = ["/search/?q=CBE114", "/search/?q=数据", "/no-such-page/", "/accounts/password_reset/"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href.split("#")[0])


class _Pages:
    """The problems of each page checked; and with a folder (`make validate-html` gives one),
    each page written there as checked, for vnu, with index.jsonl naming each file's page."""

    def __init__(self, folder: str | None):
        self.problems: dict[str, list[str]] = {}
        self.folder = folder

    def check(self, name: str, html: str) -> None:
        self.problems[name] = markup_problems(html)
        if self.folder:
            os.makedirs(self.folder, exist_ok=True)
            file = f"{len(self.problems):04d}.html"
            with open(os.path.join(self.folder, file), "w", encoding="utf-8") as out:
                out.write(html)
            with open(os.path.join(self.folder, "index.jsonl"), "a", encoding="utf-8") as index:
                index.write(json.dumps({file: name}, ensure_ascii=False) + "\n")


def _kind(address: str) -> str:
    path, _, query = address.partition("?")
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(sorted(re.findall(r"(\w+)=", query))))


def _html(response) -> str | None:
    if "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def _crawl(client, headers: dict, found: "_Pages") -> None:
    """One page of each kind of address, from the overview by the site's links."""
    queue, kinds = ["/", *EXTRA], set()
    while queue:
        address = queue.pop(0)
        if _kind(address) in kinds:
            continue
        kinds.add(_kind(address))
        html = _html(client.get(address, **headers))
        if html is None:
            continue
        found.check(f"GET {address} {headers}", html)
        links = _Links()
        links.feed(html)
        queue += [
            link
            for link in links.links
            if link.startswith("/") and not link.startswith("//") and not SKIPPED.search(link)
        ]
    assert len(kinds) >= 15, kinds  # the sweep went through the site


def _admin_pages(client, found: "_Pages") -> None:
    """The admin's pages of the project's own models, and a catalogue import's previews."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages = {"list": client.get(base), "add": client.get(f"{base}add/")}
        pages["add, sent empty"] = client.post(f"{base}add/", {})
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages["change"] = client.get(f"{base}{first.pk}/change/")
        if hasattr(model_admin, "import_action"):
            pages["import"] = client.get(f"{base}import/")
        for name, response in pages.items():
            html = _html(response)
            if html is not None:
                found.check(f"admin {base} {name}", html)
    for content in [
        b"code,title,credits\nC1,Databases,x\nC2,,3\n",  # rows with errors
        b"name,credits\nDatabases,3\n",  # a problem with the whole file
        b"code,title,credits\nZZ1,Databases,3\n",  # a preview to confirm
    ]:
        upload = SimpleUploadedFile("courses.csv", content)
        response = client.post(
            reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
        )
        found.check(f"admin import preview {content[:30]!r}", response.content.decode())


def _partial(html: str) -> str:
    """An htmx answer is part of a page: checked within one, as it is shown (one that is a
    whole page, from which htmx selects a part, as it is)."""
    if html.lstrip()[:15].lower() == "<!doctype html>":
        return html
    return f"<!DOCTYPE html><html lang='en'><head><title>-</title></head><body>{html}</body></html>"


def _forms_and_partials(client, found: "_Pages") -> None:
    """Forms shown with their errors, messages after a change, and htmx answers."""
    programme = Programme.objects.order_by("pk").first()
    pk = programme.pk
    taught = programme.programme_courses.values("course_id")
    link = CourseAbility.objects.filter(course_id__in=taught).order_by("pk").first()
    other = Course.objects.exclude(pk__in=taught).order_by("pk").first()
    cell = {"course": link.course_id, "ability": link.ability_id}
    bad_cell = {"cell_course": "", "cell_ability": link.ability_id, "cell_level": "R"}
    pages = {
        "what-if with bad filters": client.get(f"/programs/{pk}/decide/?budget=abc&position=x"),
        "what-if with a bad cell": client.get(f"/programs/{pk}/decide/", bad_cell, follow=True),
        "login refused": Client().post("/accounts/login/", {"username": "x", "password": "y"}),
        "password change refused": client.post(
            "/accounts/password_change/",
            {"old_password": "x", "new_password1": "a", "new_password2": "b"},
        ),
        "400": client.get("/", HTTP_HOST="unknown.example"),
        "403": Client(enforce_csrf_checks=True).post("/accounts/login/", {}),
        "a map cell sent wrong, without htmx": client.post(f"/programs/{pk}/cells/", {"x": 1}),
        "positions compared side by side": client.get(
            f"/positions/{Position.objects.order_by('pk').first().pk}/?cols=all"
        ),
        "programmes compared": client.get(
            "/programs/compare/?"
            + "&".join(f"p={p}" for p in Programme.objects.values_list("pk", flat=True)[:3])
        ),
        "after a what-if applied (messages)": client.post(
            f"/programs/{pk}/decide/apply/", {"add": other.pk}, follow=True
        ),
    }
    partials = {
        "gap report": client.get(f"/programs/{pk}/gaps/", **HTMX),
        "map cell panel": client.get(
            f"/programs/{pk}/map/{link.ability_id}/", HTTP_X_MAP_EDITOR="1", **HTMX
        ),
        "what-if with a bad cell": client.get(f"/programs/{pk}/decide/", bad_cell, **HTMX),
        "map cell saved": client.post(f"/programs/{pk}/cells/", {**cell, "level": "R"}, **HTMX),
        "map cell cleared": client.post(f"/programs/{pk}/cells/", {**cell, "level": ""}, **HTMX),
        "map cell refused": client.post(f"/programs/{pk}/cells/", {**cell, "level": "Q"}, **HTMX),
        "map changes previewed": client.post(
            f"/programs/{pk}/changes/",
            {f"cell:{link.course_id}:{link.ability_id}": "M", "preview": "1"},
            **HTMX,
        ),
        "map changes refused": client.post(f"/programs/{pk}/changes/", {}, **HTMX),
        "review decision refused": client.post("/suggestions/decide/", {}, **HTMX),
    }
    for name, response in pages.items():
        found.check(name, response.content.decode())
    for name, response in partials.items():
        found.check(f"htmx: {name}", _partial(response.content.decode()))


def test_every_kind_of_page_keeps_the_markup_rules(client, paper, staff_user):
    coverage_recompute(force=True)
    found = _Pages(os.environ.get("HTML_PAGES_DIR"))
    _crawl(Client(), ZH, found)
    client.force_login(staff_user)
    _crawl(client, {}, found)
    _admin_pages(client, found)
    _forms_and_partials(client, found)
    broken = [
        f"{page}: {problem}" for page, problems in found.problems.items() for problem in problems
    ]
    assert not broken, "\n".join(broken)

"""A framework's and an ability's language are stored as a course's is, a BCP 47 tag (CASE's
`language` is one; core.i18n.language_tag): a language's well-known name (English, 中文) as its
tag, a tag as given, anything else refused naming what is taken, at every door: the admin's
forms, the model's clean (services, the API's writes), and the imports, which name the item of
a bad one and write nothing. Observed: both were free text, so a package's "Chinese" or
"双语" was stored and served back in CASE as it was written."""

import json

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory

from core.i18n import TEXT_TWO_LANGUAGES
from positions.importers import framework_import
from positions.models import Ability, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

DOC = "22222222-aaaa-4aaa-8aaa-00000000a001"
ITEM = "22222222-aaaa-4aaa-8aaa-00000000a002"


# --- the admin's forms -----------------------------------------------------------------------
def _admin_form(admin_user, record, **changed):
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[type(record)]
    form_class = model_admin.get_form(request, record)
    data = {
        name: value
        for name, value in model_to_dict(record).items()
        if name in form_class.base_fields and value is not None
    }
    data["extra"] = json.dumps(record.extra)
    return form_class(data={**data, **changed}, instance=record)


def test_the_admin_form_stores_a_frameworks_language_name_as_its_tag(admin_user):
    form = _admin_form(admin_user, FrameworkFactory(), language="中文")
    assert form.is_valid(), form.errors
    assert form.save().language == "zh"
    assert Framework.objects.get().language == "zh"


def test_the_admin_form_refuses_an_abilitys_two_languages_on_the_field(admin_user):
    form = _admin_form(admin_user, AbilityFactory(), language="双语")
    assert not form.is_valid()
    assert "mainly written in" in form.errors["language"][0]
    assert "双语" in form.errors["language"][0]


def test_the_admin_form_refuses_a_frameworks_unknown_language_naming_what_is_taken(admin_user):
    form = _admin_form(admin_user, FrameworkFactory(), language="Klingon")
    assert not form.is_valid()
    assert "“Klingon” is not a language" in form.errors["language"][0]
    assert "en, zh" in form.errors["language"][0]


def test_the_models_clean_stores_tags_as_every_service_does():
    ability = AbilityFactory(language="")
    ability.language = "English"
    ability.full_clean()
    assert ability.language == "en"
    framework = ability.framework
    framework.language = "zh-Hans"
    framework.full_clean()
    assert framework.language == "zh-Hans"


def test_two_languages_are_asked_for_the_main_one_of_the_text():
    framework = FrameworkFactory()
    framework.language = "中英"
    with pytest.raises(Exception) as refused:  # noqa: PT011 (Django's ValidationError)
        framework.full_clean()
    assert str(TEXT_TWO_LANGUAGES % {"value": "中英"}) in refused.value.messages


# --- the CASE import (the command, the API's import job and the admin's import run it) --------
def _package(tmp_path, *, doc_language="en", item_language=None):
    item = {
        "identifier": ITEM,
        "uri": f"https://case.example.org/CFItems/{ITEM}",
        "fullStatement": "Write listings.",
        "humanCodingScheme": "LT.1",
    }
    if item_language is not None:
        item["language"] = item_language
    path = tmp_path / "package.json"
    path.write_text(
        json.dumps(
            {
                "CFDocument": {
                    "identifier": DOC,
                    "uri": f"https://case.example.org/CFDocuments/{DOC}",
                    "creator": "Test Board",
                    "title": "Languages",
                    "language": doc_language,
                },
                "CFItems": [item],
                "CFAssociations": [],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_a_case_package_naming_languages_stores_their_tags(tmp_path):
    report = framework_import(
        path=_package(tmp_path, doc_language="Chinese", item_language="English"), format="case"
    )
    assert report.ok, report.error
    assert Framework.objects.get().language == "zh"
    assert Ability.objects.get().language == "en"
    # Served back in CASE as stored: the item's kept properties hold the tag too.
    assert Ability.objects.get().extra["language"] == "en"
    again = framework_import(
        path=_package(tmp_path, doc_language="中文", item_language="en"), format="case"
    )
    assert again.ok, again.error
    assert dict(again.counts["framework"]) == {"unchanged": 1}
    assert dict(again.counts["ability"]) == {"unchanged": 1}


def test_a_case_item_with_a_bad_language_is_named_and_nothing_is_written(tmp_path):
    report = framework_import(path=_package(tmp_path, item_language="Klingon"), format="case")
    assert not report.ok
    said = json.dumps(report.error, ensure_ascii=False)
    assert "CFItems[0]" in said
    assert "“Klingon” is not a language" in said
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()


def test_a_case_document_naming_two_languages_is_refused_at_the_document(tmp_path):
    report = framework_import(path=_package(tmp_path, doc_language="双语"), format="case")
    assert not report.ok
    said = json.dumps(report.error, ensure_ascii=False)
    assert "CFDocument" in said
    assert "mainly written in" in said
    # Said once, of the document: its item, stating no language of its own, is not refused
    # again for the document's.
    assert said.count("mainly written in") == 1
    assert not Framework.objects.exists()

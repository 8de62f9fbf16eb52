"""Observed: the API's course-import description listed the term forms it reads by hand (a
list of its own, not TERM_FORMS) and not how a term column reads 1-2, which the admin form's
help says (term_pair_rule): the two had drifted. The schema now words both from the same
functions the admin form uses, in the reader's language."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.i18n import join_list
from curricula.resources import TERM_FORMS, term_pair_rule

pytestmark = pytest.mark.django_db


def _course_import(client, **headers) -> str:
    schema = client.get("/api/schema/", {"format": "json"}, **headers).json()
    return json.dumps(schema["paths"]["/api/v1/courses/import/"]["post"], ensure_ascii=False)


def test_the_course_import_description_says_how_1_2_is_read_as_the_admin_form_does(
    admin_client,
):
    served = _course_import(admin_client)

    with translation.override("en"):
        assert term_pair_rule() in served
        assert join_list(TERM_FORMS) in served


def test_a_chinese_reader_is_told_it_in_chinese(admin_client):
    served = _course_import(admin_client, HTTP_ACCEPT_LANGUAGE="zh-hans")

    with translation.override("zh-hans"):
        # The schema is served in Chinese (its summary), the rule in Chinese with it.
        assert gettext("Import a course catalogue (CSV or XLSX), all or nothing") in served
        assert term_pair_rule() in served
        assert join_list(TERM_FORMS) in served

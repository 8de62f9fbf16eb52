"""A review page's refused decision says its sentences one after another as the reader's language
writes them. Observed: accepting a suggestion rejected meanwhile (in another tab) said, in
Chinese, "未采纳任何建议。 C1 …" with a space after the full stop, the English join, where the
project writes none (core.i18n.join_sentences), on the page's message and in htmx's status."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _rejected_meanwhile(user):
    suggestion = SuggestionFactory(
        course=CourseFactory(code="C1"), ability=AbilityFactory(), rank=1, score=1.0
    )
    services.suggestion_reject(suggestion=suggestion, user=user)
    return suggestion


def _accept(client, suggestion, **extra):
    data = {
        "scope": f"course:{suggestion.course_id}",
        "single": f"accept:{suggestion.pk}",
        f"level-{suggestion.pk}": "R",
    }
    return client.post(reverse("suggestions:decide"), data, **ZH, **extra)


def _nothing_accepted() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("Nothing was accepted.")


def test_the_refusals_message_joins_chinese_sentences_without_a_space(client, staff_user):
    client.force_login(staff_user)
    suggestion = _rejected_meanwhile(staff_user)

    response = _accept(client, suggestion)

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(_nothing_accepted() + "C1")


def test_the_refusals_htmx_status_joins_chinese_sentences_without_a_space(client, staff_user):
    client.force_login(staff_user)
    suggestion = _rejected_meanwhile(staff_user)

    response = _accept(client, suggestion, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    html = response.content.decode()
    assert _nothing_accepted() + "C1" in html
    assert _nothing_accepted() + " C1" not in html

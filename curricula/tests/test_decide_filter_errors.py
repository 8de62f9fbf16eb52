# ruff: noqa: RUF001  (Chinese text takes full-width colons)
"""The decide page's recommendation filters (budget, target position, competency area) answer a
bad value with a 400 naming the field each message is about, in the reader's language. Before,
`?budget=abc&position=abc&area=x` in Chinese listed "请填写合法的数字。请填写合法的整数值。
请填写合法的整数值。" under the form: which field was wrong, the reader had to guess."""

import pytest
from django.urls import reverse

from curricula.models import Programme

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _errors(response) -> list[str]:
    html = response.text
    start = html.index('<ul class="errorlist"')
    block = html[start : html.index("</ul>", start)]
    return [item.split("</li>")[0] for item in block.split("<li>")[1:]]


@pytest.fixture
def url(paper) -> str:
    programme = Programme.objects.order_by("order").first()
    return reverse("curricula:programme-decide", args=[programme.pk])


def test_each_bad_filter_is_named_in_chinese(client, url):
    response = client.get(url, {"budget": "abc", "position": "abc", "area": "x"}, **ZH)
    assert response.status_code == 400
    errors = _errors(response)
    assert len(errors) == 3
    assert errors[0].startswith("预算（学分；缺少学分时按课程门数计）：")
    assert errors[1].startswith("目标职位：")
    assert errors[2].startswith("能力领域：")


def test_a_bad_filter_is_named_in_english(client, url):
    response = client.get(url, {"budget": "-5"})
    assert response.status_code == 400
    (error,) = _errors(response)
    assert error.startswith("Budget (credits, or courses when credits are missing): ")
    assert "0" in error  # the serializer's own message follows the label


@pytest.mark.parametrize(
    ("budget", "said"),
    [
        ("20 ECTS", "Write 20, not “20 ECTS”."),
        ("thirty", "Write a number, such as 30, not “thirty”."),
    ],
)
def test_a_budget_that_is_no_number_says_what_to_write(client, url, budget, said):
    """Observed (a nursing programme): the budget field answered "20 ECTS" with "A valid number
    is required.", which says neither what was wrong nor what the field wants."""
    response = client.get(url, {"budget": budget})
    assert response.status_code == 400
    (error,) = _errors(response)
    assert error == f"Budget (credits, or courses when credits are missing): {said}"


def test_a_budget_with_an_underscore_is_refused_as_the_catalogue_refuses_it(client, url):
    """Python's Decimal reads digit grouping ("3_5" is 35): the catalogue's credits column
    refuses it (CreditsWidget), and the budget read "3_5" as a budget of 35 credits."""
    response = client.get(url, {"budget": "3_5"})
    assert response.status_code == 400
    (error,) = _errors(response)
    assert error == (
        "Budget (credits, or courses when credits are missing): "
        "Write a number, such as 30, not “3_5”."
    )


def test_a_refused_budget_keeps_the_target_position_and_area_chosen(client, url):
    """Observed walking the decide page: a budget of "abc" with a target position and an area
    chosen answered with the budget's message, the budget kept, but both menus back at *All
    target positions* and *All areas*: the reader had to choose them again."""
    programme = Programme.objects.order_by("order").first()
    target = programme.target_positions.order_by("pk").last()
    area = target.requirements.select_related("ability").first().ability.area
    response = client.get(url, {"budget": "abc", "position": target.pk, "area": area.pk})
    assert response.status_code == 400
    html = response.text
    assert f'<option value="{target.pk}" selected>' in html
    assert f'<option value="{area.pk}" selected>' in html
    assert 'value="abc"' in html

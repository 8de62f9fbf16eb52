"""A catalogue from another field and university, partly written in Chinese: a pharmacy
programme whose English titles are missing for some courses, imported into a database holding
none of the paper's records."""

import csv
import io

import pytest

from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


HEADER = ["code", "title", "title_zh", "credits"]


def test_a_blank_english_title_beside_a_chinese_one_gives_a_new_course_the_chinese_title():
    """A bilingual catalogue whose English title is still to be written for some courses: the
    row is not refused, the new course takes its Chinese title as its title, and an existing
    course keeps its English title."""
    kept = CourseFactory(code="PHA202", title="Pharmacology II", title_zh="")
    rows = [
        HEADER,
        ["PHA101", "Pharmaceutical calculations", "药学计算", "3.0"],
        ["PHA201", "", "药理学", "3,5"],
        ["PHA202", "  ", "药理学 II", "2"],
    ]
    report = course_catalogue_import(content=_csv(rows), file_name="药学.csv")
    assert report.errors == []
    assert (report.created, report.updated) == (2, 1)
    new = Course.objects.get(code="PHA201")
    assert (new.title, new.title_zh, str(new.credits)) == ("药理学", "药理学", "3.5")
    kept.refresh_from_db()
    assert (kept.title, kept.title_zh) == ("Pharmacology II", "药理学 II")
    again = course_catalogue_import(content=_csv(rows), file_name="药学.csv")
    assert (again.errors, again.unchanged) == ([], 3)


def test_a_row_with_neither_title_is_refused_on_the_title():
    report = course_catalogue_import(
        content=_csv([HEADER, ["PHA201", "", " ", "3"]]), file_name="c.csv"
    )
    assert [error["line"] for error in report.errors] == [2]
    assert list(report.errors[0]["errors"]) == ["title"]
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [("stage", "理论教学", "training stages"), ("module", "专业核心课", "modules")],
)
def test_a_stage_or_module_named_before_any_exists_says_there_are_none_yet(column, value, kind):
    """A university starting from its own catalogue has no modules or training stages: the
    refusal says there are none yet and where to add them, not "give one of: —"."""
    report = course_catalogue_import(
        content=_csv([["code", "title", column], ["PHA101", "Pharmaceutical calculations", value]]),
        file_name="c.csv",
    )
    [message] = report.errors[0]["errors"][column]
    assert "—" not in message
    assert f"There are no {kind} yet" in message
    assert "leave the column empty" in message
    assert not Course.objects.exists()


def test_the_admin_s_xlsx_export_writes_credits_as_numbers_and_imports_back_unchanged(
    admin_client,
):
    """A designer sums the credits of the exported workbook: they were text cells ("3.5"),
    which a spreadsheet's SUM skips."""
    import openpyxl
    from django.urls import reverse

    CourseFactory(code="PHA201", title="药理学", title_zh="药理学", credits="3.5")
    CourseFactory(code="PHA101", title="Pharmaceutical calculations", credits=3)
    fields = {
        f"courseresource_{name}": "on"
        for name in ("code", "title", "title_zh", "credits", "module", "stage")
    }
    response = admin_client.post(
        reverse("admin:curricula_course_export"), {"format": "1", "resource": "0", **fields}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["PHA201"][1:4] == ("药理学", "药理学", 3.5)
    assert rows["PHA101"][3] == 3
    again = course_catalogue_import(content=response.content, file_name="export.xlsx")
    assert (again.errors, again.unchanged) == ([], 2)


def test_a_job_advert_given_only_in_chinese_is_shown_on_the_english_page_too(client):
    """A position described by a Chinese job advert alone (description_zh, no English one):
    the English page showed no description at all; it shows the Chinese one rather than
    nothing, as the API's display field gives it."""

    from positions.tests.factories import PositionFactory

    advert = "岗位职责：审核处方。"  # noqa: RUF001
    position = PositionFactory(name="Hospital pharmacist", description="", description_zh=advert)
    html = client.get(position.get_absolute_url()).content.decode()
    assert advert in html
    answer = client.get(f"/api/v1/positions/{position.pk}/").json()
    assert answer["display_description"] == advert
    position.description = "Review prescriptions."
    position.save()
    html = client.get(position.get_absolute_url()).content.decode()
    assert "Review prescriptions." in html
    assert "岗位职责" not in html


def test_what_if_names_courses_already_in_or_not_in_the_programme_by_their_codes(api_client):
    """ "Already in the programme: 3." named the course by its database id, which the page's
    reader never sees; a scenario's messages name courses by their codes."""
    from django.urls import reverse

    from curricula.tests.factories import ProgrammeFactory

    taught = CourseFactory(code="PHA201", title="药理学")
    other = CourseFactory(code="PHA999", title="Elsewhere")
    programme = ProgrammeFactory(courses=[taught])
    url = reverse("program-what-if", args=[programme.pk])
    answer = api_client.post(url, {"add_courses": [taught.pk]}, format="json").json()
    assert answer["add_courses"] == ["Already in the programme: PHA201."]
    answer = api_client.post(url, {"remove_courses": [other.pk]}, format="json").json()
    assert answer["remove_courses"] == ["Not in the programme: PHA999."]
    answer = api_client.post(url, {"add_courses": [987654]}, format="json").json()
    assert answer["add_courses"] == ["No course has the id 987654."]


@pytest.mark.parametrize("budget", ["3,5", "３．５", " 3.5 "])  # noqa: RUF001
def test_a_budget_is_read_as_the_catalogue_reads_credits(api_client, budget):
    """A catalogue's credits take "3,5" and full-width digits; the recommendations' budget in
    the same credits refused them ("A valid number is required.")."""
    from django.urls import reverse

    from curricula.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory()
    url = reverse("program-recommendations", args=[programme.pk])
    response = api_client.get(url, {"budget": budget})
    assert response.status_code == 200, response.json()
    assert response.json()["budget"] == 3.5
    assert api_client.get(url, {"budget": "3,5,0"}).status_code == 400

"""If-Match names a version of an object, whatever language it was read in.

Observed: a sync service read a course without Accept-Language (English) and kept its ETag; a
staff member's Chinese client sent that ETag back in If-Match with a PATCH and was answered 412
"This object has changed since you read it" though nothing had changed: the ETag is of the
representation, whose `display_*` fields speak the reader's language, so each language has its
own. A write now goes through when If-Match names the object's current version in any of the
site's languages; a version that is no longer current is still a 412, in every language.
"""

import pytest

from curricula.models import Course
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _course():
    # Only an English description: shown in Chinese, `display_description` says so in English
    # too, but the display title differs (the Chinese title) between the two languages.
    return CourseFactory(code="IM1", title="Databases", title_zh="数据库")


@pytest.mark.parametrize(("read_in", "write_in"), [(EN, ZH), (ZH, EN)])
def test_a_patch_with_the_etag_read_in_another_language_goes_through(
    staff_client, read_in, write_in
):
    course = _course()
    url = f"/api/v1/courses/{course.pk}/"
    read = staff_client.get(url, **read_in)
    other = staff_client.get(url, **write_in)
    # The premise: each language has its own representation, so its own ETag.
    assert read["ETag"] != other["ETag"]

    response = staff_client.patch(
        url, {"description": "Relational design"}, HTTP_IF_MATCH=read["ETag"], **write_in
    )

    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.description == "Relational design"


@pytest.mark.parametrize(("read_in", "write_in"), [(EN, ZH), (ZH, EN)])
def test_a_delete_with_the_etag_read_in_another_language_goes_through(
    staff_client, read_in, write_in
):
    course = _course()
    url = f"/api/v1/courses/{course.pk}/"
    etag = staff_client.get(url, **read_in)["ETag"]

    response = staff_client.delete(url, HTTP_IF_MATCH=etag, **write_in)

    assert response.status_code == 204, response.content
    assert not Course.objects.filter(pk=course.pk).exists()


def test_an_action_with_the_etag_read_in_another_language_goes_through(staff_client):
    programme = ProgrammeFactory(name="Data science", name_zh="数据科学")
    etag = staff_client.get(f"/api/v1/programs/{programme.pk}/", **EN)["ETag"]

    response = staff_client.post(
        f"/api/v1/programs/{programme.pk}/recompute/", HTTP_IF_MATCH=etag, **ZH
    )

    assert response.status_code == 202, response.content


@pytest.mark.parametrize(("read_in", "write_in"), [(EN, ZH), (ZH, ZH), (ZH, EN)])
def test_a_version_changed_since_is_still_refused_in_any_language(staff_client, read_in, write_in):
    course = _course()
    url = f"/api/v1/courses/{course.pk}/"
    stale = staff_client.get(url, **read_in)["ETag"]
    assert staff_client.patch(url, {"title": "Databases I"}, **EN).status_code == 200

    response = staff_client.patch(
        url, {"description": "Lost update"}, HTTP_IF_MATCH=stale, **write_in
    )

    assert response.status_code == 412
    # The 412 names the current version in the request's own language.
    assert response["ETag"] == staff_client.get(url, **write_in)["ETag"]
    course.refresh_from_db()
    assert course.description == ""

"""What production's log (settings.LOGGING) says of a page refused, and of a server error."""

import logging

import pytest


@pytest.mark.django_db
def test_a_refused_page_is_one_warning_line_not_a_traceback(client, django_user_model, caplog):
    """A page refused to an account without the permission (PermissionDenied, answered 403)
    was logged with its whole traceback, as Django 5 logs one: the log of a site whose users
    follow a link they may not open read as if the site had failed. The line stays, a
    warning naming the path; the traceback goes. (A 500 keeps its traceback.)"""
    from curricula.tests.factories import CourseFactory

    course = CourseFactory()
    client.force_login(django_user_model.objects.create_user("reader", password="x-pass-123"))
    caplog.set_level(logging.INFO)
    path = f"/suggestions/courses/{course.pk}/"
    response = client.get(path)
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert path in record.getMessage()


@pytest.mark.django_db
def test_a_server_error_keeps_its_traceback(client, caplog, monkeypatch):
    from suggestions import views

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(views, "_check_reviewer", broken)
    client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    response = client.get("/suggestions/courses/1/")
    assert response.status_code == 500
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is not None

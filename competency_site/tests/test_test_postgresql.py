"""The test suite's PostgreSQL backend empties tables with DELETE, and empties them all."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from conftest import skip_or_fail
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory
from positions.models import Ability, Level


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the test backend's flush is PostgreSQL's (DATABASE_URL=postgres://...)")


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_tables_that_refer_to_each_other_and_restores_what_migrate_makes(
    postgresql,
):
    CourseAbilityFactory.create_batch(3)
    assert CourseAbility.objects.count() == 3

    call_command("flush", interactive=False, verbosity=0)

    assert not CourseAbility.objects.exists()
    assert not Ability.objects.exists()
    # What post_migrate creates is there again, as after Django's TRUNCATE.
    assert ContentType.objects.filter(app_label="curricula", model="course").exists()
    assert Permission.objects.filter(codename="change_course").exists()
    assert Level.objects.exists()


def test_the_flush_deletes_rather_than_truncates_unless_sequences_are_reset(postgresql):
    tables = ["curricula_course", "positions_ability"]
    assert connection.ops.sql_flush(no_style(), tables) == [
        'DELETE FROM "curricula_course";',
        'DELETE FROM "positions_ability";',
    ]
    reset = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    assert reset[0].startswith("TRUNCATE")
    assert "RESTART IDENTITY" in reset[0]


@pytest.mark.django_db
def test_the_test_database_does_not_wait_for_the_disk_at_each_commit(postgresql):
    """The suite commits thousands of times (live server, Celery worker, transactional tests),
    and PostgreSQL waits for its write-ahead log to reach the disk at each: milliseconds a
    commit here. A crash losing the last commits loses nothing a test database keeps, so its
    connections do not wait (synchronous_commit=off), and the site's settings, which production
    reads, still do."""
    from competency_site import settings as site_settings

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW jit")  # the site's own options are kept beside it
        assert cursor.fetchone() == ("off",)
    assert "synchronous_commit" not in site_settings.DATABASES["default"].get("OPTIONS", {}).get(
        "options", ""
    )


def test_a_worker_copies_the_template_only_once_its_builder_says_it_is_ready(tmp_path, monkeypatch):
    """Under xdist each worker waits for the one migrated template and copies it; with no
    template, or one whose builder failed or died, it migrates its own database as before."""
    import os

    from competency_site.test_postgresql import template

    for variable in template.TEMPLATE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    assert template.ready_template() is None  # not under xdist

    done = tmp_path / "done"
    monkeypatch.setenv(template.TEMPLATE, "test_x_template")
    monkeypatch.setenv(template.TEMPLATE_DONE, str(done))
    monkeypatch.setenv(template.TEMPLATE_BUILDER, str(os.getpid()))  # alive
    done.write_text("ready")
    assert template.ready_template() == "test_x_template"
    done.write_text("failed: OperationalError()")
    assert template.ready_template() is None
    done.unlink()
    monkeypatch.setenv(template.TEMPLATE_BUILDER, "0")  # gone without a word
    assert template.ready_template() is None

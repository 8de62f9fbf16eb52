"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis, in-process
through the WSGI application): as anonymous and as staff, with valid and invalid inputs, no
response is a 5xx, every response conforms to the schema, and invalid input is rejected.

The budget is bounded (FUZZ_EXAMPLES examples per operation and mode, derandomized so CI runs are
repeatable); raise FUZZ_EXAMPLES locally to search harder.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.hypothesis import builder
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Invalid paths and query strings must be rejected. Invalid bodies must not cause a 5xx, but DRF
# is lenient with them by design (a number where a string is expected is coerced; in form bodies
# an empty field means "not given" and nested JSON parts are not parsed), so "schema-violating
# body accepted" is not a failure here; test_bad_input.py pins the body rejections that matter.
BODY_CHECKS = [check for check in CHECKS if check is not negative_data_rejection]


def checks_for(case) -> list:
    meta = case.meta
    body_negated = meta is not None and meta.is_negative_at(ParameterLocation.BODY)
    # `?format=` (empty) is DRF's "no format override", i.e. the default rendering.
    empty_format = (case.query or {}).get("format") == ""
    return BODY_CHECKS if body_negated or empty_format else CHECKS


# The in-process WSGI transport asks for gzip but hands the compressed bytes to the checks
# undecoded (an HTTP client would decode them): ask for the plain body.
IDENTITY = {"Accept-Encoding": "identity"}

FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Schemathesis builds each operation's coverage cases (boundary values, missing, wrong-typed and
# extra parameters: about 80 an operation, 14,000 in all), which the tests run first, while it
# collects the tests: in every process that collects the suite, each pytest-xdist worker (~10 s
# each, for all 180 tests where it runs about half of them) and the statement-timeout test's
# collecting subprocess. This module's tests are given the same cases when each is set up
# (`_coverage_cases`): built once in a run, by the worker that runs the test.
_build_coverage_cases = builder.add_coverage


def _add_coverage_at_setup(test, *args, **kwargs):
    if test.__module__ != __name__:  # another module's schemathesis tests: as schemathesis does
        return _build_coverage_cases(test, *args, **kwargs)
    test.coverage_cases_at_setup = lambda: _build_coverage_cases(test, *args, **kwargs)
    return test


builder.add_coverage = _add_coverage_at_setup


@pytest.fixture(autouse=True)
def _coverage_cases(request):
    """The test's coverage cases, added to its explicit examples as schemathesis adds them."""
    build = getattr(request.function, "coverage_cases_at_setup", None)
    if build is not None:
        del request.function.coverage_cases_at_setup
        build()


# Django's WSGI application, as competency_site.wsgi makes it, without what that module does for
# a web process: it gives every connection of the process that imports it the web's statement
# timeout, and this module is imported by every test process that collects the suite.
application = get_wsgi_application()

# Loaded at collection, through the WSGI application like every request below. (The lazy
# `from_fixture` loader does not work with pytest 9.) A schema that fails to load is one failing
# test, not a collection error that would stop the whole suite.
try:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
except Exception as error:
    schema, LOAD_ERROR = None, error
else:
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=FUZZ_EXAMPLES,
        deterministic=True,
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Requests here go straight to the WSGI application, whose request signals would close the
    # test's database connection (held open in its transaction); Django's test client
    # disconnects the same handler for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    # Staff examples upload import files; they belong in the test's own folder.
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "imports")


@pytest.fixture(autouse=True)
def some_data(db):
    """A little data, so that some generated ids exist."""
    course = CourseFactory()
    position = PositionFactory()
    RequirementFactory(position=position)
    CourseAbilityFactory(course=course)
    ProgrammeFactory(courses=[course], targets=[position])


if schema is None:

    def test_the_api_schema_loads():
        pytest.fail(f"GET /api/schema/ failed, so nothing was fuzzed: {LOAD_ERROR!r}")

else:

    @schema.parametrize()
    @FUZZ_SETTINGS
    def test_fuzz_as_anonymous(case):
        # Anonymous requests are throttled; each example starts with a fresh allowance.
        cache.clear()
        case.call_and_validate(checks=checks_for(case), headers=IDENTITY)

    @schema.parametrize()
    @FUZZ_SETTINGS
    def test_fuzz_as_staff(case, staff_user):
        token, _ = Token.objects.get_or_create(user=staff_user)
        case.call_and_validate(
            checks=checks_for(case), headers={"Authorization": f"Token {token.key}", **IDENTITY}
        )

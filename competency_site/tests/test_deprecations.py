"""A deprecated API used anywhere in the project fails the suite, so the next Django, DRF or
Python release removes nothing the project still calls (pytest.ini's filterwarnings and
conftest.pytest_configure)."""

import warnings

import pytest
from django.contrib.staticfiles import finders
from django.utils import deprecation as django_deprecation
from rest_framework import deprecation as drf_deprecation

from core import history


@pytest.fixture(autouse=True)
def _the_suites_filters(request):
    """A -W on pytest's command line (-W always::DeprecationWarning, to list every deprecation)
    takes precedence over the suite's filters these tests are about."""
    if request.config.getoption("pythonwarnings"):
        pytest.skip("-W on the command line overrides the suite's warning filters")


def _removed_in(module) -> list[type[Warning]]:
    """The module's RemovedIn* classes, each once (RemovedInNextVersionWarning is an alias)."""
    return list(
        dict.fromkeys(
            value
            for name, value in vars(module).items()
            if name.startswith("RemovedIn") and isinstance(value, type)
        )
    )


def test_a_django_deprecation_called_by_our_code_fails():
    """finders.find(all=...) is deprecated by Django 5.2 and 6.0 alike (RemovedInDjango61Warning),
    a pending deprecation that the interpreter's own filters would have shown and let pass."""
    with pytest.raises(django_deprecation.RemovedInDjango61Warning):
        finders.find("img/favicon.svg", all=True)


@pytest.mark.parametrize(
    "category",
    _removed_in(django_deprecation) + _removed_in(drf_deprecation),
    ids=lambda category: category.__name__,
)
def test_every_removal_warning_of_django_and_drf_is_an_error_wherever_it_is_raised(category):
    """Django warns of an override it will stop calling (ModelAdmin.log_deletion, a
    lookup_allowed without request) from its own modules, not from ours: such a warning fails
    the suite too, whatever module it comes from."""
    with pytest.raises(category):
        warnings.warn_explicit("deprecated", category, "django/x.py", 1, module="django.x")


@pytest.mark.parametrize("category", [DeprecationWarning, PendingDeprecationWarning])
def test_any_deprecation_raised_in_our_code_fails(category):
    """Python's own deprecations (datetime.utcnow from 3.12), Celery's and django-filter's are
    attributed to the module that called the deprecated API."""
    with pytest.raises(category):
        warnings.warn_explicit("deprecated", category, history.__file__, 1, module=history.__name__)

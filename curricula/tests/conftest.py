import pytest

from curricula.coverage.services import coverage_recompute
from curricula.models import Module, Programme
from curricula.tests.plan_imports import plan_programme


@pytest.fixture
def modules():
    """The modules a 培养方案's section headings name (test_programme_plan_sections.py and those
    beside it): GE (通识教育课程) and CORE (专业核心课程)."""
    Module.objects.create(code="GE", name="General education", name_zh="通识教育课程", order=1)
    Module.objects.create(code="CORE", name="Core courses", name_zh="专业核心课程", order=2)


@pytest.fixture
def programme(django_capture_on_commit_callbacks):
    """The catalogue-into-a-programme tests' programme (plan_imports.plan_programme): it teaches
    MATH101 (no term) and PHYS101 (term 5), written and committed before the test's requests, as
    it would be. A module defining its own `programme` fixture uses that instead."""
    with django_capture_on_commit_callbacks(execute=True):
        return plan_programme()


@pytest.fixture
def paper_programme(paper) -> Programme:
    """The paper's first programme with target positions and courses, its coverage computed:
    the programme whose pages the page-cost and page-CPU tests read."""
    coverage_recompute(force=True)
    return (
        Programme.objects.filter(targets__isnull=False, programme_courses__isnull=False)
        .order_by("order", "pk")
        .first()
    )

import pytest

from curricula.models import Module


@pytest.fixture
def modules():
    """The modules a 培养方案's section headings name (test_programme_plan_sections.py and those
    beside it): GE (通识教育课程) and CORE (专业核心课程)."""
    Module.objects.create(code="GE", name="General education", name_zh="通识教育课程", order=1)
    Module.objects.create(code="CORE", name="Core courses", name_zh="专业核心课程", order=2)

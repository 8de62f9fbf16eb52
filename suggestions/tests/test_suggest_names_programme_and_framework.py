"""`manage.py suggest` finds a programme by its id or exact name, as `import_courses --programme`
does (one lookup: curricula.selectors.programmes.programme_named), and a framework by its English
or Chinese name, listing the frameworks there are in the reader's language when it finds none."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import FrameworkFactory
from suggestions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(monkeypatch):
    """What the command asked the generation for (the generation itself is tested apart)."""
    asked = {}

    def generate(**kwargs):
        asked.update(kwargs)
        raise CommandError("asked")

    monkeypatch.setattr(services, "suggestions_generate", generate)
    return asked


def _run(*args) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("suggest", *args, stdout=StringIO(), stderr=StringIO())
    return str(raised.value)


def test_programme_by_its_name(generated):
    """Observed: `--programme "Cross-border e-commerce"` was refused by argparse: "invalid int
    value", though import_courses --programme takes the name."""
    programme = ProgrammeFactory(name="Cross-border e-commerce")
    assert _run("--programme", "Cross-border e-commerce") == "asked"
    assert generated["course_ids"] == list(programme.courses.values_list("pk", flat=True))


def test_programme_by_its_id_still(generated):
    programme = ProgrammeFactory(name="Web")
    assert _run("--programme", str(programme.pk)) == "asked"


def test_a_programme_named_by_nothing_is_refused_as_import_courses_refuses_it():
    assert _run("--programme", "Nowhere") == "No programme has the id or name “Nowhere”."


def test_framework_by_its_chinese_name(generated):
    """Observed: `--framework 跨境电商能力` was refused as naming no framework."""
    framework = FrameworkFactory(name="Cross-border e-commerce abilities", name_zh="跨境电商能力")
    assert _run("--all-courses", "--framework", "跨境电商能力") == "asked"
    assert generated["framework"] == framework


def test_the_frameworks_are_listed_in_chinese_for_a_chinese_reader():
    """Observed: the Chinese refusal listed the frameworks by their English names."""
    framework = FrameworkFactory(name="Cross-border e-commerce abilities", name_zh="跨境电商能力")
    FrameworkFactory(name="Web", name_zh="")
    with translation.override("zh-hans"):
        refusal = _run("--all-courses", "--framework", "Nothing")
    assert "“跨境电商能力”" in refusal
    assert "Cross-border e-commerce abilities" not in refusal
    assert "“Web”" in refusal  # no Chinese name: its own
    assert str(framework.pk) in refusal


def test_in_english_they_are_listed_by_their_english_names():
    FrameworkFactory(name="Cross-border e-commerce abilities", name_zh="跨境电商能力")
    refusal = _run("--all-courses", "--framework", "Nothing")
    assert "“Cross-border e-commerce abilities”" in refusal
    assert "跨境电商能力" not in refusal


def test_programme_by_its_chinese_name(generated):
    """Observed: `--programme 跨境电子商务` (the name a Chinese reader knows) named no programme:
    only the English name was looked for."""
    programme = ProgrammeFactory(name="Cross-border e-commerce", name_zh="跨境电子商务")
    ProgrammeFactory(name="Web", name_zh="网站开发")
    assert _run("--programme", "跨境电子商务") == "asked"
    assert generated["course_ids"] == list(programme.courses.values_list("pk", flat=True))


def test_a_chinese_name_two_programmes_share_is_refused_naming_them():
    first = ProgrammeFactory(name="E-commerce (2024)", name_zh="电子商务")
    second = ProgrammeFactory(name="E-commerce (2025)", name_zh="电子商务")
    refusal = _run("--programme", "电子商务")
    assert refusal.startswith("Several programmes are named “电子商务”")
    assert f"“E-commerce (2024)” (id {first.pk})" in refusal
    assert f"“E-commerce (2025)” (id {second.pk})" in refusal

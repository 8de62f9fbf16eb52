"""A link or requirement file's problem that names a framework says which, where two share a
name (and version): by its identifier too. Observed: "Ability “S1” is a code of several
frameworks (ESCO 1.2, ESCO 1.2)", and "Several frameworks are named “ESCO”" with no way to
tell what to write instead."""

import pytest

from curricula.services import course_ability_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins():
    first = FrameworkFactory(name="ESCO", version="1.2")
    second = FrameworkFactory(name="ESCO", version="1.2")
    for framework in (first, second):
        AbilityFactory(framework=framework, code="S1")
    CourseFactory(code="C1")
    return first, second


def _messages(*rows: str) -> list[str]:
    content = ("course,framework,ability,level\n" + "\n".join(rows) + "\n").encode()
    report = course_ability_import(content=content, file_name="links.csv", dry_run=True)
    assert not report.ok
    return [m for error in report.errors for ms in error["errors"].values() for m in ms]


def test_a_code_of_two_frameworks_of_one_name_names_each_by_its_identifier(twins):
    [message] = _messages("C1,,S1,M")
    for framework in twins:
        assert str(framework.identifier) in message


def test_a_name_two_frameworks_share_lists_their_identifiers(twins):
    [message] = _messages("C1,ESCO,S1,M")
    for framework in twins:
        assert str(framework.identifier) in message


def test_a_framework_given_by_identifier_is_named_by_it_where_its_name_is_shared(twins):
    first, _second = twins
    [message] = _messages(f"C1,{first.identifier},NOPE,M")
    assert str(first.identifier) in message


def test_a_framework_whose_name_is_its_own_is_named_by_its_name_alone():
    framework = FrameworkFactory(name="Own", version="")
    CourseFactory(code="C1")
    [message] = _messages(f"C1,{framework.identifier},NOPE,M")
    assert message.startswith(
        "Framework “Own” has no ability whose code, external identifier or URI is “NOPE”:"
    )

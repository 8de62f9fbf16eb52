"""A crosswalk CSV edited in a spreadsheet comes back with indicator 1.10 as 1.1 (LibreOffice
Calc and Excel read a code that looks like a number as that number). The import said only "no
ability '1.1' in the target framework"; it now names the framework's codes it may have been."""

import pytest

from positions.services import CrosswalkRefused, crosswalk_import_csv
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

HEADER = "source_framework,source,relation_type,target_framework,target\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(CrosswalkRefused) as refused:
        crosswalk_import_csv(text=HEADER + text, dry_run=True)
    return [problem for _line, problem in refused.value.problems]


def test_an_unknown_code_a_spreadsheet_made_a_number_names_the_code_it_may_have_been():
    cbe, esco = FrameworkFactory(name="CBE"), FrameworkFactory(name="ESCO")
    AbilityFactory(framework=cbe, code="007")
    AbilityFactory(framework=esco, code="1.10")
    AbilityFactory(framework=cbe, code="1.100")  # another framework's: not the target's
    # The crosswalk import reads CSV alone (a workbook is refused): no XLSX to point to.
    assert [str(p) for p in _problems("CBE,7,exactMatchOf,ESCO,1.1\n")] == [
        "no ability '7' in the source framework (Did you mean “007”? A spreadsheet may have "
        "read the code as a number: set its column to Text when opening the CSV.)",
        "no ability '1.1' in the target framework (Did you mean “1.10”? A spreadsheet may have "
        "read the code as a number: set its column to Text when opening the CSV.)",
    ]


def test_an_unknown_code_no_number_explains_is_said_as_before():
    FrameworkFactory(name="CBE")
    AbilityFactory(framework=FrameworkFactory(name="ESCO"), code="S1.2")
    assert [str(p) for p in _problems("CBE,CBE.404,exactMatchOf,ESCO,S1.2\n")] == [
        "no ability 'CBE.404' in the source framework"
    ]

"""Every download of a record named in Chinese is named after it, in RFC 6266's
filename*=UTF-8''… beside an ASCII filename=: a programme named 软件工程 was downloaded from
the API as "programme-map.csv" (its slug empty) and from the pages by its id alone."""

import re
from urllib.parse import unquote

import pytest

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import FrameworkFactory

pytestmark = pytest.mark.django_db

NAME = "软件工程"


def _names(response) -> tuple[str, str | None]:
    header = response["Content-Disposition"]
    assert header.isascii(), header
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header)
    ascii_name = re.search(r'filename="([^"]*)"', header)[1]
    return ascii_name, unquote(encoded[1]) if encoded else None


@pytest.mark.parametrize(
    ("path", "suffix"),
    [
        ("/api/v1/programs/{pk}/map.csv", "-map.csv"),
        ("/api/v1/programs/{pk}/workbook.xlsx", "-workbook.xlsx"),
        ("/programs/{pk}/map.csv", "-map.csv"),
        ("/programs/{pk}/workbook.xlsx", "-workbook.xlsx"),
        ("/programs/{pk}/chart.svg", "-coverage.svg"),
    ],
)
def test_a_chinese_programme_s_downloads_carry_its_name(staff_client, path, suffix):
    programme = ProgrammeFactory(name=NAME)

    response = staff_client.get(path.format(pk=programme.pk))

    assert response.status_code == 200, response.content
    assert _names(response) == (f"programme-{programme.pk}{suffix}", f"{NAME}{suffix}")


def test_a_chinese_framework_s_moodle_csv_carries_its_name(staff_client):
    framework = FrameworkFactory(name="数据科学能力框架")

    response = staff_client.get(f"/api/v1/frameworks/{framework.pk}/moodle.csv")

    assert response.status_code == 200, response.content
    assert _names(response) == (f"framework-{framework.pk}.csv", "数据科学能力框架.csv")

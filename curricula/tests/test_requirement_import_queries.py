"""A requirement file's rows are looked up in bulk, as a link file's are
(curricula.import_jobs._preload): its abilities (by code, and by URI), its positions and the
requirements it may update are read in a few queries for the whole file. Observed: each row
read its ability, and the requirement it updates, with queries of its own, so a 5,000-row file
made some 10,000 queries more than a 5-row one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.services import requirement_import
from positions.models import Requirement
from positions.tests.factories import AbilityFactory, FrameworkFactory, PositionFactory, level

pytestmark = pytest.mark.django_db

HEADER = (
    "position,position_name,position_name_zh,framework,ability,importance,min_level,"
    "ability_uri,ability_external_id"
)


def _file(rows: int, *, with_uri: bool) -> bytes:
    framework = FrameworkFactory(name=f"Framework of {rows}")
    lines = [HEADER]
    for i in range(rows):
        uri = f"http://example.org/{rows}/skill/{i}"
        AbilityFactory(framework=framework, code=f"K{i}", uri=uri)
        # With URIs, each row's code is another ability's (another installation's codes):
        # the URI decides.
        code = f"K{(i + 1) % rows}" if with_uri else f"K{i}"
        lines.append(
            f"P{i % 3},,,{framework.identifier},{code},essential,M,{uri if with_uri else ''},"
        )
    return ("\n".join(lines) + "\n").encode()


def _queries(content: bytes) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        report = requirement_import(content=content, file_name="requirements.csv")
    assert report.errors == []
    return [query["sql"] for query in queries]


def _lookups(queries: list[str]) -> list[str]:
    return [
        sql
        for sql in queries
        if sql.startswith("SELECT")
        and any(
            f'FROM "{table}"' in sql
            for table in ("positions_ability", "positions_requirement", "positions_position")
        )
    ]


@pytest.mark.parametrize("with_uri", [False, True])
def test_the_lookups_of_a_requirement_file_do_not_grow_with_its_rows(with_uri):
    for i in range(3):
        PositionFactory(code=f"P{i}")

    few = _lookups(_queries(_file(5, with_uri=with_uri)))
    many = _lookups(_queries(_file(50, with_uri=with_uri)))

    assert len(many) == len(few), many
    assert Requirement.objects.filter(min_level=level("M")).count() == 55


def _statements(queries: list[str]) -> list[str]:
    """The queries but the savepoint around each row (django-import-export's, a row's
    transaction control, no read or write)."""
    return [sql for sql in queries if "SAVEPOINT" not in sql]


def test_an_unchanged_file_reimported_costs_the_same_for_5_rows_as_for_50():
    """Nothing to write: the whole import is its lookups, a fixed number of queries."""
    for i in range(3):
        PositionFactory(code=f"P{i}")
    small, large = _file(5, with_uri=True), _file(50, with_uri=True)
    _queries(small)
    _queries(large)

    assert len(_statements(_queries(large))) == len(_statements(_queries(small)))

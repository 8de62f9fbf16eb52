"""Observed: ESCO v1.2's occupations file gives each occupation its NACE code (`naceCode`,
the economic activity it belongs to, beside its own `code` and its ISCO group), which the
importer read with the row and dropped: the ISCO group is kept in the position's extra data,
the NACE code nowhere, so a site could not tell which sector an imported position is in
without the download. It is kept beside the ISCO group."""

import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Position

FIXTURES = Path(__file__).parent / "fixtures"
OCC1 = "http://data.europa.eu/esco/occupation/test-occ-1"
OCC2 = "http://data.europa.eu/esco/occupation/test-occ-2"
# The v1.2 occupations file as ESCO writes it, its last columns the occupation's own code and
# its NACE code (the second occupation has none).
OCCUPATIONS = (
    "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code,"
    "naceCode\n"
    f"Occupation,{OCC1},2431,e-commerce manager,,,released,2023-01-01,,,,"
    "http://data.europa.eu/esco/concept-scheme/occupations,Runs online sales.,2431.7,M70.2\n"
    f"Occupation,{OCC2},4323,export clerk,,,released,2023-01-01,,,,"
    "http://data.europa.eu/esco/concept-scheme/occupations,Prepares shipping documents.,"
    "4323.2,\n"
)


@pytest.mark.django_db
def test_an_occupations_nace_code_is_kept_beside_its_isco_group(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", folder)
    (folder / "occupations_en.csv").write_text(OCCUPATIONS, encoding="utf-8")

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    position = Position.objects.get(external_id=OCC1)
    assert position.code == "2431.7"
    assert position.extra["iscoGroup"] == "2431"
    assert position.extra["naceCode"] == "M70.2"
    # None given, none kept, as an empty ISCO group is not.
    assert "naceCode" not in Position.objects.get(external_id=OCC2).extra

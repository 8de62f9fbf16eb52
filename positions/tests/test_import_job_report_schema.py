"""An import job's report is documented in the API schema, its problems in one shape for every
kind of job (ImportProblems: the error's `problems`, each {where, message}, and
`problems_total`). Observed: `report` was a bare object, and a course catalogue job's problems
were its warnings where a framework job's were its error's."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def components():
    schema = SchemaGenerator(urlconf="competency_site.tests.api_v1_urlconf").get_schema(
        request=None, public=True
    )
    return schema["components"]["schemas"]


def _resolved(components, schema):
    if "$ref" in schema:
        return components[schema["$ref"].rsplit("/", 1)[-1]]
    for combined in ("allOf", "oneOf"):
        if combined in schema:
            return _resolved(components, schema[combined][0])
    return schema


def test_the_job_s_report_says_where_its_problems_are(components):
    report = _resolved(components, components["ImportJob"]["properties"]["report"])
    error = _resolved(components, report["properties"]["error"])
    assert {"where", "message", "problems", "problems_total"} <= set(error["properties"])
    problem = _resolved(components, error["properties"]["problems"]["items"])
    assert set(problem["properties"]) == {"where", "message"}
    assert {"counts", "warnings", "skipped", "details"} <= set(report["properties"])

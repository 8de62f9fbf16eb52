"""The source reference's help text fits any record's source, not only the paper's."""

import re

from django.apps import apps


def test_no_source_reference_help_text_names_the_papers_tables():
    """Observed: every model's source_ref said "e.g. 'Table II, position 4'", the paper's wording,
    in every university's form, whether the record came from a file, a table or a web page."""
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.fields
        if field.name == "source_ref"
    ]
    assert len(fields) > 20
    for field in fields:
        help_text = str(field.help_text)
        assert help_text, field
        assert not re.search(r"Table I|paper", help_text), (field, help_text)

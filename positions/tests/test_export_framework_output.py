"""`manage.py export_framework -o FILE` with a file it cannot write says so in one line, as every
command does with a file it cannot read. Observed by an operator: a path in a folder that does not
exist, or a folder, ended in a traceback (FileNotFoundError, IsADirectoryError)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["missing/dir/x.csv", "."])
def test_an_output_it_cannot_write_is_a_command_error_naming_it(tmp_path, where):
    framework = FrameworkFactory()
    AbilityFactory(framework=framework)
    output = tmp_path / where

    with pytest.raises(CommandError, match="cannot be written") as refused:
        call_command("export_framework", framework.pk, format="moodle", output=str(output))

    assert str(output) in str(refused.value)
    assert not (tmp_path / "missing").exists()

"""The crosswalk CSV (relations between abilities of different frameworks) imported as an
import job: the API's `ability-relations/import-csv/` with background, and the admin's import
past ADMIN_IMPORT_INLINE_ROWS, hand the file to one (a file too large to import inside a request
had no way in).

The very service the request imports with (positions.services.crosswalk_import_csv), so the same
columns, lookups and messages; written in the job's one transaction, all or nothing, each
problem reported with its line; a dry run rolled back by framework_import as every import's is.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.i18n import join_sentences
from core.limits import at_line
from core.spreadsheets import csv_only_text
from positions.importers.base import Importer, ImportFailed, Problems
from positions.models import AbilityRelation


class CrosswalkImporter(Importer):
    writes = (AbilityRelation,)
    # A file staff hand to a job for its size: their permission to add relations by hand
    # covers it, as the catalogue's and the links' (curricula.import_jobs).
    started_as_job = False
    # Staff's own file: a cell refused is a problem on its line, as inside a request.
    tidies_text = False
    opens_archives = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.text = ""

    def validate(self) -> None:
        if len(self.source.names()) != 1:
            raise ImportFailed(_("this import reads one CSV file"))
        try:
            self.text = csv_only_text(self.source.path.read_bytes())
        except ValidationError as error:
            raise ImportFailed(join_sentences(error.messages), where=self.source_name) from error
        self.progress(0.05, "read")

    def write(self) -> tuple[set[int], set[int]]:
        from positions.services import CrosswalkRefused, crosswalk_import_csv

        try:
            # Announced by framework_import with the job's other changes, and not on a dry run
            # (rolled back there).
            result = crosswalk_import_csv(
                text=self.text, source_name=self.source_name, user=self._user(), announce=False
            )
        except CrosswalkRefused as refused:
            # Every problem, each where it is, the first PROBLEM_LIST_LIMIT listed and all
            # counted, as every import job reports a refused file's.
            problems = Problems()
            for line, message in refused.problems:
                where = self.source_name if line is None else at_line(line)
                problems.add(message, where=where, line=line)
            problems.raise_any()
            raise
        self.report.count("relation", "created", result.created)
        self.report.count("relation", "unchanged", result.unchanged)
        self.progress(0.95, "written")
        return result.ability_ids, set()

    def _user(self):
        """Who started the job (its `user_id` option, as the catalogue's and the links' jobs
        take it, curricula.import_jobs; the job's `created_by` for one queued before its options
        named it, positions.services.import_job_execute), named in the relations' history: no
        request is there to name them."""
        user_id = self.options.get("user_id")
        if not user_id:
            return None
        return get_user_model().objects.filter(pk=user_id).first()

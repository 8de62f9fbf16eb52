"""What every file import of the API shares (the catalogue's, the links', the requirements' and
the crosswalk CSV's): the `dry_run` and `background` flags, read alike from the form and the
query string and documented once; the throttle counting a background import as a job started;
and the refusal of a file too large to import inside the request."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.fields import BooleanField, ChoiceField

from core.api.throttling import AnonRateThrottleExceptStaff, JobStartThrottle
from core.csv import CSV_ENCODINGS, UTF_8, csv_encoding_checked

ENCODING_HELP = _(
    "The encoding a CSV file is read in: utf-8 (the default; UTF-16 too where the file starts "
    "with its byte order mark), gb18030 (also GBK and GB2312: the plain “CSV” Excel and WPS save "
    "on Chinese Windows), big5 (Chinese Windows in Taiwan and Hong Kong) or windows-1252 (Western "
    "European Windows). A file starting with a UTF-8 or UTF-16 byte order mark is read as that "
    "mark says. Never guessed: a file that does not read in it is a 400 on `file` naming the line. "
    "An XLSX file ignores it."
)
# The form field of an upload's schema given as a dict (curricula's imports).
ENCODING_PROPERTY = {
    "type": "string",
    "enum": [name for name, _label in CSV_ENCODINGS],
    "default": UTF_8,
    "description": ENCODING_HELP,
}


class ImportLineSerializer(serializers.Serializer):
    """A line of an imported file with problems, as every import's report names it; each import
    says what its `errors` hold."""

    line = serializers.IntegerField(help_text=_("The line of the file (the header is line 1)."))
    row = serializers.IntegerField(
        required=False,
        help_text=_(
            "The row a spreadsheet shows the line's record on, given only where it is not the "
            "line: in a CSV whose quoted cells span lines, or that starts with a “sep=” line."
        ),
    )


def problem_lines(line: type[ImportLineSerializer]) -> ImportLineSerializer:
    """An import report's `errors`: its lines with problems, each as `line` says them."""
    return line(
        many=True,
        help_text=_(
            "The problems, by line: those of the first 100 lines with any (errors_total counts "
            "them all)."
        ),
    )


def problem_lines_total() -> serializers.IntegerField:
    """An import report's `errors_total`, beside problem_lines."""
    return serializers.IntegerField(
        help_text=_("How many lines have problems, those listed in errors and those past them.")
    )


IGNORED_COLUMNS_HELP = _("Columns of the file the import does not read, as its header names them.")
IGNORED_COLUMNS_NOTES_HELP = _(
    "What to do of columns left out that no other name would get read: a catalogue's term "
    "column, imported into no programme, is read only into one. Empty for none."
)


def ignored_columns_field() -> serializers.ListField:
    """A spreadsheet import's `ignored_columns`, in its report and in its job's details."""
    return serializers.ListField(child=serializers.CharField(), help_text=IGNORED_COLUMNS_HELP)


def ignored_columns_notes_field() -> serializers.ListField:
    """A spreadsheet import's `ignored_columns_notes`, beside ignored_columns_field, worded once
    by the import for every door."""
    return serializers.ListField(
        child=serializers.CharField(), help_text=IGNORED_COLUMNS_NOTES_HELP
    )


# An import job's `details`: what its kind of import adds, free-form, of which a spreadsheet's
# (a catalogue, link or requirement file) columns left out and the notes on them are named, as
# the report of the same import inside the request names them.
IMPORT_JOB_DETAILS_SCHEMA = {
    "type": "object",
    "description": _(
        "What the kind of import adds; a catalogue, link or requirement file's job gives the "
        "columns it left out and what to do of them, as the import's report does."
    ),
    "properties": {
        "ignored_columns": {
            "type": "array",
            "items": {"type": "string"},
            "description": IGNORED_COLUMNS_HELP,
        },
        "ignored_columns_notes": {
            "type": "array",
            "items": {"type": "string"},
            "description": IGNORED_COLUMNS_NOTES_HELP,
        },
    },
    "additionalProperties": True,
}


def encoding_field() -> ChoiceField:
    """The `encoding` field of an upload's serializer."""
    return ChoiceField(
        choices=CSV_ENCODINGS, required=False, default=UTF_8, help_text=ENCODING_HELP
    )


def import_encoding(request) -> str:
    """The form's `encoding` (core.csv.CSV_ENCODING_NAMES; UTF-8 when left out), or a 400 on
    `encoding` listing them."""
    return csv_encoding_checked(request.data.get("encoding"))


IMPORT_PARAMETERS = [
    OpenApiParameter(
        "dry_run",
        bool,
        OpenApiParameter.QUERY,
        description=_(
            "Check only, write nothing; the same as the form's dry_run. With background, a job "
            "that checks every row and writes nothing: its report (dry_run true) has the "
            "problems by line, or the counts the import would write."
        ),
    ),
    OpenApiParameter(
        "background",
        bool,
        OpenApiParameter.QUERY,
        description=_(
            "Import as a background job: answers 202 with the job; the same as the form's "
            "background. A file of more than API_IMPORT_INLINE_ROWS rows (blank ones too) is "
            "imported only so: without background, it is a 400 on `file` that says so."
        ),
    ),
]


def import_flag(request, name: str) -> bool:
    """`name` from the form or the query string: true or false (also 1/0, yes/no, on/off).
    Anything else, a typo as much as "maybe", is refused rather than read as "no", which would
    write for real what the client meant to check (dry_run); so are values that say both."""
    field = BooleanField()
    given = set()
    for value in [*request.data.getlist(name), *request.query_params.getlist(name)]:
        try:
            given.add(field.to_internal_value(value))
        except DRFValidationError:
            raise ValidationError(
                {
                    name: _("Give %(name)s as true or false, not “%(value)s”.")
                    % {"name": name, "value": value}
                }
            ) from None
    if len(given) > 1:
        raise ValidationError(
            {name: _("%(name)s is given both as true and as false.") % {"name": name}}
        )
    return given == {True}


class BackgroundImportThrottle(JobStartThrottle):
    """An upload counts as a job started only when it is imported in the background."""

    def starts_job(self, request) -> bool:
        if not hasattr(request.data, "getlist"):
            return False  # no form, so no file: the view answers the 400
        try:
            return import_flag(request, "background")
        except ValidationError:
            return False  # the view answers the 400


IMPORT_THROTTLES = [AnonRateThrottleExceptStaff, BackgroundImportThrottle]


def too_large_inside_the_request(limit: int) -> ValidationError:
    """The 400 on `file` of every import past API_IMPORT_INLINE_ROWS without background."""
    return ValidationError(
        {
            "file": _(
                "The file has more than %(limit)d rows (API_IMPORT_INLINE_ROWS), or more "
                "text than that many rows hold: too large to import inside the request. "
                "Import it in the background (background=true; with dry_run=true too, to "
                "check it only), which checks every row before writing any, and follow the "
                "job at its status URL."
            )
            % {"limit": limit}
        }
    )

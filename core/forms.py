"""Form fields the admin's upload forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.csv import CSV_ENCODINGS, UTF_8


def encoding_form_field(**kwargs) -> forms.ChoiceField:
    """The select of the encoding a CSV file is read in (core.csv.CSV_ENCODINGS), UTF-8 chosen,
    as Moodle's own CSV import offers one; the API's `encoding` and the commands' `--encoding`
    choose the same."""
    return forms.ChoiceField(
        label=_("Encoding"),
        choices=CSV_ENCODINGS,
        initial=UTF_8,
        required=False,
        help_text=_(
            "What a CSV file was saved in. Excel's and WPS's plain “CSV” is GB18030 (GBK) on "
            "Chinese Windows and Windows-1252 on Western European Windows; “CSV UTF-8” is "
            "UTF-8. A workbook (.xlsx) needs none."
        ),
        **kwargs,
    )

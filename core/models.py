"""What every record of the project shares: where it came from, and the degree levels that
positions, certifications and programmes are placed at. Abstract models, enumerations and field
classes only: the core has no tables of its own."""

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, models
from django.db.models import Q, lookups
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import RecordDeletedMeanwhile
from core.i18n import join_list, language_tag


class Provenance(models.TextChoices):
    """Where a record came from, so a reader can tell the paper's data from everything else."""

    PAPER = "paper", _("The paper (Luan et al.)")
    STARTER = "starter", _("Editorial starter mapping")
    IMPORT = "import", _("Import")
    EDIT = "edit", _("Edited by staff")
    GENERATED = "generated", _("Synthetic catalogue")
    SUGGESTED = "suggested", _("Accepted suggestion")


class DegreeLevel(models.TextChoices):
    """The tertiary levels of ISCED 2011 (5 to 8), which every university's degrees map onto:
    a nursing faculty's diploma or associate programme, a doctorate. Their codes are the API's,
    the filters' and the stored values, so a code once given is never renamed; the paper's
    Table I uses bachelor and master alone. Pages lay out only the levels in use."""

    ASSOCIATE = "associate", _("Associate")  # ISCED 5, short-cycle tertiary (专科)
    BACHELOR = "bachelor", _("Bachelor")  # ISCED 6
    MASTER = "master", _("Master")  # ISCED 7
    DOCTORATE = "doctorate", _("Doctorate")  # ISCED 8

    @classmethod
    def in_order(cls, codes: Iterable[str]) -> list[tuple[str, str]]:
        """(code, label) of the levels among `codes`, lowest first (unknown codes left out)."""
        codes = set(codes)
        return [(code, label) for code, label in cls.choices if code in codes]

    @classmethod
    def order_by(cls, field: str = "degree_level") -> models.Case:
        """An expression ordering rows by their level, lowest first: the codes' alphabetical
        order puts doctorate before master."""
        return models.Case(
            *(models.When(**{field: code}, then=rank) for rank, code in enumerate(cls.values)),
            default=len(cls.values),
            output_field=models.IntegerField(),
        )


def degree_level_refusal(value: object) -> str:
    """What a value that is no degree level is refused with: the codes taken."""
    return _("“%(value)s” is not a degree level: use one of %(levels)s.") % {
        "value": value,
        "levels": join_list(DegreeLevel.values),
    }


class DegreeLevelField(models.CharField):
    """A degree level, one of DegreeLevel's codes. Its choices are the enumeration's, left out of
    migrations: a level added to DegreeLevel needs none. A value not among them is refused
    naming the codes taken."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs["choices"] = DegreeLevel.choices
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        if kwargs.get("max_length") == 16:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        if self.choices and value not in self.empty_values and value not in DegreeLevel.values:
            raise ValidationError(degree_level_refusal(value), code="invalid_choice")
        super().validate(value, model_instance)


def _ordinary_whitespace(character: str) -> bool:
    # What str.strip() takes, less the control characters it counts as whitespace (U+0085,
    # U+001C to U+001F, a vertical tab, a form feed) other than a tab and line breaks: stripped
    # at an end, those were stored silently shortened where inside the text they are refused.
    return character.isspace() and (
        character in "\t\n\r" or unicodedata.category(character) != "Cc"
    )


def strip_ordinary_whitespace(value: str) -> str:
    """`value` without the whitespace around it (spaces, tabs, line breaks, a no-break space)
    as str.strip() takes it, except for the control characters strip() also counts as
    whitespace (U+0085, U+001C to U+001F, U+000B, U+000C): those are kept, so that the field's
    validator refuses them at an end as it does inside."""
    start, end = 0, len(value)
    while start < end and _ordinary_whitespace(value[start]):
        start += 1
    while end > start and _ordinary_whitespace(value[end - 1]):
        end -= 1
    return value[start:end]


def _invisible_at_an_end(character: str) -> bool:
    # Ordinary whitespace, and the format characters (Cf) a copy from a web page or document
    # brings along unseen: zero-width spaces and joiners, a byte order mark, direction marks.
    return _ordinary_whitespace(character) or unicodedata.category(character) == "Cf"


def normalized_code(value: str) -> str:
    """A code as it is stored and compared: NFKC (full-width letters and digits, as a Chinese
    input method types them, are ASCII; a decomposed accent is the composed one) without
    surrounding whitespace or invisible format characters (a zero-width space, a byte order
    mark), so that one code written two ways is one code."""
    value = unicodedata.normalize("NFKC", value)
    start, end = 0, len(value)
    while start < end and _invisible_at_an_end(value[start]):
        start += 1
    while end > start and _invisible_at_an_end(value[end - 1]):
        end -= 1
    return value[start:end]


# What XML 1.0 cannot carry (its Char production): C0 controls other than tab and line breaks,
# the noncharacters U+FFFE and U+FFFF, and lone surrogates. Pages escape what they show, but a
# document served alone as XML (the programme's chart) is refused whole by a browser at one.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# What no text of the project holds: every control character (C0, DEL and C1: a NUL, an escape
# starting a terminal's colour code, U+0085 a Windows-1252 file read as Latin-1 brings for its
# ellipsis), lone surrogates and the rest of XML_ILLEGAL. Prose keeps its tabs and line breaks.
_NAME_ILLEGAL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PROSE_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# Every invisible format character (Cf: a soft hyphen, a zero-width space or joiner, a direction
# mark or isolate, a byte order mark, tag characters), as unicodedata lists them; a test holds
# the list to the running Python's. Written as escapes Python and PostgreSQL's regular
# expressions share.
_FORMAT_CHARACTERS = (
    r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    r"\U000e0020-\U000e007f"
)
# What no code or identifier holds (an ability's code, an external identifier): what no name
# holds, an invisible character ("CS\u200b101" would read as CS101 beside the real one), and
# the line and paragraph separators, which break a line where a CSV, a CASE export's JSON read
# by a script or a terminal shows it. An ordinary space is kept: catalogues write "CS 101" and
# CASE's human coding schemes "CCSS.Math 1.A", and Moodle's ID numbers and CASE keep them;
# where a code goes into a URL reverse() quotes it, and the CSV writer quotes a cell.
_CODE_ILLEGAL = re.compile(
    rf"[\x00-\x1f\x7f-\x9f\u2028\u2029{_FORMAT_CHARACTERS}\ud800-\udfff\ufffe\uffff]"
)
# What no URI holds (RFC 3986, and RFC 3987's IRIs for letters beyond ASCII): what no code
# holds, and whitespace of any kind and the ASCII characters RFC 3986 leaves out ("<>\"{}|\^`),
# which a URI carries percent-encoded.
_URI_ILLEGAL = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    rf"{_FORMAT_CHARACTERS}\ud800-\udfff\ufffe\uffff\"<>\\^`{{|}}]"
)


class TextKind(models.TextChoices):
    """What a checked text field holds, and so which characters it refuses (illegal_characters)
    and how someone else's text is tidied for it (text_without_illegal)."""

    NAME = "name"
    PROSE = "prose"
    CODE = "code"
    URI = "uri"


def _illegal(kind: str) -> re.Pattern:
    return {
        TextKind.NAME: _NAME_ILLEGAL,
        TextKind.PROSE: _PROSE_ILLEGAL,
        TextKind.CODE: _CODE_ILLEGAL,
        TextKind.URI: _URI_ILLEGAL,
    }[kind]


def characters_named(characters: Iterable[str]) -> str:
    """Characters as a message names them, each once: "U+001B, U+0085"."""
    return join_list(f"U+{ord(c):04X}" for c in dict.fromkeys(characters))


def illegal_characters(value: str, *, kind: str) -> list[str]:
    """The characters of `value` a field of `kind` (TextKind) refuses."""
    return _illegal(kind).findall(value)


def illegal_characters_regex(*, kind: str) -> str:
    """What a field of `kind` (TextKind) refuses, as a `__regex` lookup's pattern: escapes in
    the syntax Python (so SQLite's REGEXP) and PostgreSQL's advanced expressions share, so that
    the database finds the rows holding them."""
    return _illegal(kind).pattern


def _refuse_illegal_characters(
    value: str, *, kind: str, message: str, code: str = "control_character"
) -> None:
    if isinstance(value, str) and (found := illegal_characters(value, kind=kind)):
        raise ValidationError(message, code=code, params={"characters": characters_named(found)})


def validate_name_characters(value: str) -> None:
    """A name or title (one line) holds no control character, a tab or line break included,
    and nothing XML cannot carry (XML_ILLEGAL)."""
    _refuse_illegal_characters(
        value,
        kind=TextKind.NAME,
        message=_(
            "A name cannot hold control characters (such as a line break, a tab or an "
            "escape) or characters XML cannot carry: %(characters)s."
        ),
    )


def validate_prose_characters(value: str) -> None:
    """A description or note holds tabs and line breaks, and no other control character nor
    anything XML cannot carry (XML_ILLEGAL)."""
    _refuse_illegal_characters(
        value,
        kind=TextKind.PROSE,
        message=_(
            "This text cannot hold control characters other than tabs and line breaks, or "
            "characters XML cannot carry: %(characters)s."
        ),
    )


def validate_reference_characters(value: str) -> None:
    """A source reference (one line) refuses what a name refuses (validate_name_characters)."""
    _refuse_illegal_characters(
        value,
        kind=TextKind.NAME,
        message=_(
            "A source reference cannot hold control characters (such as a line break, a tab or "
            "an escape) or characters XML cannot carry: %(characters)s."
        ),
    )


def validate_code_characters(value: str) -> None:
    """A code or an identifier holds no control character (a line break, a tab), no invisible
    one ("CS\u200b101" would read as CS101 beside the real one), no line separator and nothing
    XML cannot carry (_CODE_ILLEGAL). An ordinary space is taken."""
    _refuse_illegal_characters(
        value,
        kind=TextKind.CODE,
        code="invisible",
        message=_(
            "A code or identifier cannot hold control characters, invisible ones (such as a "
            "zero-width space), line separators or characters XML cannot carry: "
            "%(characters)s."
        ),
    )


_URI_MESSAGE = _(
    "Enter an absolute URI: a scheme and what it names, such as https://example.org/skills/1 or "
    "urn:uuid:6f1c1a0e-1b7a-4c3e-9a8f-0d2b1c3e4f50."
)
_URI_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.+)\Z", re.DOTALL)
# Schemes that run or carry content rather than name a resource: an identifier never needs one.
_NOT_IDENTIFYING_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_WEB_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})
# A URN's namespace identifier (RFC 8141), then something it names.
_URN_BODY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}:.")


def validate_uri(value: str) -> None:
    """An absolute URI (RFC 3986; an IRI's letters beyond ASCII are taken, RFC 3987): a scheme,
    then what it names, with no whitespace, control or invisible character (percent-encoded
    they are taken) and each % followed by two hex digits. A URN (urn:uuid:..., as CASE
    identifies its items) is taken, where Django's URLValidator takes web addresses only; a web
    address (http, https, ftp) still needs its host (URLValidator); javascript:, vbscript: and
    data: URIs, which run or carry content, are refused."""
    if not isinstance(value, str) or not value:
        return
    _refuse_illegal_characters(
        value,
        kind=TextKind.URI,
        message=_(
            "A URI cannot hold spaces, control characters, invisible ones or characters XML "
            "cannot carry (percent-encode them): %(characters)s."
        ),
    )
    match = _URI_SCHEME.match(value)
    if (
        match is None
        or re.search(r"%(?![0-9A-Fa-f]{2})", value)
        or match[1].lower() in _NOT_IDENTIFYING_SCHEMES
        or (match[1].lower() == "urn" and not _URN_BODY.match(match[2]))
    ):
        raise ValidationError(_URI_MESSAGE, code="invalid_uri")
    if match[1].lower() in _WEB_SCHEMES:
        try:
            URLValidator()(value)
        except ValidationError:
            raise ValidationError(_URI_MESSAGE, code="invalid_uri") from None


def uri_runs_content(value: Any) -> bool:
    """Whether `value` is a URI that runs script or carries content (javascript:, vbscript:,
    data:) as a browser reads a link's address: tabs and line breaks anywhere and control
    characters and spaces before it left out, the scheme's letters in either case. Such a URI
    is what validate_uri refuses in a `uri` column; a value kept elsewhere (an import's `extra`)
    is never published where a reader may follow it."""
    if not isinstance(value, str):
        return False
    read = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(0x21))))
    match = _URI_SCHEME.match(read)
    return match is not None and match[1].lower() in _NOT_IDENTIFYING_SCHEMES


def text_without_illegal(value: str, *, kind: str) -> str:
    """`value` as a field of `kind` (TextKind) takes it, for text read from someone else's
    file: in a name, each tab or line break a space, the other refused characters left out; in
    a code or identifier, each control character or separator that breaks a line or spaces
    words (a tab, a line break, U+0085, U+2028) a space, the other refused characters left out
    and ordinary whitespace trimmed; in a URI, the invisible and control characters left out
    and each space or character RFC 3986 leaves out percent-encoded, as a browser's URL parser
    does. Prose keeps its tabs and line breaks."""
    if kind == TextKind.PROSE:
        return _PROSE_ILLEGAL.sub("", value)
    if kind == TextKind.NAME:
        return _NAME_ILLEGAL.sub("", re.sub(r"[\t\n\r]", " ", value))
    if kind == TextKind.CODE:
        spaced = re.sub(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]", " ", value)
        return strip_ordinary_whitespace(_CODE_ILLEGAL.sub("", spaced))
    kept = _CODE_ILLEGAL.sub("", value.strip())
    return _URI_ILLEGAL.sub(lambda match: quote(match.group(), safe=""), kept)


def code_from_text(text: str) -> str:
    """A code made from someone else's text (a publisher's competency code), so that it passes
    validate_code_characters (text_without_illegal), then normalized_code."""
    return normalized_code(text_without_illegal(text, kind=TextKind.CODE))


def normalized_lines(text: str) -> str:
    """`text` with its lines ended by "\\n" (a browser's textarea sends "\\r\\n", a spreadsheet's
    cell may hold "\\r") and each line, and the whole, stripped as strip_ordinary_whitespace
    strips: how a course's description and outcomes (one per line) are stored, by the catalogue
    import, the API and the admin's form alike."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_ordinary_whitespace("\n".join(map(strip_ordinary_whitespace, text.split("\n"))))


class TrimmedCharFormField(forms.CharField):
    """A form's CharField that strips the whitespace around its value as Django's does, except
    the control characters str.strip() counts as whitespace (strip_ordinary_whitespace): a
    title typed or pasted ending in U+0085 is refused, not stored without it."""

    def __init__(self, *, strip: bool = True, **kwargs):
        self.trim = strip
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if self.trim and isinstance(value, str):
            value = strip_ordinary_whitespace(value)
            if value in self.empty_values:
                return self.empty_value
        return value


class LinesFormField(TrimmedCharFormField):
    """A form's field of text kept a line at a time (a course's outcomes): normalized_lines."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalized_lines(value) if isinstance(value, str) and self.trim else value


class _CheckedText:
    """A model field whose text is checked for `text_kind`'s characters (TextKind)."""

    text_kind: str


class _TrimmedFormField:
    """For a model field whose refused characters strip() would take at an end: its form field
    keeps them there for the validator (TrimmedCharFormField)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TrimmedCharFormField, **kwargs})


class NameField(_CheckedText, _TrimmedFormField, models.CharField):
    """A CharField holding one line of text (a name, a title, a label): control characters and
    what XML cannot carry are refused at every door that cleans (validate_name_characters),
    at either end as inside."""

    default_validators = [validate_name_characters]
    text_kind = TextKind.NAME


class ProseField(_CheckedText, models.TextField):
    """A TextField holding prose (a description, outcomes, a note): tabs and line breaks kept,
    other control characters and what XML cannot carry refused (validate_prose_characters), at
    either end as inside. Its form field (LinesFormField), the API's (ModelSerializer) and the
    imports store it a line at a time (normalized_lines); text stored before is left as it is
    until edited."""

    default_validators = [validate_prose_characters]
    text_kind = TextKind.PROSE

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LinesFormField, **kwargs})


def language_tag_or_as_given(value: Any, *, two_languages: str | None = None) -> Any:
    """`value` as language_tag stores it, or as given where it refuses it (for an import to
    compare with what is stored before the record's check refuses it, at its line)."""
    if not isinstance(value, str):
        return value
    try:
        return language_tag(value, two_languages=two_languages)
    except ValidationError:
        return value


def language_cleaned(record: models.Model, *, two_languages: str | None = None) -> None:
    """A model's clean() step for its `language`: stored as a language tag (CASE's `language`
    is one), a language's name (Chinese, 中文) as its tag, anything else refused on the field
    naming what is taken (core.i18n.language_tag; `two_languages` as it takes it). A value
    holding a control character is left to the field's own check: one message, not two."""
    try:
        validate_code_characters(record.language)
    except ValidationError:
        return
    try:
        record.language = language_tag(record.language, two_languages=two_languages)
    except ValidationError as error:
        raise ValidationError({"language": error}) from error


class IdentifierField(_CheckedText, _TrimmedFormField, models.CharField):
    """A CharField holding a code or identifier kept as its source wrote it (an ability's or a
    position's code, a publisher's external identifier): control and invisible characters,
    line separators and what XML cannot carry are refused at every door that cleans
    (validate_code_characters); an ordinary space is taken."""

    default_validators = [validate_code_characters]
    text_kind = TextKind.CODE


class URIField(_CheckedText, _TrimmedFormField, models.CharField):
    """A CharField holding an absolute URI (validate_uri): a web address or a URN, as CASE and
    ESCO identify their items. Django's URLField takes web addresses only."""

    default_validators = [validate_uri]
    text_kind = TextKind.URI


def text_fields(model: type[models.Model]) -> list[tuple[models.Field, str]]:
    """`model`'s fields whose characters are checked (names, prose, codes, identifiers, source
    references, URIs), each with its TextKind."""
    return [
        (field, field.text_kind)
        for field in model._meta.concrete_fields
        if isinstance(field, _CheckedText)
    ]


def normalise_stored_codes(model) -> None:
    """A data migration's step for a model whose `code` becomes a CodeField: normalise the codes
    stored before. A code that would become another row's (CS101 beside a full-width ＣＳ１０１)
    is left as it is and named on the console: the two are one record to merge by hand, not a
    reason for the migration to fail or to pick one. `model` is the migration's historical one."""  # noqa: RUF002
    rows = list(model.objects.order_by("pk").values_list("pk", "code"))
    taken = {code: pk for pk, code in rows}
    for pk, code in rows:
        normal = normalized_code(code)
        if normal == code:
            continue
        holder = taken.get(normal)
        if holder is not None and holder != pk:
            print(
                f"\n  {model._meta.verbose_name.capitalize()} {pk} keeps its code {code!r}: "
                f"written as stored ({normal!r}) it is {holder}'s. Merge the two, or change one's "
                "code."
            )
            continue
        model.objects.filter(pk=pk).update(code=normal)
        taken.pop(code, None)
        taken[normal] = pk


class CodeField(_CheckedText, _TrimmedFormField, models.CharField):
    """A CharField holding a code, normalised (normalized_code) at every door: cleaned values
    (full_clean, so model forms and services check uniqueness on the normalised code), saved
    values (bulk writes too) and looked-up values (`code=`, `code__in=`: a file naming a course
    in full width finds it). Control and invisible characters inside a code are refused
    (validate_code_characters)."""

    default_validators = [validate_code_characters]
    text_kind = TextKind.CODE

    def to_python(self, value):
        value = super().to_python(value)
        return normalized_code(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalized_code(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalized_code(value) if isinstance(value, str) else value


def code_key(value: str) -> str:
    """What a code is compared by where the letters' case does not matter (CaselessCodeField):
    the normalised code in capitals, as the database's UPPER() compares it, so that a dict by
    code_key finds what a caseless lookup found ("cs101" for CS101)."""
    return normalized_code(value).upper()


def refuse_caseless_code_collisions(model) -> None:
    """A data migration's step before a model's codes become unique regardless of case: stop,
    naming them, when two stored codes differ only in case (CS101 beside cs101). Like the
    codes normalise_stored_codes leaves alone, the two are one record to merge by hand or two
    to tell apart; the migration cannot pick one, and the constraint could not be made while
    both are stored. `model` is the migration's historical one."""
    holders: dict[str, list[tuple[int, str]]] = {}
    # As stored: codes normalise_stored_codes left (CS101 beside a full-width twin) differ
    # in more than case, and the constraint, on UPPER(code), takes them.
    for pk, code in model.objects.order_by("pk").values_list("pk", "code"):
        holders.setdefault(code.upper(), []).append((pk, code))
    colliding = [rows for rows in holders.values() if len(rows) > 1]
    if colliding:
        named = "; ".join(", ".join(f"{pk} {code!r}" for pk, code in rows) for rows in colliding)
        raise RuntimeError(
            f"{model._meta.verbose_name_plural.capitalize()} whose codes differ only in case "
            f"cannot keep them once codes are unique regardless of case: {named}. Merge each "
            "group, or change all but one's code, then migrate again."
        )


class _CaselessExact(lookups.Exact):
    """`code=` of a CaselessCodeField: UPPER() of both sides, which the table's unique index on
    UPPER(code) answers."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return f"UPPER({sql})", params

    def process_rhs(self, compiler, connection):
        sql, params = super().process_rhs(compiler, connection)
        return f"UPPER({sql})", params


class _CaselessIn(lookups.In):
    """`code__in=` a list of a CaselessCodeField: UPPER() of the column and of each value. A
    subquery's codes are compared as stored (the plain `in`)."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return (f"UPPER({sql})", params) if self.rhs_is_direct_value() else (sql, params)

    def batch_process_rhs(self, compiler, connection, rhs=None):
        sqls, params = super().batch_process_rhs(compiler, connection, rhs)
        return [f"UPPER({sql})" for sql in sqls], params


class CaselessCodeField(CodeField):
    """A CodeField whose codes are one code in any case (cs101 is the course CS101), stored as
    first given: `code=` and `code__in=` find a record in any case, and so do the uniqueness
    checks of full_clean, model forms and serializers, which use them. The model adds the
    constraint, a UniqueConstraint on Upper("code") (caseless_code_unique). The database's
    UPPER() folds the letters of its collation: on SQLite only A to Z."""


CaselessCodeField.register_lookup(_CaselessExact)
CaselessCodeField.register_lookup(_CaselessIn)


def caseless_code_unique(model_name: str) -> models.UniqueConstraint:
    """The constraint a model with a CaselessCodeField `code` adds to its Meta: no two codes
    that differ only in case, whichever door writes them."""
    return models.UniqueConstraint(Upper("code"), name=f"{model_name}_code_unique_any_case")


def without_minus_zero(value: Any) -> Any:
    """`value`, a Decimal -0 (or -0.0) made 0 (0.0): the same number, which a client reads back
    as -0.0 (JSON) and a spreadsheet shows as -0."""
    if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
        return value.copy_abs()
    return value


class SignlessZeroDecimalField(models.DecimalField):
    """A DecimalField whose zero has no sign, whichever door writes it: "-0" from the API, a
    form or a file is stored, and kept on the instance the answer is made from, as 0. Cleaned
    (full_clean, as services and imports run it) and saved (bulk_create included) without it."""

    def to_python(self, value):
        return without_minus_zero(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = without_minus_zero(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


class TextJSONField(models.JSONField):
    """A JSONField kept as PostgreSQL `json` (its text, checked for validity) rather than `jsonb`,
    for a large document only ever written and read whole: jsonb parses every value into its
    binary tree on the way in (numbers into numeric) and prints it back on the way out, which for
    the ~7 MB of coverage reports a full recompute writes was most of the write's database time.
    The text comes back as it went in, keys in the writer's order (as on SQLite); no jsonb
    operators (`has_key`, `contains`, key comparisons) on such a column. Other databases store it
    as a JSONField does."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_lookup(self, lookup_name):
        # PostgreSQL has no `=` (nor any jsonb operator) for json: a filter on the column, as
        # an admin query string may ask (`?report=1`), failed as the query ran (a 500). Only
        # "is there one" is offered, on every database alike; anything else is refused as the
        # filter is built (a FieldError, which the admin's changelist answers with a 400).
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, name):
        return None

    def from_db_value(self, value, expression, connection):
        # The driver decodes `json` itself (Django turns that off for jsonb only).
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


_UNSTORABLE_IN_JSON = re.compile(r"[\x00\ud800-\udfff]")


def _written_out(match: re.Match) -> str:
    character = match.group()
    return "\\0" if character == "\x00" else f"\\u{ord(character):04x}"


def json_storable(value: Any) -> Any:
    """`value` (JSON data: dicts, lists, strings, numbers) with the characters PostgreSQL's
    `jsonb` refuses in its strings and keys written out as a message quotes them: a NUL as
    `\\0`, half of a UTF-16 pair as `\\ud800`. For a report that quotes what a refused file
    wrote: stored as it was, the write failed (a DataError) and the report was lost."""
    if isinstance(value, str):
        return _UNSTORABLE_IN_JSON.sub(_written_out, value)
    if isinstance(value, dict):
        return {json_storable(key): json_storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_storable(item) for item in value]
    return value


class PaperRule:
    """Which records of one kind the paper's loader wrote: their provenance says so or, once staff
    edited one, the source reference the loader gave it, which an edit keeps. Each kind has its
    own references (a placement Table I's, a programme Table III's), so a record citing another
    table's reference by hand is not the paper's. One pattern gives both the queries' condition
    (`q`, for filter, exclude and Count) and the check of a record read already (`holds`), so
    the two cannot drift apart.

    `source_ref` is a regular expression the whole reference must match, written in the syntax
    Python, SQLite (through Python) and PostgreSQL share; the rule anchors it. It anchors with
    \\Z, not $, and reads it with (?s): Python's $ matches before a trailing newline and its `.`
    matches no newline, PostgreSQL's do neither, so a reference with a newline stored in it got
    one answer in the queries and another on a page. `by_provenance=False` asks for the
    reference alone: the paper's positions of Table I alone are the paper's, yet Table II
    profiles none.
    """

    def __init__(self, *, source_ref: str, by_provenance: bool = True) -> None:
        self.source_ref = rf"(?s)^(?:{source_ref})\Z"
        self.by_provenance = by_provenance
        self._pattern = re.compile(self.source_ref)
        cited = Q(source_ref__regex=self.source_ref)
        self.q = Q(provenance=Provenance.PAPER) | cited if by_provenance else cited

    def holds(self, record) -> bool:
        """Python's `q`, for a record read already (anything with provenance and source_ref)."""
        if self.by_provenance and record.provenance == Provenance.PAPER:
            return True
        return self._pattern.search(record.source_ref or "") is not None


class SourceRefField(_CheckedText, _TrimmedFormField, models.CharField):
    """A CharField holding a source reference, without surrounding whitespace at every door
    (cleaned, saved, bulk-written and looked-up values, as CodeField does): a reference pasted
    with a trailing newline or spaces is the reference, and PaperRule matches it alike on every
    backend. It is one line: what a name refuses is refused (validate_reference_characters)."""

    default_validators = [validate_reference_characters]
    text_kind = TextKind.NAME

    def to_python(self, value):
        value = super().to_python(value)
        return strip_ordinary_whitespace(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = strip_ordinary_whitespace(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return strip_ordinary_whitespace(value) if isinstance(value, str) else value


def strip_stored_source_refs(apps, app_label: str) -> None:
    """A data migration's step: strip the surrounding whitespace of the source references that
    `app_label`'s records stored before SourceRefField did. The history's rows keep what was
    written then. `apps` is the migration's registry."""
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical") or not any(
            field.name == "source_ref" for field in model._meta.fields
        ):
            continue
        rows = model.objects.exclude(source_ref="").values_list("pk", "source_ref")
        for pk, source_ref in list(rows):
            if source_ref != source_ref.strip():
                model.objects.filter(pk=pk).update(source_ref=source_ref.strip())


def SET_NULL_TOUCHED(collector, field, sub_objs, using):
    """on_delete: SET_NULL, and the rows' `updated_at` stamped too. Django clears the key by a
    bulk UPDATE that leaves auto_now alone, so a record whose reference a deletion cleared read
    as unchanged to a sync (and kept its ETag's date) though it now reads differently."""
    # Not lazy (Django's SET_NULL takes the rows as a query): the rows are fetched, so both
    # updates go by their ids, where the second by the cleared key would find none.
    collector.add_field_update(field, None, sub_objs)
    collector.add_field_update(field.model._meta.get_field("updated_at"), timezone.now(), sub_objs)


class UpdateOnlyModel(models.Model):
    """Every model of the project: a change of a record read from the database is an update only
    (see save). Abstract, no fields."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Django's, a change of a record read from the database (not one being added) an update
        only: when its row is gone (deleted meanwhile, after the form or the request read it),
        RecordDeletedMeanwhile is raised, nothing written, where Django's save found no row to
        update and inserted the record again with its old id, a deletion silently undone and
        its history showing a change (or, for a row that points to one deleted with it, an
        IntegrityError at the commit). Bringing a deleted record back is a restore
        (core.history.history_change_revert inserts it, force_insert); a caller that means to
        insert a record it read sets `_state.adding`."""
        forced = (
            not args
            and not self._state.adding
            and self.pk is not None
            and not kwargs.get("force_insert")
        )
        if forced and kwargs.get("update_fields") is None:
            kwargs["force_update"] = True
        try:
            super().save(*args, **kwargs)
        except DatabaseError as error:
            # Django's own "Forced update" / "Save with update_fields" "did not affect any rows",
            # raised before anything reached the database (a database's error has its cause).
            if not forced or type(error) is not DatabaseError or error.__cause__ is not None:
                raise
            raise RecordDeletedMeanwhile(
                gettext(
                    "The %(name)s was not saved: it was deleted meanwhile. Nothing was saved; "
                    "a deleted record comes back only by restoring it."
                )
                % {"name": self._meta.verbose_name}
            ) from error


class ProvenancedModel(UpdateOnlyModel):
    """Every record says where it came from (`provenance`) and exactly where (`source_ref`)."""

    provenance = models.CharField(
        _("provenance"), max_length=16, choices=Provenance.choices, default=Provenance.EDIT
    )
    source_ref = SourceRefField(
        _("source reference"),
        max_length=255,
        blank=True,
        help_text=_(
            "Where this record comes from: a document, table or URL, e.g. "
            "'Course catalogue 2024, p. 12'."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

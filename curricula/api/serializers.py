from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certifications.models import Certification
from core.api.fields import MAX_IDS, IdListField, UpdatedAtField, refuse_too_many
from core.api.filters import MAX_ID
from core.api.imports import (
    ImportLineSerializer,
    ignored_columns_field,
    ignored_columns_notes_field,
    problem_lines,
    problem_lines_total,
)
from core.api.serializers import KnownKeysMixin, ModelSerializer
from core.i18n import join_list
from core.models import DegreeLevel
from curricula.models import (
    CREDITS_REFUSAL,
    MAX_TERM,
    Course,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCoverage,
)
from curricula.selectors.maps import SEARCH_MAX_LENGTH, STATUSES, MapFilters
from positions.api.fields import LevelField
from positions.api.serializers import DISPLAY_DESCRIPTION_HELP, DISPLAY_HELP

LANGUAGE_HELP = _(
    "The language the course is taught in, as a language tag (en, zh, zh-Hans); a language's "
    "name (English, Chinese, 英文, 中文) is stored as its tag. Anything else is a 400, two "
    "languages too: give the one it is mainly taught in."
)
CREDITS_HELP = _("A number with at most one decimal place, such as 2.5; null when not known.")


class CourseSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    display_title = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)

    class Meta:
        model = Course
        fields = [
            "id",
            "identifier",
            "code",
            "title",
            "title_zh",
            "display_title",
            "description",
            "outcomes",
            "language",
            "credits",
            "module",
            "stage",
            "provenance",
            "updated_at",
        ]
        read_only_fields = ["identifier", "provenance"]
        # The service reports a taken code in its own words. Credits are a JSON number, as
        # clients send them and the CASE provider publishes them (DRF's default is a string).
        extra_kwargs = {
            "code": {"validators": []},
            "credits": {
                "min_value": 0,
                "error_messages": {"min_value": CREDITS_REFUSAL},
                "coerce_to_string": False,
                "help_text": CREDITS_HELP,
            },
            "language": {"help_text": LANGUAGE_HELP},
        }


class CourseAbilitySerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    level = LevelField()
    display_note = serializers.CharField(
        read_only=True,
        help_text=_(
            "The note in the language asked for: with Accept-Language: zh-hans, the Chinese one "
            "when it is set; otherwise the link's own."
        ),
    )

    class Meta:
        model = CourseAbility
        fields = [
            "id",
            "course",
            "ability",
            "level",
            "note",
            "note_zh",
            "display_note",
            "provenance",
            "updated_at",
        ]
        read_only_fields = ["provenance"]
        # The service refuses a second link for a course and ability, saying what to do instead.
        validators = []


class CoverageSummarySerializer(ModelSerializer):
    class Meta:
        model = ProgrammeCoverage
        fields = ["state", "computed_at", "percent"]
        # Always answered (null until computed), so required in the schema.
        read_only_fields = fields


class CourseTermSerializer(KnownKeysMixin, serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    term = serializers.IntegerField(min_value=1, max_value=MAX_TERM, allow_null=True)
    effective_term = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The term, else the course's training stage's place."),
    )


@extend_schema_field(CourseTermSerializer(many=True))
class CourseTermsField(serializers.Field):
    """The programme's courses placed in time: read as {course, term, effective_term} in
    programme order; written as {course, term} for courses of the programme (null: back to the
    training stage's place)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, programme: Programme):
        return [
            {"course": e.course_id, "term": e.term, "effective_term": e.effective_term}
            for e in programme.programme_courses.all()
        ]

    def to_internal_value(self, data):
        items = CourseTermSerializer(data=data, many=True)
        if not isinstance(data, list):
            raise serializers.ValidationError(_("Give a list of {course, term} objects."))
        # One entry per course of the programme, whose courses take at most MAX_IDS.
        refuse_too_many(self, data, MAX_IDS)
        items.is_valid(raise_exception=True)
        return {"course_terms": [(item["course"], item["term"]) for item in items.validated_data]}


class ProgrammeSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    degree_level = serializers.CharField(
        read_only=True,
        help_text=_("The certification's degree level, or the programme's own without one."),
    )
    courses = IdListField(
        source="programme_courses",
        id_attr="course_id",
        required=False,
        help_text=_("Course ids in programme order; on write, the full set of courses."),
    )
    target_positions = IdListField(
        source="targets",
        id_attr="position_id",
        required=False,
        help_text=_("Position ids; on write, the full set of target positions."),
    )
    terms = CourseTermsField(
        required=False,
        help_text=_("Each course's term; on write, the terms to set for courses of the programme."),
    )
    coverage = serializers.SerializerMethodField()
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)
    display_description = serializers.CharField(read_only=True, help_text=DISPLAY_DESCRIPTION_HELP)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "name_zh",
            "display_name",
            "description",
            "description_zh",
            "display_description",
            "certification",
            "track",
            "own_degree_level",
            "degree_level",
            "courses",
            "target_positions",
            "terms",
            "crosswalk_exact_match",
            "crosswalk_related",
            "crosswalk_children",
            "coverage",
            "provenance",
            "updated_at",
        ]
        read_only_fields = ["provenance"]
        # The service reports a taken name in its own words. The name is required to create a
        # programme only: a PUT of its courses or targets alone keeps working. The track is
        # optional (a programme of another field has no career direction of Table I).
        extra_kwargs = {
            "name": {"validators": [], "required": False},
            "track": {"required": False},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and attrs.get("name") in (None, ""):
            raise serializers.ValidationError({"name": [_("This field is required.")]})
        self._check_degree_level(attrs)
        return attrs

    def _check_degree_level(self, attrs) -> None:
        """Name the field a client writes: `degree_level` is read (the certification's, or the
        programme's own), and was dropped without a word; its own is `own_degree_level`."""
        instance = self.instance
        certification = attrs.get("certification", instance.certification if instance else None)
        own = attrs.get("own_degree_level", instance.own_degree_level if instance else "")
        becomes = certification.degree_level if certification else own
        codes = join_list(DegreeLevel.values)
        sent = (
            self.initial_data.get("degree_level") if isinstance(self.initial_data, dict) else None
        )
        if sent is not None and sent != becomes:
            if certification:
                message = _(
                    "degree_level is read only: this programme's is its certification's "
                    "(%(level)s). A programme without a certification sends own_degree_level."
                ) % {"level": becomes}
            else:
                message = _(
                    "degree_level is read only: send own_degree_level (%(codes)s) instead."
                ) % {"codes": codes}
            raise serializers.ValidationError({"degree_level": [message]})
        if not becomes:
            raise serializers.ValidationError(
                {
                    "own_degree_level": [
                        _(
                            "A programme without a certification needs its own degree level: "
                            "send own_degree_level (%(codes)s)."
                        )
                        % {"codes": codes}
                    ]
                }
            )

    @extend_schema_field(CoverageSummarySerializer)
    def get_coverage(self, programme: Programme) -> dict:
        try:
            coverage = programme.coverage
        except ObjectDoesNotExist:
            # Never computed yet: as good as stale.
            return {"state": CoverageState.STALE.value, "computed_at": None, "percent": None}
        return CoverageSummarySerializer(coverage).data


class ProgrammeCreateSerializer(ProgrammeSerializer):
    """A new programme: its name is required (a PUT may leave it out, and keeps it)."""

    # The schema's body of POST /programs/ only (ProgrammeCreateRequest); the view validates with
    # ProgrammeSerializer, whose validate() asks for the name on a create. Sharing PUT's
    # component, where the name is optional, let a generated client create a nameless one.
    class Meta(ProgrammeSerializer.Meta):
        extra_kwargs = {
            **ProgrammeSerializer.Meta.extra_kwargs,
            "name": {"validators": [], "required": True},
        }


class DirectionCourseSerializer(serializers.Serializer):
    """A course as the certification lists it for one direction (the paper's: Table III)."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    listed_as = serializers.CharField(
        read_only=True,
        help_text=_(
            "The title exactly as the certification's list gives it (for the paper's "
            "certifications, as Table III prints it)."
        ),
    )

    def to_representation(self, instance: dict) -> dict:
        # The selector's dicts, read as they are: a page of the esco catalogue's certifications
        # shows 12,000 courses, and a field's get_attribute and to_representation for each of
        # their four values took a third of its time.
        return {name: instance[name] for name in ("id", "code", "title", "listed_as")}


class DirectionSerializer(serializers.Serializer):
    """A career direction of a certification: a track, the courses the certification lists for
    it, and the programmes taking the certification in it."""

    track = serializers.IntegerField(
        source="track.id",
        read_only=True,
        allow_null=True,
        help_text=_("Null for a programme taking the certification without a track."),
    )
    track_name = serializers.CharField(source="track.name", read_only=True, allow_null=True)
    name = serializers.CharField(
        source="programme_name",
        read_only=True,
        help_text=_("The first programme's name; the track's when no programme takes it."),
    )
    program = serializers.SerializerMethodField(
        help_text=_("The first programme taking the certification in this direction, if any.")
    )
    programs = serializers.SerializerMethodField(
        help_text=_("Every programme taking the certification in this direction.")
    )
    courses = DirectionCourseSerializer(many=True, read_only=True)

    def get_program(self, direction: dict) -> int | None:
        return direction["programmes"][0]["id"] if direction["programmes"] else None

    def get_programs(self, direction: dict) -> list[int]:
        return [programme["id"] for programme in direction["programmes"]]


class CertificationSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    directions = DirectionSerializer(many=True, read_only=True)
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)
    display_description = serializers.CharField(read_only=True, help_text=DISPLAY_DESCRIPTION_HELP)

    class Meta:
        model = Certification
        fields = [
            "id",
            "name",
            "name_zh",
            "display_name",
            "degree_level",
            "awarding_body",
            "description",
            "description_zh",
            "display_description",
            "provenance",
            "directions",
            "updated_at",
        ]


class MapFiltersSerializer(serializers.Serializer):
    """The curriculum map's filters, as the programme page's URL holds them."""

    position = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("One target position.")
    )
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=list(STATUSES)),
        required=False,
        help_text=_("Only requirements with these statuses (repeat the parameter)."),
    )
    area = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        help_text=_("Only the abilities of this competency area (0: of none)."),
    )
    module = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Courses of one module.")
    )
    stage = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Courses of one training stage."),
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Words every shown ability has in its code, statement or Chinese name, read as the "
            "site search reads them."
        ),
    )
    courses = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Only the courses with these words in their code, title, Chinese title or the title "
            "the programme lists them under (or whose code begins so), read as the site search "
            "reads them."
        ),
    )

    def filters(self) -> MapFilters:
        data = self.validated_data
        statuses = tuple(s for s in STATUSES if s in set(data.get("status", [])))
        return MapFilters(
            position_id=data.get("position"),
            statuses=() if len(statuses) == len(STATUSES) else statuses,
            area_id=data.get("area"),
            module_id=data.get("module"),
            stage_id=data.get("stage"),
            q=" ".join(data.get("q", "").split()),
            course_q=" ".join(data.get("courses", "").split()),
        )


class CatalogueImportLineSerializer(ImportLineSerializer):
    """A line of a catalogue, link or requirement file with problems."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "The messages by column; `__all__` for the line as a whole (such as a link listed "
            "twice)."
        ),
    )


class CatalogueImportWarningSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The line of the file (the header is line 1)."))
    row = serializers.IntegerField(
        required=False, help_text=_("The sheet's row, given only where it is not the line.")
    )
    column = serializers.CharField(
        allow_blank=True,
        help_text=_(
            "The column the warning is about; empty for a line as a whole (a total or note row "
            "read past)."
        ),
    )
    message = serializers.CharField()


class CatalogueImportSerializer(serializers.Serializer):
    """What a catalogue or link import did or, on a dry run or with problems, would have done.
    With any problem (`ok` false, a 400) nothing is written."""

    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = problem_lines(CatalogueImportLineSerializer)
    errors_total = problem_lines_total()
    ignored_columns = ignored_columns_field()
    ignored_columns_notes = ignored_columns_notes_field()
    lines_above_header = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_(
            "Lines above the header row, read past (a title above the table), not imported."
        ),
    )
    hidden_lines = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Lines the workbook hides (a filter, by hand), imported like the others."),
    )
    hidden_columns = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Columns the import reads that the workbook hides, as their headers say."),
    )
    warnings = CatalogueImportWarningSerializer(
        many=True,
        help_text=_(
            "What the import does, or on a dry run would do, that the file may not mean, by "
            "line; said, not refused: a record created under a code a spreadsheet made a number "
            "(position 7) beside a stored one of that number (007). The first 100 "
            "(warnings_total counts them all)."
        ),
    )
    warnings_total = serializers.IntegerField(
        help_text=_("How many warnings the import has, those listed and those past them.")
    )


class MapImportProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        required=False,
        help_text=_("The line of the file; left out for a problem with the cells as a whole."),
    )
    row = serializers.IntegerField(
        required=False, help_text=_("The sheet's row, given only where it is not the line.")
    )
    column = serializers.IntegerField(
        required=False, help_text=_("The column (1 is A); left out for a whole line.")
    )
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class MapImportSerializer(serializers.Serializer):
    """What a map import wrote or, on a dry run or with problems, would write. With any problem
    (`ok` false, a 400) nothing is written."""

    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    orientation = serializers.ChoiceField(
        choices=["courses_as_rows", "abilities_as_rows", ""],
        help_text=_("Which axis the file's rows hold; empty when no header row was found."),
    )
    courses = serializers.IntegerField()
    abilities = serializers.IntegerField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    cleared = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    blank_clears = serializers.BooleanField()
    blank_left = serializers.IntegerField(help_text=_("Blank cells left as they are."))
    header_lines = serializers.ListField(child=serializers.IntegerField())
    columns_read_past = serializers.ListField(child=serializers.CharField())
    lines_read_past = serializers.ListField(child=serializers.IntegerField())
    label_columns_with_levels = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Columns left of the first known code, read past as labels, that hold levels (a "
            "misspelt first code?)."
        ),
    )
    errors = MapImportProblemSerializer(many=True)
    errors_total = serializers.IntegerField()
    token = serializers.CharField(
        help_text=_("The change set's token, for Undo; empty on a dry run or with problems.")
    )


class RequirementImportSerializer(CatalogueImportSerializer):
    """What a requirement import did or, on a dry run or with problems, would have done: the
    requirements' counts, and the positions the file named that it created."""

    positions_created = serializers.IntegerField(
        help_text=_("Positions the file names by a code or name no position has, created.")
    )


class CourseCatalogueImportSerializer(CatalogueImportSerializer):
    """What a catalogue import did or, on a dry run or with problems, would have done: the
    courses' counts and, imported into a programme, what it did to the programme."""

    programme = serializers.IntegerField(
        allow_null=True,
        help_text=_("The id of the programme the catalogue was imported into; null for none."),
    )
    programme_added = serializers.IntegerField(
        help_text=_("The file's courses added to the programme (0 without a programme).")
    )
    programme_already = serializers.IntegerField(
        help_text=_("The file's courses that were in the programme already (keeping their place).")
    )
    programme_terms_set = serializers.IntegerField(
        help_text=_(
            "The courses' terms in the programme the file's term column set (a blank cell "
            "leaves one as it is)."
        )
    )

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import IdRelatedField, StrictCharField, UpdatedAtField
from core.api.imports import (
    IMPORT_JOB_DETAILS_SCHEMA,
    ImportLineSerializer,
    encoding_field,
    problem_lines,
    problem_lines_total,
)
from core.api.serializers import KnownKeysMixin, ModelSerializer, WholeItemsMixin
from core.csv import UTF_8
from core.uploads import validate_upload_size
from positions import selectors, services
from positions.api.fields import LevelField
from positions.importers import (
    ENCODING_FORMATS,
    ENCODING_REFUSED,
    TOP_LEVEL_AREA_FORMATS,
    TOP_LEVEL_AREAS_REFUSED,
)
from positions.models import (
    FRAMEWORK_FORMATS,
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    ImportJob,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
)

# Records keep their own (source) names; the Chinese ones are beside them (`*_zh`), and this
# field gives the one for the request's language.
DISPLAY_HELP = _(
    "The name in the language asked for: with Accept-Language: zh-hans, the Chinese one when "
    "it is set; otherwise the record's own."
)
DISPLAY_DESCRIPTION_HELP = _(
    "The description in the language asked for: with Accept-Language: zh-hans, the Chinese one "
    "when it is set; otherwise the record's own."
)


class TrackSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    display_aliases = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "The aliases in the language asked for (each alias's Chinese one, when set, with "
            "Accept-Language: zh-hans), each wording once."
        ),
    )
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)

    class Meta:
        model = Track
        fields = [
            "id",
            "name",
            "name_zh",
            "display_name",
            "slug",
            "description",
            "aliases",
            "display_aliases",
            "updated_at",
        ]


class CompetencyAreaSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)
    display_description = serializers.CharField(read_only=True, help_text=DISPLAY_DESCRIPTION_HELP)

    class Meta:
        model = CompetencyArea
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "display_name",
            "description",
            "description_zh",
            "display_description",
            "order",
            "framework",
            "updated_at",
        ]


class FrameworkSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)

    class Meta:
        model = Framework
        fields = [
            "id",
            "identifier",
            "name",
            "name_zh",
            "display_name",
            "source",
            "uri",
            "version",
            "description",
            "language",
            "provenance",
            "updated_at",
        ]


class AbilitySerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    display_text = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)

    class Meta:
        model = Ability
        fields = [
            "id",
            "identifier",
            "framework",
            "area",
            "parent",
            "code",
            "text",
            "text_zh",
            "display_text",
            "short_name",
            "description",
            "alt_labels",
            "language",
            "uri",
            "order",
            "retired",
            "needs_review",
            "provenance",
            "source_ref",
            "updated_at",
        ]
        read_only_fields = ["retired", "needs_review"]


_NODE = {"oneOf": [{"type": "integer"}, {"type": "string", "format": "uri"}]}


@extend_schema_field(_NODE)
class RelationEndField(serializers.Field):
    """An end of a relation: the ability's id, or the URI of a node published elsewhere.

    Written (PUT, PATCH), an ability's id moves the relation to that ability. An end published
    elsewhere may be sent back with the URI it was read with, so that a relation read with GET
    can be sent back whole, but not changed (services.ability_relation_update)."""

    default_error_messages = {"external": services.EXTERNAL_END_STAYS}

    def __init__(self, **kwargs):
        # Read from the relation as a whole (both columns of the end, whichever holds it), and
        # written as {side: ability}: never null, so the schema rightly says no null.
        super().__init__(source="*", **kwargs)
        self.ability = IdRelatedField(queryset=Ability.objects.all())

    def to_representation(self, relation: AbilityRelation) -> int | str:
        pk = getattr(relation, f"{self.field_name}_id")
        return pk if pk is not None else getattr(relation, f"{self.field_name}_uri")

    def to_internal_value(self, data):
        relation = self.parent.instance
        uri = getattr(relation, f"{self.field_name}_uri", "") if relation is not None else ""
        if uri and data == uri:
            raise serializers.SkipField()
        if uri:
            self.fail("external")
        return {self.field_name: self.ability.to_internal_value(data)}


class AbilityRelationSerializer(ModelSerializer):
    """A relation listed by `framework`. Each end is an ability (its id) or a node published
    elsewhere (its URI, with its title in `*_label` and its own identifier in `*_external_id`).

    PUT and PATCH write its ends (an ability's id), type, extension type, framework and notes.
    An external end's URI, label and identifier say the other publisher's node as it came: sent
    back as read, they are left as they are."""

    updated_at = UpdatedAtField()
    source = RelationEndField(
        required=False, help_text=_("The source ability's id, or an external node's URI.")
    )
    target = RelationEndField(
        required=False, help_text=_("The target ability's id, or an external node's URI.")
    )

    class Meta:
        model = AbilityRelation
        fields = [
            "id",
            "identifier",
            "framework",
            "source",
            "source_label",
            "source_external_id",
            "target",
            "target_label",
            "target_external_id",
            "relation_type",
            "extension_type",
            "notes",
            "updated_at",
        ]
        read_only_fields = [
            "identifier",
            "source_label",
            "source_external_id",
            "target_label",
            "target_external_id",
        ]


class AbilityRelationCreateSerializer(ModelSerializer):
    """A crosswalk link made by staff: two abilities of this site and the relation's type."""

    source = IdRelatedField(queryset=Ability.objects.all())
    target = IdRelatedField(queryset=Ability.objects.all())
    framework = IdRelatedField(
        queryset=Framework.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The framework that lists the relation; the source's when left out."),
    )

    class Meta:
        model = AbilityRelation
        fields = ["source", "target", "relation_type", "extension_type", "notes", "framework"]


class CrosswalkCsvSerializer(KnownKeysMixin, serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV with the columns source_framework, source, relation_type, target_framework, "
            "target (frameworks by name or identifier, abilities by code, external id or URI)."
        ),
        validators=[validate_upload_size],
    )
    # Read with the query string's (core.api.imports.import_flag), as every import reads them.
    dry_run = serializers.BooleanField(
        required=False, help_text=_("Check only, write nothing; as the query's dry_run.")
    )
    background = serializers.BooleanField(
        required=False, help_text=_("Import as a background job; as the query's background.")
    )
    encoding = encoding_field()


class CrosswalkCsvLineSerializer(ImportLineSerializer):
    """A line of a crosswalk CSV with problems, as the catalogue and link imports name one."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("The messages, under `__all__`: the line as a whole."),
    )


class CrosswalkCsvResultSerializer(serializers.Serializer):
    """What a crosswalk CSV import wrote: all of its lines, or (a 400, `ok` false, its problems
    by line) none; with dry_run, what it would write."""

    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField(help_text=_("Checked only: nothing was written."))
    created = serializers.IntegerField(help_text=_("Relations made."))
    unchanged = serializers.IntegerField(help_text=_("Relations the file names that were there."))
    errors = problem_lines(CrosswalkCsvLineSerializer)
    errors_total = problem_lines_total()


class LevelSerializer(ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)
    updated_at = UpdatedAtField()

    class Meta:
        model = Level
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "display_name",
            "rank",
            "description",
            "updated_at",
        ]


# Most placements a position's list takes: one per track and degree level, far more than any
# position has. Counted before the entries are read, each of which looks its track up.
MAX_PLACEMENTS = 1_000


class PlacementSerializer(WholeItemsMixin, ModelSerializer):
    """A placement, as the position's list (which a write replaces whole) holds it."""

    track_name = serializers.CharField(source="track.name", read_only=True)
    title = StrictCharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text=_(
            "The title the position is listed under in this track and degree level (for the "
            "paper's placements, Table I's); the position's name when left out or blank."
        ),
    )

    class Meta:
        model = Placement
        fields = ["track", "track_name", "degree_level", "title", "order"]
        extra_kwargs = {"order": {"required": False}}
        # Uniqueness of (track, degree_level) is checked across the whole list by the service.
        validators = []

    def to_representation(self, instance: Placement) -> dict:
        data = super().to_representation(instance)
        # A blank title is the position's name: served as such, so a reader always has one.
        data["title"] = instance.listed_title
        return data


class PositionRequirementSerializer(ModelSerializer):
    """A requirement as listed inside its position (read-only; write through requirements/)."""

    text = serializers.CharField(source="ability.text", read_only=True)
    min_level = LevelField(read_only=True)

    class Meta:
        model = Requirement
        fields = ["id", "ability", "text", "importance", "min_level"]
        read_only_fields = fields


class PositionRequirementsField(serializers.ListField):
    """The position's requirements in PositionRequirementSerializer's shape (which documents
    them), from the rows positions.selectors.position_requirements_attach put on the position;
    fetched here when missing."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        kwargs["child"] = PositionRequirementSerializer()
        super().__init__(**kwargs)

    def to_representation(self, position: Position) -> list[dict]:
        if not hasattr(position, "requirement_rows"):
            selectors.position_requirements_attach(positions=[position])
        return position.requirement_rows


class PositionSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    requirements_defined = serializers.BooleanField(
        read_only=True, help_text=_("Whether any ability requirement is recorded.")
    )
    placements = PlacementSerializer(many=True, required=False, max_length=MAX_PLACEMENTS)
    requirements = PositionRequirementsField()
    display_name = serializers.CharField(read_only=True, help_text=DISPLAY_HELP)
    display_description = serializers.CharField(read_only=True, help_text=DISPLAY_DESCRIPTION_HELP)

    class Meta:
        model = Position
        fields = [
            "id",
            "name",
            "name_zh",
            "display_name",
            "description",
            "description_zh",
            "display_description",
            "code",
            "uri",
            "external_id",
            "order",
            "provenance",
            "requirements_defined",
            "placements",
            "requirements",
            "updated_at",
        ]
        read_only_fields = ["provenance"]


class RequirementSerializer(ModelSerializer):
    updated_at = UpdatedAtField()
    text = serializers.CharField(source="ability.text", read_only=True)
    min_level = LevelField()

    class Meta:
        model = Requirement
        fields = [
            "id",
            "position",
            "ability",
            "text",
            "importance",
            "min_level",
            "importance_score",
            "level_score",
            "order",
            "provenance",
            "updated_at",
        ]
        read_only_fields = ["provenance"]
        # The scores are JSON numbers, as a course's credits are (DRF's default is a string).
        extra_kwargs = {
            "order": {"required": False},
            "importance_score": {"coerce_to_string": False},
            "level_score": {"coerce_to_string": False},
        }
        # The service checks (position, ability) with a message that says what to do instead.
        validators = []


class ImportJobCreateSerializer(KnownKeysMixin, serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The file: JSON (CASE), CSV (Moodle) or zip."),
        validators=[validate_upload_size],
    )
    format = serializers.ChoiceField(choices=FRAMEWORK_FORMATS)
    min_level = LevelField(
        required=False, help_text=_("ESCO: minimum level of requirements (default M).")
    )
    top_level_areas = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Moodle and CASE: make the framework's top-level competencies its competency "
            "areas, and put every competency in its top-level ancestor's area."
        ),
    )

    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Check only, write nothing: the job reads and checks the file as the import does, "
            "and its report (dry_run true) has the problems, or the counts the import would "
            "write."
        ),
    )
    # Moodle's CSV; a CASE package is JSON (UTF-8 by its standard), ESCO's and O*NET's files
    # UTF-8 as published.
    encoding = encoding_field()

    def validate(self, data):
        if data.get("top_level_areas") and data["format"] not in TOP_LEVEL_AREA_FORMATS:
            raise serializers.ValidationError({"top_level_areas": [TOP_LEVEL_AREAS_REFUSED]})
        if data["encoding"] != UTF_8 and data["format"] not in ENCODING_FORMATS:
            raise serializers.ValidationError({"encoding": [ENCODING_REFUSED]})
        return data


class ImportJobProblemSerializer(serializers.Serializer):
    where = serializers.CharField(
        help_text=_('Where the problem is: "line 4", "skills_en.csv line 4", an identifier.')
    )
    message = serializers.CharField()


class ImportJobErrorSerializer(serializers.Serializer):
    """Why an import failed (nothing was written): one problem, or a file's problems listed."""

    where = serializers.CharField(help_text=_("Where the problem is; blank for several."))
    message = serializers.CharField()
    problems = ImportJobProblemSerializer(
        many=True,
        required=False,
        help_text=_(
            "A file's problems, each where it is, in the order of their lines: the first 100 "
            "(problems_total counts them all). Every kind of import job, a course catalogue's "
            "and a link file's too, reports them here."
        ),
    )
    problems_total = serializers.IntegerField(
        required=False, help_text=_("How many problems the file has, listed or not.")
    )


class ImportChangeListSerializer(serializers.Serializer):
    """Records of one kind an import changed: how many, and the first 500 of them."""

    count = serializers.IntegerField(help_text=_("How many, listed or not."))
    items = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("The first 500, each with its id and what changed."),
    )


class ImportChangesSerializer(serializers.Serializer):
    """What an import changed in its frameworks (positions.importers.changes)."""

    frameworks = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("The frameworks' ids.")
    )
    added = ImportChangeListSerializer(required=False, help_text=_("Abilities added."))
    removed = ImportChangeListSerializer(
        required=False,
        help_text=_("Abilities the source no longer lists, retired; `in_use` where still used."),
    )
    reworded = ImportChangeListSerializer(
        required=False, help_text=_("Abilities reworded: their text `before` and `after`.")
    )
    moved = ImportChangeListSerializer(
        required=False, help_text=_("Abilities moved: their parent's code `from` and `to`.")
    )
    restored = ImportChangeListSerializer(
        required=False, help_text=_("Retired abilities the source lists again.")
    )
    requirements = ImportChangeListSerializer(
        required=False, help_text=_("Requirements on removed or reworded abilities.")
    )
    links = ImportChangeListSerializer(
        required=False, help_text=_("Course links on removed or reworded abilities.")
    )
    programmes = ImportChangeListSerializer(
        required=False,
        help_text=_("Programmes whose coverage changed (percent before and after)."),
    )
    retired = serializers.IntegerField(required=False, help_text=_("Abilities retired."))
    flagged_for_review = serializers.IntegerField(
        required=False, help_text=_("Abilities flagged for review: retired or reworded, in use.")
    )


@extend_schema_field(IMPORT_JOB_DETAILS_SCHEMA)
class ImportJobDetailsField(serializers.DictField):
    """A job's details, documented by IMPORT_JOB_DETAILS_SCHEMA."""


class ImportJobReportSerializer(serializers.Serializer):
    """What an import job did (positions.importers.base.ImportReport.as_dict); an empty object
    until it has run."""

    ok = serializers.BooleanField(required=False)
    dry_run = serializers.BooleanField(
        required=False,
        help_text=_(
            "A dry run: checked and counted as the import would write, nothing written. The ids "
            "in `changes` of records it would add name nothing."
        ),
    )
    format = serializers.CharField(required=False)
    source = serializers.CharField(required=False)
    error = ImportJobErrorSerializer(required=False, allow_null=True)
    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        required=False,
        help_text=_('Records by kind and outcome: {"course": {"created": 3, ...}}.'),
    )
    skipped_total = serializers.IntegerField(required=False)
    skipped_by_reason = serializers.DictField(child=serializers.IntegerField(), required=False)
    skipped = serializers.ListField(child=serializers.DictField(), required=False)
    conflicts = serializers.ListField(child=serializers.DictField(), required=False)
    warnings = ImportJobProblemSerializer(many=True, required=False)
    frameworks = serializers.ListField(child=serializers.IntegerField(), required=False)
    details = ImportJobDetailsField(required=False)
    changes = ImportChangesSerializer(required=False, allow_null=True)


@extend_schema_field(ImportJobReportSerializer)
class ImportJobReportField(serializers.JSONField):
    """The stored report as it is, documented by ImportJobReportSerializer."""


class ImportJobSerializer(ModelSerializer):
    report = ImportJobReportField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    progress = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(
        help_text=_(
            "What the import changed in its frameworks: abilities added, removed (retired), "
            "reworded, moved, restored; requirements and course links on removed or reworded "
            "abilities; programmes whose coverage changed (percent before and after). Null "
            "until the job has run, and for a failed job."
        )
    )
    stuck = serializers.BooleanField(
        source="is_stuck",
        read_only=True,
        help_text=_(
            "Running, but its worker stopped renewing its lease (it died): the job is taken "
            "over or failed with the reason within a minute or so."
        ),
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "format",
            "source_name",
            "options",
            "status",
            "stuck",
            "progress",
            "stage",
            "changes",
            "attempts",
            "lease_expires_at",
            "language",
            "report",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> int:
        return selectors.import_job_progress(job)["progress"]

    def get_stage(self, job) -> str:
        return selectors.import_job_progress(job)["stage"]

    @extend_schema_field(ImportChangesSerializer(allow_null=True))
    def get_changes(self, job) -> dict | None:
        return (job.report or {}).get("changes")

"""The supply side: courses, the abilities they build, and programmes with their coverage."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification, TrainingStage
from core.history import HistoricalRecords
from core.i18n import (
    CHINESE_DESCRIPTION_HELP,
    CHINESE_NAME_HELP,
    CHINESE_NOTE_HELP,
    LocalizedDescriptionMixin,
    LocalizedNameMixin,
    localized,
    record_name,
)
from core.models import (
    SET_NULL_TOUCHED,
    CaselessCodeField,
    DegreeLevel,
    DegreeLevelField,
    IdentifierField,
    NameField,
    PaperRule,
    ProseField,
    ProvenancedModel,
    SignlessZeroDecimalField,
    TextJSONField,
    UpdateOnlyModel,
    caseless_code_unique,
    language_cleaned,
)
from positions.models import (
    Ability,
    Framework,
    Importance,
    Level,
    Position,
    Requirement,
    Track,
    track_given,
)

# Terms run from 1 to this: room for a long bachelor's and a master's in a row, or trimesters.
MAX_TERM = 20


class Module(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """A programme module of Section IV A, e.g. the international business module."""

    code = CaselessCodeField(_("code"), max_length=32, unique=True)
    name = NameField(_("name"), max_length=128)
    name_zh = NameField(_("Chinese name"), max_length=128, blank=True, help_text=CHINESE_NAME_HELP)
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [caseless_code_unique("module")]

    def __str__(self):
        # In the reader's language: the admin's filters and choices read it. Exports write the
        # code, and CASE and the map their own name columns, so none depends on it.
        return self.display_name


# Said at every door (the API, the admin's form, a catalogue's line), the table's check too.
CREDITS_REFUSAL = _("Credits cannot be negative.")


class Course(ProvenancedModel):
    # The fields of the site search's vector stored in the column `search_vector` on PostgreSQL
    # (migration 0041; core.search reads it when these are the fields searched).
    SEARCH_VECTOR_FIELDS = ("title", "code", "description", "outcomes", "title_zh")

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True)
    code = CaselessCodeField(_("code"), max_length=32, unique=True)
    title = NameField(_("title"), max_length=255)
    title_zh = NameField(
        _("Chinese title"),
        max_length=255,
        blank=True,
        help_text=_("Shown when the interface is in Chinese; blank: the title above."),
    )
    description = ProseField(_("description"), blank=True)
    outcomes = ProseField(
        _("learning outcomes"),
        blank=True,
        help_text=_("One learning outcome per line, e.g. 'Design a relational database schema'."),
    )
    language = IdentifierField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("The language the course is taught and described in, e.g. 'en' or 'zh'."),
    )
    credits = SignlessZeroDecimalField(
        _("credits"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=CREDITS_REFUSAL)],
    )
    module = models.ForeignKey(
        Module,
        on_delete=SET_NULL_TOUCHED,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("module"),
    )
    stage = models.ForeignKey(
        TrainingStage,
        on_delete=SET_NULL_TOUCHED,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("training stage"),
        help_text=_("Where the course sits in the programme's training stages."),
    )
    abilities = models.ManyToManyField(
        Ability, through="CourseAbility", related_name="courses", verbose_name=_("abilities")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(credits__isnull=True) | Q(credits__gte=0),
                name="course_credits_not_negative",
                violation_error_message=CREDITS_REFUSAL,
            ),
            caseless_code_unique("course"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def display_str(self) -> str:
        """As `__str__`, with the title in the reader's language (core.i18n.record_name)."""
        return f"{self.code} {self.display_title}"

    def clean(self):
        super().clean()
        self.clean_language()

    def clean_language(self) -> None:
        """Stored as a language tag at every door that cleans (core.models.language_cleaned);
        the imports that check fields alone call it too (positions.importers.validate_fields)."""
        language_cleaned(self)

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the interface's language (see core.i18n)."""
        return localized(self.title, self.title_zh)


class MapChangeSetRecord(models.Model):
    """What each history record of a link keeps beside simple-history's own columns: the map
    change set that wrote it and the set that one undoes (both also named in its change reason,
    which the audit shows), so Undo finds a set, whether it was undone, and its chain by exact
    lookups on an index, not by patterns on the reasons of the whole history."""

    history_change_set = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    history_undoes = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


class CourseAbility(ProvenancedModel):
    """A course builds an ability to a depth: Introduced, Reinforced or Mastered."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="ability_links", verbose_name=_("course")
    )
    ability = models.ForeignKey(
        Ability, on_delete=models.CASCADE, related_name="course_links", verbose_name=_("ability")
    )
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="course_links", verbose_name=_("level")
    )
    note = ProseField(_("note"), blank=True)
    note_zh = ProseField(_("Chinese note"), blank=True, help_text=CHINESE_NOTE_HELP)

    history = HistoricalRecords(bases=[MapChangeSetRecord])

    class Meta:
        ordering = ["course_id", "ability_id"]
        verbose_name = _("course-ability link")
        verbose_name_plural = _("course-ability links")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "ability"], name="link_unique_course_ability"
            ),
        ]
        indexes = [
            models.Index(fields=["ability", "course"], name="link_ability_course"),
            # A sync's poll: the links, and the suggestions they settled (deletions/), changed
            # since.
            models.Index(fields=["updated_at"], name="link_updated_at"),
        ]

    def __str__(self):
        return f"{self.course.code} → {self.ability} [{self.level.code}]"

    @property
    def display_str(self) -> str:
        """As `__str__`, with the ability in the reader's language (core.i18n.record_name)."""
        return f"{self.course.code} → {record_name(self.ability)} [{self.level.code}]"

    @property
    def display_note(self) -> str:
        """The note in the interface's language (see core.i18n)."""
        return localized(self.note, self.note_zh)


def catalogue_order(prefix: str = "") -> list:
    """Programmes in Table III's order, by certification then track, for an order_by() on
    programmes (`prefix` "programme__" on rows pointing at one). A programme without a
    certification or a track comes after those with one, on every database: SQLite sorts a
    null first, PostgreSQL last."""
    return [
        models.F(f"{prefix}certification__order").asc(nulls_last=True),
        f"{prefix}certification__name",
        models.F(f"{prefix}track__order").asc(nulls_last=True),
        f"{prefix}order",
        f"{prefix}name",
    ]


class ProgrammeQuerySet(models.QuerySet):
    """How programmes are asked for: with their certification, track and coverage row, their
    member ids, their counts, in catalogue order."""

    def with_relations(self) -> "ProgrammeQuerySet":
        """Certification, track and coverage row in the same query."""
        return self.select_related("certification", "track", "coverage")

    def with_member_ids(self) -> "ProgrammeQuerySet":
        """Course ids (programme order) with their terms and their training stage's place
        (`stage_order`, for the term a course without one falls back to), and target position
        ids, prefetched as light rows."""
        return self.prefetch_related(
            models.Prefetch(
                "programme_courses",
                queryset=ProgrammeCourse.objects.order_by("order", "id")
                .only("id", "programme_id", "course_id", "order", "term")
                .annotate(stage_order=models.F("course__stage__order")),
            ),
            models.Prefetch(
                "targets",
                queryset=ProgrammeTarget.objects.order_by("position_id").only(
                    "id", "programme_id", "position_id"
                ),
            ),
        )

    def with_counts(self) -> "ProgrammeQuerySet":
        """Annotate `course_count` and `target_count`.

        As correlated subqueries, not Count() over joins: joining 40 courses x 10 targets per
        programme made PostgreSQL group 120k rows at ESCO scale, evaluating every other
        annotation (the overview reads figures out of the stored report) once per joined row;
        the overview took 40 s instead of a fraction of one."""

        def count(model) -> models.Subquery:
            rows = model.objects.filter(programme=models.OuterRef("pk")).order_by()
            return models.Subquery(
                rows.values("programme").annotate(n=models.Count("*")).values("n"),
                output_field=models.IntegerField(),
            )

        return self.annotate(
            course_count=Coalesce(count(ProgrammeCourse), 0),
            target_count=Coalesce(count(ProgrammeTarget), 0),
        )

    def at_degree_level(self, level: str) -> "ProgrammeQuerySet":
        """Programmes at `level`: their certification's, or their own when they have none."""
        return self.filter(
            Q(certification__degree_level=level)
            | Q(certification__isnull=True, own_degree_level=level)
        )

    def on_track(self, track: "Track | int | str") -> "ProgrammeQuerySet":
        """Programmes of the track given as an object, an id or a query's text (its id, else
        its slug), as positions are placed on one (positions.models.track_given)."""
        return self.filter(track_given(track))

    def in_catalogue_order(self) -> "ProgrammeQuerySet":
        """By certification, then track (Table III's order; see catalogue_order)."""
        return self.order_by(*catalogue_order())


class CrosswalkChildren(models.TextChoices):
    """Whether a required ability is covered by its child abilities (tree children, isPartOf)."""

    OFF = "off", _("No")
    ALL = "all", _("When all its children are covered")
    ANY = "any", _("When any of its children is covered")


# The source references the paper's loader (curricula.paper.loader) gives a programme, one of
# Table III's career directions, and an entry of its course list; an edit keeps them. With the
# provenance they tell the paper's records from those staff or an import add beside them,
# which are not Table III's.
PAPER_PROGRAMME_RULE = PaperRule(source_ref=r"Table III, .+ \((Bachelor|Master)\), [^,]+")
PAPER_LIST_ENTRY_RULE = PaperRule(
    source_ref=r"Table III, .+ \((Bachelor|Master)\), [^,]+, course [0-9]+"
)
PAPER_PROGRAMME = PAPER_PROGRAMME_RULE.q
PAPER_LIST_ENTRY = PAPER_LIST_ENTRY_RULE.q


# A programme's degree level is its certification's, or its own: one of them is needed.
NO_DEGREE_LEVEL = _("A programme without a certification needs its own degree level.")


class Programme(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """A programme of study: the paper's six are a certification taken in one career direction
    (Table III's rows); others (a BSc with no professional certificate, a minor, a second
    programme on a track) have no certification, or share one, and carry their own degree level.

    Its courses are what it teaches; its target positions what its graduates should be ready for.
    """

    # The fields of the site search's vector stored in the column `search_vector` on PostgreSQL
    # (migration 0041; core.search reads it when these are the fields searched).
    SEARCH_VECTOR_FIELDS = ("name", "description", "name_zh", "description_zh")

    name = NameField(_("name"), max_length=255, unique=True)
    name_zh = NameField(_("Chinese name"), max_length=255, blank=True, help_text=CHINESE_NAME_HELP)
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("certification"),
        help_text=_(
            "The professional certification its graduates also obtain. Empty for none: the "
            "programme then needs its own degree level."
        ),
    )
    own_degree_level = DegreeLevelField(
        _("degree level"),
        blank=True,
        help_text=_(
            "The programme's degree level when it has no certification (with one, the "
            "certification's level applies)."
        ),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("track"),
        help_text=_(
            "The career direction it prepares for; with a certification, the direction whose "
            "list of courses it is measured against. Empty for none."
        ),
    )
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    courses = models.ManyToManyField(
        Course, through="ProgrammeCourse", related_name="programmes", verbose_name=_("courses")
    )
    target_positions = models.ManyToManyField(
        Position,
        through="ProgrammeTarget",
        related_name="programmes",
        verbose_name=_("target positions"),
    )
    # The crosswalk rule set its coverage follows (see curricula.coverage.engine.CrosswalkRules).
    crosswalk_exact_match = models.BooleanField(
        _("count exact matches"),
        default=True,
        help_text=_("A course building an exactMatchOf of a required ability covers it."),
    )
    crosswalk_related = models.BooleanField(
        _("count related abilities"),
        default=False,
        help_text=_("A course building an ability isRelatedTo a required one covers it."),
    )
    crosswalk_children = models.CharField(
        _("count children"),
        max_length=8,
        choices=CrosswalkChildren.choices,
        default=CrosswalkChildren.OFF,
        help_text=_("Whether the child abilities of a required ability cover it."),
    )

    history = HistoricalRecords()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(certification__isnull=False) | ~Q(own_degree_level=""),
                name="programme_has_degree_level",
                violation_error_message=NO_DEGREE_LEVEL,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("curricula:programme-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if not self.certification_id and not self.own_degree_level:
            # The constraint's own refusal, but on the field to fill in (a form marks it there;
            # the constraint, skipped for a field with an error, would say it above the form).
            raise ValidationError({"own_degree_level": NO_DEGREE_LEVEL})
        if (
            self.certification_id
            and self.own_degree_level
            and self.own_degree_level != self.certification.degree_level
        ):
            raise ValidationError(
                {
                    "own_degree_level": _(
                        "The certification is at the %(level)s level: leave the degree level "
                        "empty or choose the same."
                    )
                    % {"level": self.certification.get_degree_level_display()}
                }
            )

    @property
    def from_paper(self) -> bool:
        """Whether the paper's loader wrote the programme (one of Table III's career directions):
        PAPER_PROGRAMME, for a programme read already."""
        return PAPER_PROGRAMME_RULE.holds(self)

    @property
    def degree_level(self) -> str:
        """The certification's degree level, or the programme's own when it has none."""
        if self.certification_id:
            return self.certification.degree_level
        return self.own_degree_level

    @property
    def degree_level_label(self) -> str:
        return str(DegreeLevel(self.degree_level).label) if self.degree_level else ""


class ProgrammeCourse(ProvenancedModel):
    """A course in a programme; `listed_as` keeps the title exactly as Table III prints it.

    `term` places it in time (a semester number); empty, the course's training stage stands in
    for it (its place in the five-in-one order), so editing a stage moves the courses that have
    no term of their own.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="programme_courses",
        verbose_name=_("programme"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="programme_entries", verbose_name=_("course")
    )
    listed_as = NameField(_("listed as"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    term = models.PositiveSmallIntegerField(
        _("term"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM)],
        help_text=_(
            "The semester the course is taught in (1 = first). Empty: the course's training "
            "stage stands in for it."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "order", "id"]
        verbose_name = _("programme course")
        verbose_name_plural = _("programme courses")
        constraints = [
            models.UniqueConstraint(fields=["programme", "course"], name="programme_course_unique"),
            models.CheckConstraint(
                condition=Q(term__isnull=True) | Q(term__gte=1, term__lte=MAX_TERM),
                name="programme_course_term_range",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.course}"

    @property
    def display_str(self) -> str:
        """As `__str__`, in the reader's language (core.i18n.record_name)."""
        return gettext("%(label)s: %(value)s") % {
            "label": record_name(self.programme),
            "value": record_name(self.course),
        }

    @property
    def effective_term(self) -> int | None:
        """The term, or the course's training stage's place when none is set (read from a
        `stage_order` annotation when the query made one, else from the course)."""
        if self.term is not None:
            return self.term
        if hasattr(self, "stage_order"):
            return self.stage_order
        stage = self.course.stage
        return stage.order if stage is not None else None


class CertificationCourse(ProvenancedModel):
    """A course a certification lists for one career direction (Table III sets courses beside
    each certification and direction): what certification readiness compares a programme's
    courses with. Courses alone: the credits and the professional practice Section IV C's
    double certification also asks for are not recorded. Kept apart from programmes, so a
    programme may add or drop courses and say how far it is from the list."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="listed_courses",
        verbose_name=_("certification"),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        related_name="certification_courses",
        verbose_name=_("track"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="certification_entries",
        verbose_name=_("course"),
    )
    listed_as = NameField(_("listed as"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["certification_id", "track_id", "order", "id"]
        verbose_name = _("certification course")
        verbose_name_plural = _("certification courses")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "track", "course"],
                name="certification_course_unique",
            ),
        ]

    def __str__(self):
        return f"{self.certification} / {self.track}: {self.course}"

    @property
    def display_str(self) -> str:
        """As `__str__`, in the reader's language (core.i18n.record_name)."""
        return gettext("%(label)s: %(value)s") % {
            "label": f"{record_name(self.certification)} / {record_name(self.track)}",
            "value": record_name(self.course),
        }


class ProgrammeTarget(ProvenancedModel):
    """A position a programme prepares its graduates for."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="programme_targets",
        verbose_name=_("position"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "position_id"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="programme_target_unique"
            ),
        ]

    def __str__(self):
        return f"{self.programme} → {self.position}"

    @property
    def display_str(self) -> str:
        """As `__str__`, in the reader's language (core.i18n.record_name)."""
        return f"{record_name(self.programme)} → {record_name(self.position)}"


class CoverageState(models.TextChoices):
    FRESH = "fresh", _("Fresh")
    STALE = "stale", _("Stale")
    COMPUTING = "computing", _("Computing")


class CourseAbilityCount(UpdateOnlyModel):
    """How many course-ability links there are, kept exact by PostgreSQL triggers on the links
    table (migration 0012; statement-level, so bulk inserts and deletes count too).

    The API's unfiltered link list reads its total here instead of counting 75k rows on every
    page. The total is spread over a few slots (the trigger picks one by backend process id) so
    that concurrent transactions adding links do not all wait on one row; it is their sum.
    Without the triggers (SQLite) there are no rows, and the list counts as before.
    """

    slot = models.PositiveSmallIntegerField(_("slot"), primary_key=True)
    rows = models.BigIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("course-ability link count")
        verbose_name_plural = _("course-ability link counts")

    def __str__(self):
        return f"{self.slot}: {self.rows}"


class ProgrammeCoverage(UpdateOnlyModel):
    """The persisted coverage report of one programme, and whether it is still current.

    Any edit that can change the report marks it stale in the edit's transaction; a Celery task
    recomputes it after commit. `inputs_fingerprint` lets the task skip work when nothing changed;
    `report_digest` (of the report's encoded JSON) lets it skip the write when a rebuilt report
    came out the same as the stored one.
    """

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("programme")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CoverageState.choices, default=CoverageState.STALE
    )
    percent = models.FloatField(_("percent covered"), null=True, blank=True)
    score = models.FloatField(_("weighted score"), null=True, blank=True)
    # Written whole by each recompute and read whole by pages and the API: `json`, not `jsonb`, on
    # PostgreSQL (see TextJSONField).
    report = TextJSONField(_("report"), default=dict, blank=True)
    # The report without its per-requirement part (figures, areas, unused courses): what the
    # overview lists for every programme, ~1 % of the report's size, so listing 300 programmes
    # does not decompress 300 whole reports.
    summary = models.JSONField(_("report summary"), default=dict, blank=True)
    inputs_fingerprint = models.CharField(_("inputs fingerprint"), max_length=64, blank=True)
    report_digest = models.CharField(_("report digest"), max_length=32, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    # Which recompute claimed the report last. Two can overlap (an edit's recompute claims it while
    # an earlier one is still building); only the last claimant, which read the inputs after every
    # earlier claim, may write its report.
    claim = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    # When that claim was taken: how long the report has been computing, by which the stale
    # sweep tells a recompute still running from one whose worker is gone (STUCK_AFTER).
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("programme coverage")
        verbose_name_plural = _("programme coverage")
        indexes = [models.Index(fields=["state"], name="coverage_state")]

    def __str__(self):
        return gettext("%(label)s: %(value)s") % {
            "label": self.programme,
            "value": self.get_state_display(),
        }


# --- Suggested links ------------------------------------------------------------------------
# An ability proposed for a course (a link) or a position (a requirement), waiting for a person
# to accept, reject or skip it; the suggestions app generates and reviews them. A suggestion is
# one row per (course, ability) or (position, ability), whatever its status: a rejected pair
# keeps its row, so a later run never proposes it again, and an accepted one keeps its row as
# the record of who accepted it and when. They are curricula's data (proposed links), so the
# programme page's gap report can show them.


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _settled_elsewhere() -> Q:
    """A suggestion whose pair needs no review any more: linked (course) or required (position)
    by hand since it was made, or its ability retired from its framework."""
    return (
        Q(
            models.Exists(
                CourseAbility.objects.filter(
                    course_id=models.OuterRef("course_id"), ability_id=models.OuterRef("ability_id")
                )
            )
        )
        | Q(
            models.Exists(
                Requirement.objects.filter(
                    position_id=models.OuterRef("position_id"),
                    ability_id=models.OuterRef("ability_id"),
                )
            )
        )
        | Q(ability__retired=True)
    )


class SuggestionQuerySet(models.QuerySet):
    """How suggestions are asked for: a review queue's order and what a row shows."""

    def pending(self) -> "SuggestionQuerySet":
        return self.filter(status=SuggestionStatus.PENDING)

    def for_courses(self, course_ids) -> "SuggestionQuerySet":
        return self.filter(course_id__in=course_ids)

    def in_framework(self, framework_id: int | None) -> "SuggestionQuerySet":
        return self if framework_id is None else self.filter(framework_id=framework_id)

    def best_first(self) -> "SuggestionQuerySet":
        """The review order: not yet skipped first, then by score, then by rank."""
        return self.order_by(models.F("skipped_at").asc(nulls_first=True), "-score", "rank", "id")

    def to_review(self) -> "SuggestionQuerySet":
        """What is open to review: pending, and neither linked or required by hand since nor of a
        retired ability. Every queue, count and "pending" list of the app is this one."""
        return self.pending().exclude(_settled_elsewhere())

    def settled_elsewhere(self) -> "SuggestionQuerySet":
        """The pending ones a list leaves out (linked or required by hand since, or of a retired
        ability), each with `left_at`: when it left, the latest of its own update time, its
        ability's (a retirement stamps it) and that of the link or requirement of its pair. A
        link or requirement is stamped when it is written, by every path, bulk_create too
        (auto_now), so deletions/ reads from this when such a suggestion left the lists."""

        def pair_time(model, owner: str) -> models.Expression:
            rows = model.objects.filter(
                **{f"{owner}_id": models.OuterRef(f"{owner}_id")},
                ability_id=models.OuterRef("ability_id"),
            )
            # One row at most (a pair is unique): without the model's default ordering, which
            # would sort it for every suggestion read, and be compiled into each subquery.
            return Coalesce(models.Subquery(rows.order_by().values("updated_at")[:1]), "updated_at")

        return (
            self.pending()
            .filter(_settled_elsewhere())
            .annotate(
                left_at=Greatest(
                    "updated_at",
                    "ability__updated_at",
                    pair_time(CourseAbility, "course"),
                    pair_time(Requirement, "position"),
                )
            )
        )

    def left_since(self, since) -> "SuggestionQuerySet":
        """Narrowed, before `settled_elsewhere`'s `left_at` is computed, to the suggestions that
        may have left since `since`: changed since themselves, or of an ability, or of a
        course or position with a link or requirement, changed since (a few, each found by an
        index on the update time), so a poll does not compute it for the whole queue."""
        rows = Suggestion.objects.pending().order_by()
        links = CourseAbility.objects.filter(updated_at__gte=since).order_by()
        required = Requirement.objects.filter(updated_at__gte=since).order_by()
        abilities = Ability.objects.filter(updated_at__gte=since).order_by()
        # Their ids as one UNION, not an OR of conditions: PostgreSQL reads each part by its
        # index, where under an OR it scanned the whole queue.
        found = (
            rows.filter(updated_at__gte=since)
            .values("pk")
            .union(
                rows.filter(ability_id__in=abilities.values("pk")).values("pk"),
                rows.filter(
                    course_id__in=links.values("course_id"),
                    ability_id__in=links.values("ability_id"),
                ).values("pk"),
                rows.filter(
                    position_id__in=required.values("position_id"),
                    ability_id__in=required.values("ability_id"),
                ).values("pk"),
            )
        )
        return self.filter(pk__in=found)

    def decided_or_to_review(self) -> "SuggestionQuerySet":
        """What a list shows: decided suggestions, and the pending ones still to review (a
        pending one settled elsewhere is nothing to decide; the next run drops it)."""
        return self.exclude(Q(status=SuggestionStatus.PENDING) & _settled_elsewhere())

    def with_display(self) -> "SuggestionQuerySet":
        """What a queue row shows: the subject, the ability and its framework, the level. The
        ability's own framework too: its language is the ability's where it states none
        (Ability.shown_language)."""
        return self.select_related(
            "course",
            "position",
            "ability__framework",
            "framework",
            "proposed_level",
            "decided_by",
        )


# How strongly the engine stands by a suggestion (suggestions.engine.explain.strength, stored as
# explanation["strength"]["band"]), as every page names it: the review and the gap report alike.
SUGGESTION_STRENGTHS = {
    "strong": _("Strong match"),
    "good": _("Good match"),
    "weak": _("Weak match"),
}


class Suggestion(UpdateOnlyModel):
    """One proposed link (course) or requirement (position), with the reasons it was proposed."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("course"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("position"),
    )
    ability = models.ForeignKey(
        Ability, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("ability")
    )
    # The ability's framework, kept on the row so a queue filters by framework without a join
    # and a run restricted to one framework replaces only that framework's suggestions.
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("framework")
    )
    score = models.FloatField(_("score"))
    rank = models.PositiveIntegerField(_("rank"))
    method = models.CharField(_("method"), max_length=64)
    explanation = models.JSONField(
        _("explanation"),
        default=dict,
        blank=True,
        help_text=_("The matched terms (which field of each side) and the reason for the level."),
    )
    proposed_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed level"),
    )
    # A position's suggestion: whether its description makes the ability essential or optional
    # (suggestions.levels.propose_importance); blank for a course's.
    proposed_importance = models.CharField(
        _("proposed importance"), max_length=16, choices=Importance.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    skipped_at = models.DateTimeField(_("skipped"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=SET_NULL_TOUCHED,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # What a sync reads (`updated_since`): stamped by every write, the bulk ones of a
    # regeneration (suggestions.services) included, which no save() makes.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(position__isnull=True))
                | (Q(course__isnull=True) & Q(position__isnull=False)),
                name="suggestion_course_xor_position",
            ),
            models.UniqueConstraint(
                fields=["course", "ability"],
                condition=Q(course__isnull=False),
                name="suggestion_unique_course_ability",
            ),
            models.UniqueConstraint(
                fields=["position", "ability"],
                condition=Q(position__isnull=False),
                name="suggestion_unique_position_ability",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="suggestion_rank_positive"),
            models.CheckConstraint(condition=Q(score__gte=0), name="suggestion_score_not_negative"),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.PENDING) | Q(decided_at__isnull=False),
                name="suggestion_decided_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SuggestionStatus]),
                name="suggestion_status_valid",
            ),
            # A course's suggestion proposes a link's level; a position's a requirement's
            # minimum level and its importance.
            models.CheckConstraint(
                condition=Q(position__isnull=False) | Q(proposed_importance=""),
                name="suggestion_importance_only_for_positions",
            ),
            models.CheckConstraint(
                condition=Q(proposed_importance__in=["", *Importance.values]),
                name="suggestion_importance_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status", "-score"], name="suggestion_course_queue"),
            models.Index(fields=["position", "status", "-score"], name="suggestion_position_queue"),
            models.Index(fields=["updated_at"], name="suggestion_updated_at"),
        ]

    def __str__(self):
        subject = self.course or self.position
        return f"{subject} → {self.ability} ({self.get_status_display()})"

    @property
    def subject(self) -> Course | Position:
        return self.course if self.course_id else self.position


class SuggestionDeletion(UpdateOnlyModel):
    """That a suggestion was deleted, for deletions/ (a sync of the review queue): dropped by a
    regeneration, or taken by its course's, position's, ability's or framework's deletion.
    Suggestions have no history (a regeneration rewrites thousands at once); this keeps only
    what a sync needs, under the names a history's deletion has (`id`, `history_date`), so the
    feed and the sync watermark read it as they read the histories."""

    # The deleted suggestion's id (ids are never reused).
    id = models.BigIntegerField(primary_key=True)
    history_date = models.DateTimeField(_("deleted"), db_index=True)
    # Whose suggestion it was: a course's (read with *add course-ability link*) or a
    # position's (*add requirement*).
    for_course = models.BooleanField(_("course suggestion"))

    class Meta:
        verbose_name = _("suggestion deletion")
        verbose_name_plural = _("suggestion deletions")

    def __str__(self):
        return f"{self.id} ({self.history_date:%Y-%m-%d %H:%M})"


class SuggestionScope(UpdateOnlyModel):
    """That suggestions were generated for a course or a position, against one framework or all
    (`framework` empty): what a background refresh regenerates when the text or the framework
    changes, and the fingerprint of both (suggestions.services.scope_fingerprint) that tells
    whether either changed."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_scopes",
        verbose_name=_("course"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_scopes",
        verbose_name=_("position"),
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_scopes",
        verbose_name=_("framework"),
        help_text=_("Empty: every framework."),
    )
    text_fingerprint = models.CharField(_("text fingerprint"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated"))

    class Meta:
        verbose_name = _("suggestion scope")
        verbose_name_plural = _("suggestion scopes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(position__isnull=True))
                | (Q(course__isnull=True) & Q(position__isnull=False)),
                name="suggestion_scope_course_xor_position",
            ),
            models.UniqueConstraint(
                fields=["course", "framework"],
                condition=Q(course__isnull=False, framework__isnull=False),
                name="suggestion_scope_unique_course_framework",
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(course__isnull=False, framework__isnull=True),
                name="suggestion_scope_unique_course_all",
            ),
            models.UniqueConstraint(
                fields=["position", "framework"],
                condition=Q(position__isnull=False, framework__isnull=False),
                name="suggestion_scope_unique_position_framework",
            ),
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(position__isnull=False, framework__isnull=True),
                name="suggestion_scope_unique_position_all",
            ),
        ]

    def __str__(self):
        # Not inside the f-string: xgettext reads no message there.
        frameworks = self.framework or _("all frameworks")
        return f"{self.course or self.position}: {frameworks}"

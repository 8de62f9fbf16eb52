"""The demand side: competency frameworks, their abilities, and the positions that require them.

This app depends on no other app of the project but the core; certifications and curricula build
on it.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.i18n import (
    CHINESE_DESCRIPTION_HELP,
    CHINESE_NAME_HELP,
    TEXT_TWO_LANGUAGES,
    LocalizedDescriptionMixin,
    LocalizedNameMixin,
    bracketed,
    join_list,
    localized,
    record_name,
)
from core.media import media_root
from core.models import (
    SET_NULL_TOUCHED,
    CodeField,
    DegreeLevel,
    DegreeLevelField,
    IdentifierField,
    NameField,
    PaperRule,
    ProseField,
    ProvenancedModel,
    UpdateOnlyModel,
    URIField,
    language_cleaned,
)
from core.search import folded_contains


class Importance(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class Framework(LocalizedNameMixin, ProvenancedModel):
    """A named set of abilities: the paper's own, or one imported from CASE, ESCO, Moodle, O*NET."""

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True)
    name = NameField(_("name"), max_length=255)
    name_zh = NameField(_("Chinese name"), max_length=255, blank=True, help_text=CHINESE_NAME_HELP)
    source = NameField(_("source"), max_length=255, blank=True)
    uri = URIField(_("URI"), max_length=500, blank=True)
    version = NameField(_("version"), max_length=64, blank=True)
    description = ProseField(_("description"), blank=True)
    language = IdentifierField(_("language"), max_length=16, blank=True, default="en")
    external_id = IdentifierField(
        _("external identifier"),
        max_length=255,
        blank=True,
        help_text=_("The identifier the source uses, so a re-import updates in place."),
    )
    extra = models.JSONField(
        _("extra data"),
        default=dict,
        blank=True,
        help_text=_("Source fields without a column of their own, kept for exports."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self):
        return f"{self.name} {self.version}".strip()

    @property
    def display_label(self) -> str:
        """As `__str__`, with the name in the reader's language."""
        return f"{self.display_name} {self.version}".strip()

    @property
    def display_str(self) -> str:
        return self.display_label

    def clean(self):
        super().clean()
        self.clean_language()

    def clean_language(self) -> None:
        """Stored as a language tag at every door that cleans, as a course's (CASE's `language`
        is one; core.models.language_cleaned); the imports call it beside validate_fields."""
        language_cleaned(self, two_languages=TEXT_TWO_LANGUAGES)


def area_ordering(path: str = "") -> list[OrderBy]:
    """The one order competency areas are listed in: the paper's (and any other of no framework)
    first, then each framework's areas together, frameworks as they were imported, each by order
    and code. Imported top-level areas are numbered 1, 2, ... too, so (order, code) alone mixed
    them in among the paper's.

    `path` orders another model by its area ("ability__area"); rows without one come last, as
    the coverage engine lists them. The engine, plain Python, has the same key in AreaIn.sort_key.
    """
    prefix = f"{path}__" if path else ""
    ordering = [
        F(f"{prefix}framework").asc(nulls_first=True),
        F(f"{prefix}order").asc(),
        F(f"{prefix}code").asc(),
    ]
    if path:
        no_area = ExpressionWrapper(Q(**{f"{path}__isnull": True}), output_field=BooleanField())
        ordering.insert(0, no_area.asc())
    return ordering


def ability_language(path: str = "") -> Coalesce:
    """The language an ability's text is in, as the pages mark it (core.i18n.in_language): its
    own `language`, else its framework's (imported frameworks state one; their abilities
    seldom do), else "". `path` reads it across a relation ("ability"). An expression, so a
    page reads it with its abilities, at no query per row; Ability.shown_language is the same
    for an ability read with its framework."""
    prefix = f"{path}__" if path else ""
    return Coalesce(
        NullIf(F(f"{prefix}language"), Value("")),
        F(f"{prefix}framework__language"),
        Value(""),
    )


class CompetencyArea(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """One of the paper's five ability areas (Section III, A to E), or an imported grouping."""

    code = CodeField(_("code"), max_length=16, unique=True)
    name = NameField(_("name"), max_length=255)
    name_zh = NameField(_("Chinese name"), max_length=255, blank=True, help_text=CHINESE_NAME_HELP)
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # An area an import made of a framework's top-level competency is that framework's own: a
    # re-import finds it by the competency, and never takes another's area for one with its code.
    framework = models.ForeignKey(
        Framework,
        on_delete=SET_NULL_TOUCHED,
        null=True,
        blank=True,
        related_name="areas",
        verbose_name=_("framework"),
        help_text=_("The framework whose top-level competency this area was imported from."),
    )
    external_id = IdentifierField(
        _("external identifier"),
        max_length=255,
        blank=True,
        help_text=_("The identifier the source uses, so a re-import updates in place."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = area_ordering()
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "external_id"],
                condition=~Q(external_id=""),
                name="area_unique_external_id_per_framework",
                violation_error_message=_(
                    "This framework already has a competency area with this external identifier."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Ability(ProvenancedModel):
    """An ability statement. Frameworks are trees: an ability may hang from a parent ability."""

    # The fields of the site search's vector stored in the column `search_vector` on PostgreSQL
    # (migration curricula 0041; core.search reads it when these are the fields searched).
    SEARCH_VECTOR_FIELDS = ("text", "code", "short_name", "alt_labels", "description", "text_zh")

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True)
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="abilities", verbose_name=_("framework")
    )
    area = models.ForeignKey(
        CompetencyArea,
        on_delete=SET_NULL_TOUCHED,
        null=True,
        blank=True,
        related_name="abilities",
        verbose_name=_("competency area"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = IdentifierField(_("code"), max_length=64, blank=True)
    text = ProseField(_("statement"))
    text_zh = ProseField(
        _("Chinese statement"),
        blank=True,
        help_text=_("Shown when the interface is in Chinese; blank: the statement above."),
    )
    short_name = NameField(_("short name"), max_length=255, blank=True)
    description = ProseField(
        _("description"),
        blank=True,
        help_text=_("What the ability means, beyond its statement (ESCO description, CASE notes)."),
    )
    alt_labels = ProseField(
        _("alternative labels"),
        blank=True,
        help_text=_("Other names of the ability, one per line (ESCO altLabels, CASE keywords)."),
    )
    language = IdentifierField(_("language"), max_length=16, blank=True)
    item_type = NameField(_("item type"), max_length=128, blank=True)
    uri = URIField(_("URI"), max_length=500, blank=True)
    external_id = IdentifierField(_("external identifier"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    extra = models.JSONField(
        _("extra data"),
        default=dict,
        blank=True,
        help_text=_("Source fields without a column of their own, kept for exports."),
    )
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_("Gone from the framework's latest import; kept because something used it."),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_(
            "Retired or reworded under live course links or requirements: staff should check it."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["framework_id", "order", "code", "id"]
        verbose_name = _("ability")
        verbose_name_plural = _("abilities")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=~Q(code=""),
                name="ability_unique_code_per_framework",
                violation_error_message=_("This framework already has an ability with this code."),
            ),
            models.UniqueConstraint(
                fields=["framework", "external_id"],
                condition=~Q(external_id=""),
                name="ability_unique_external_id_per_framework",
                violation_error_message=_(
                    "This framework already has an ability with this external identifier."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="ability_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["framework", "parent"], name="ability_framework_parent"),
            # A sync's poll of positions finds the abilities changed since (ChangedAt's
            # changed_since): without it, a scan of the whole catalogue's abilities.
            models.Index(fields=["updated_at"], name="ability_updated_at"),
            # The link and requirement imports find an ability by its URI or external identifier
            # in any framework (AbilityWidget): each value's lookup scanned every ability.
            models.Index(fields=["uri"], name="ability_uri"),
            models.Index(fields=["external_id"], name="ability_external_id"),
        ]

    def __str__(self):
        label = self.short_name or self.text
        if len(label) > 80:
            label = label[:79] + "…"
        return f"{self.code} {label}" if self.code else label

    @property
    def display_str(self) -> str:
        """As `__str__`, with the statement in the reader's language (core.i18n.record_name)."""
        label = self.display_label
        if len(label) > 80:
            label = label[:79] + "…"
        return f"{self.code} {label}" if self.code else label

    @property
    def shown_language(self) -> str:
        """Its own language, else its framework's (as positions.models.ability_language): read
        it with the framework (select_related), or it costs a query."""
        if self.language:
            return self.language
        return (self.framework.language or "") if self.framework_id else ""

    @property
    def display_text(self) -> str:
        """The statement in the interface's language (see core.i18n)."""
        return localized(self.text, self.text_zh)

    @property
    def display_label(self) -> str:
        """What names the ability in a list: its short name (or statement), or its Chinese
        statement while the interface is Chinese (a short name has no Chinese of its own)."""
        return localized(self.short_name or self.text, self.text_zh)

    @property
    def display_gloss(self) -> str:
        """What a list shows under `display_label`: the statement when it says more than the
        name; else the description (an ESCO skill is stated by its label and explained by its
        description), which has no Chinese of its own and so is not set beside a Chinese name."""
        label, text = self.display_label, self.display_text
        if text != label:
            return text
        untranslated = self.short_name or self.text
        if self.description and self.description != label and label == untranslated:
            return self.description
        return ""

    def clean_language(self) -> None:
        """Stored as a language tag at every door that cleans, as its framework's
        (core.models.language_cleaned); blank: its framework's (shown_language)."""
        language_cleaned(self, two_languages=TEXT_TWO_LANGUAGES)

    def clean(self):
        self.clean_language()
        if self.parent_id and self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": _("The parent must belong to the same framework.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and self.pk is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("An ability cannot be its own ancestor.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class RelationType(models.TextChoices):
    """The CASE 1.1 association vocabulary, less isChildOf (which is the ability tree), and
    "ext": one of the types CASE 1.1 lets a publisher name itself (ext:isSkillOf), kept whole in
    the relation's `extension_type`. No crosswalk rule reads an extension."""

    IS_RELATED_TO = "isRelatedTo", "isRelatedTo"
    EXACT_MATCH_OF = "exactMatchOf", "exactMatchOf"
    IS_PART_OF = "isPartOf", "isPartOf"
    IS_PEER_OF = "isPeerOf", "isPeerOf"
    PRECEDES = "precedes", "precedes"
    REPLACED_BY = "replacedBy", "replacedBy"
    EXEMPLAR = "exemplar", "exemplar"
    HAS_SKILL_LEVEL = "hasSkillLevel", "hasSkillLevel"
    IS_TRANSLATION_OF = "isTranslationOf", "isTranslationOf"
    EXTENSION = "ext", _("extension (ext:…)")


# The form CASE 1.1 gives an extension's name (its CFAssociation schema's pattern), and the
# longest one kept.
EXTENSION_TYPE_RE = r"ext:[a-zA-Z0-9.\-_]+"
EXTENSION_TYPE_LENGTH = 128


class AbilityRelation(ProvenancedModel):
    """A typed relation between two nodes, at least one of them an ability. The other may be a
    node outside every framework here (a CASE crosswalk to another publisher's item): it is kept
    by its identifier, URI and title, and published again as it came.

    `framework` is the framework whose package lists the relation, which need not be the
    source's: a package may list a crosswalk from another framework's item to one of its own.
    """

    identifier = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True)
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="relations",
        blank=True,
        verbose_name=_("framework"),
        help_text=_("The framework that lists the relation; the source's when left empty."),
    )
    source = models.ForeignKey(
        Ability,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relations_out",
        verbose_name=_("source"),
    )
    source_uri = URIField(_("external source URI"), max_length=500, blank=True)
    source_label = NameField(_("external source label"), max_length=500, blank=True)
    source_external_id = IdentifierField(
        _("external source identifier"),
        max_length=255,
        blank=True,
        help_text=_("The identifier the external node has where it is published."),
    )
    target = models.ForeignKey(
        Ability,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relations_in",
        verbose_name=_("target"),
    )
    target_uri = URIField(_("external target URI"), max_length=500, blank=True)
    target_label = NameField(_("external target label"), max_length=500, blank=True)
    target_external_id = IdentifierField(
        _("external target identifier"),
        max_length=255,
        blank=True,
        help_text=_("The identifier the external node has where it is published."),
    )
    relation_type = models.CharField(
        _("relation type"), max_length=32, choices=RelationType.choices
    )
    extension_type = models.CharField(
        _("extension type"),
        max_length=EXTENSION_TYPE_LENGTH,
        blank=True,
        validators=[
            RegexValidator(
                rf"\A{EXTENSION_TYPE_RE}\Z",
                _("Write ext: then letters, digits, dots, hyphens or underscores (ext:isSkillOf)."),
            )
        ],
        help_text=_(
            "For a relation of type extension: the association type its publisher named "
            "(ext:isSkillOf), published again as it came."
        ),
    )
    notes = ProseField(
        _("notes"), blank=True, help_text=_("What the relation's publisher notes about it.")
    )
    extra = models.JSONField(
        _("extra data"),
        default=dict,
        blank=True,
        help_text=_("Source fields without a column of their own, kept for exports."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "relation_type", "id"]
        verbose_name = _("ability relation")
        verbose_name_plural = _("ability relations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(target_uri=""))
                | (Q(target__isnull=True) & ~Q(target_uri="")),
                name="relation_target_xor_uri",
                violation_error_message=_(
                    "A relation's target is an ability or a URI elsewhere: give one of them, "
                    "not both."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(source__isnull=False) & Q(source_uri=""))
                | (Q(source__isnull=True) & ~Q(source_uri="")),
                name="relation_source_xor_uri",
                violation_error_message=_(
                    "A relation's source is an ability or a URI elsewhere: give one of them, "
                    "not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | Q(target__isnull=False),
                name="relation_has_an_ability",
                violation_error_message=_("A relation joins at least one ability of this site."),
            ),
            # A self-relation says nothing a crosswalk could follow; the API and the Moodle
            # import refused it, a CASE package's brought it in (now left out with a warning).
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relation_not_to_itself",
                violation_error_message=_("An ability cannot be related to itself."),
            ),
            models.CheckConstraint(
                condition=(Q(relation_type=RelationType.EXTENSION) & ~Q(extension_type=""))
                | (~Q(relation_type=RelationType.EXTENSION) & Q(extension_type="")),
                name="relation_extension_type_iff_ext",
                violation_error_message=_(
                    "A relation of type extension names its extension type; no other has one."
                ),
            ),
        ]
        indexes = [models.Index(fields=["framework", "source"], name="relation_framework_source")]

    def __str__(self):
        source = self.source or self.source_label or self.source_uri
        target = self.target or self.target_label or self.target_uri
        return f"{source} {self.association_type} {target}"

    @property
    def display_str(self) -> str:
        """As `__str__`, with the abilities in the reader's language (core.i18n.record_name)."""
        source = record_name(self.source) if self.source else self.source_label or self.source_uri
        target = record_name(self.target) if self.target else self.target_label or self.target_uri
        return f"{source} {self.association_type} {target}"

    @property
    def association_type(self) -> str:
        """The CASE associationType: the relation type, or the extension's own name."""
        return self.extension_type or self.relation_type

    def save(self, *args, **kwargs):
        if self.framework_id is None:
            ability = self.source if self.source_id else self.target
            if ability is not None:
                self.framework_id = ability.framework_id
        super().save(*args, **kwargs)


class Track(LocalizedNameMixin, ProvenancedModel):
    """A position type / career direction. Tables I and III name them differently: see aliases."""

    name = NameField(_("name"), max_length=128, unique=True)
    name_zh = NameField(_("Chinese name"), max_length=128, blank=True, help_text=CHINESE_NAME_HELP)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = ProseField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self):
        return self.name

    @property
    def display_aliases(self) -> list[str]:
        """The aliases in the interface's language, each wording once (two English aliases may
        read the same in Chinese), in name order; reads `aliases` as prefetched."""
        names = [alias.display_name for alias in sorted(self.aliases.all(), key=_alias_order)]
        return list(dict.fromkeys(names))


def track_given(track: "Track | int | str", *, field: str = "track") -> Q:
    """Records whose `field` (a foreign key to Track) is the track given as an object, an id, or
    a query's text: its id in digits, else its slug. The one reading of `?track=` (positions,
    programmes)."""
    if isinstance(track, Track):
        return Q(**{field: track})
    if isinstance(track, str) and not (track.isascii() and track.isdigit()):
        return Q(**{f"{field}__slug": track})
    # ASCII digits only: "²".isdigit() is true but int() refuses it (read as a slug above); an
    # id past 64 bits matches nothing rather than overflowing the column.
    track_id = int(track)
    return Q(**{f"{field}_id": track_id}) if track_id < 2**63 else Q(pk__in=[])


def _alias_order(alias: "TrackAlias") -> str:
    return alias.name


class TrackAlias(LocalizedNameMixin, ProvenancedModel):
    """Another name for a track, e.g. Table III's 'Technological development'."""

    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("track")
    )
    name = NameField(_("alias"), max_length=128, unique=True)
    name_zh = NameField(_("Chinese alias"), max_length=128, blank=True, help_text=CHINESE_NAME_HELP)

    # Dates its deletion, for a sync of the track that lists it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["track_id", "name"]
        verbose_name = _("track alias")
        verbose_name_plural = _("track aliases")

    def __str__(self):
        return self.name


class Level(UpdateOnlyModel):
    """A step on the depth scale. Higher rank = deeper (Introduced < Reinforced < Mastered)."""

    code = IdentifierField(_("code"), max_length=8, unique=True)
    name = NameField(_("name"), max_length=64)
    name_zh = NameField(_("Chinese name"), max_length=64, blank=True, help_text=CHINESE_NAME_HELP)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    description = ProseField(_("description"), blank=True)
    # For a sync: a renamed level is a change a polling client must see.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [models.CheckConstraint(condition=Q(rank__gte=1), name="level_rank_positive")]

    def __str__(self):
        # What the admin's menus, lists and filters show: in the reader's language, as the
        # site's pages name a level.
        return bracketed(self.display_name, self.code)

    @property
    def display_name(self) -> str:
        """The name in the interface's language: its Chinese name (`name_zh`) where it has one
        and the interface is Chinese, else its own. The default scale's names are in the
        message catalogue too (positions.levels.LEVEL_NAMES), for a level without a Chinese
        name that still bears one of them (a database restored from before `name_zh`)."""
        return localized(gettext(self.name), self.name_zh)


class PositionQuerySet(models.QuerySet):
    """How positions are asked for: with what their lists show, placed where, matching what."""

    def with_requirements_defined(self) -> "PositionQuerySet":
        """Annotate `requirements_defined`: whether any requirement is recorded."""
        return self.annotate(
            requirements_defined=models.Exists(
                Requirement.objects.filter(position=models.OuterRef("pk"))
            )
        )

    def with_requirement_count(self) -> "PositionQuerySet":
        return self.annotate(requirement_count=models.Count("requirements"))

    def with_placements(self) -> "PositionQuerySet":
        """Placements (with their tracks) prefetched, in their own order."""
        return self.prefetch_related(
            models.Prefetch("placements", queryset=Placement.objects.select_related("track"))
        )

    def placed(self, *, track: "Track | int | str | None", degree_level: str | None):
        """Positions with one placement matching both the track (object, id or slug) and the
        degree level, so a position placed elsewhere at that degree does not slip through."""
        placements = Placement.objects.filter(position=models.OuterRef("pk"))
        if track is not None and track != "":
            placements = placements.filter(track_given(track))
        if degree_level:
            placements = placements.filter(degree_level=degree_level)
        return self.filter(models.Exists(placements))

    def unplaced(self) -> "PositionQuerySet":
        """Positions no track lists (Table II only, or imported)."""
        return self.filter(placements__isnull=True)

    def named_like(self, text: str) -> "PositionQuerySet":
        """Name (or Chinese name) or a Table I title contains `text`, in any case, width and
        accent (core.search.folded_contains)."""
        titles = Placement.objects.filter(
            folded_contains(("title",), text), position=OuterRef("pk")
        )
        return self.filter(folded_contains(("name", "name_zh"), text) | models.Exists(titles))


# The paper's framework (curricula.paper.loader): the source reference the loader gave it, which
# an edit keeps, and an import in place never overwrites. Its CASE document is this site's edition
# of the paper's statements: the authors its creator, this site its publisher.
PAPER_FRAMEWORK_RULE = PaperRule(source_ref=r"Section III A-E; Table II")

# A position whose ability profile Table II gives (curricula.paper.loader): the source reference
# the loader gave it, which an edit keeps. The paper's positions Table I alone lists have none.
_TABLE_II_PROFILE_REF = r"Table II, position [0-9]+"
TABLE_II_PROFILE_RULE = PaperRule(source_ref=_TABLE_II_PROFILE_REF, by_provenance=False)
TABLE_II_PROFILE = TABLE_II_PROFILE_RULE.q

# A position the paper's loader wrote: Table II's, or one Table I alone lists. A position staff
# or an import add beside the paper's is not the paper's, whatever it cites (a placement's or a
# certification's reference, say).
PAPER_POSITION_RULE = PaperRule(
    source_ref=(
        rf"{_TABLE_II_PROFILE_REF}"
        r"|Table I, [^,;]+, (Bachelor|Master); Table II gives no profile"
    )
)
PAPER_POSITION = PAPER_POSITION_RULE.q


class Position(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """A job. The paper's are named as its Table II names them; the titles a track and degree
    list them under (Table I's, the paper's) are kept on the placements."""

    name = NameField(_("name"), max_length=255)
    name_zh = NameField(_("Chinese name"), max_length=255, blank=True, help_text=CHINESE_NAME_HELP)
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    uri = URIField(_("URI"), max_length=500, blank=True)
    external_id = IdentifierField(_("external identifier"), max_length=255, blank=True)
    code = IdentifierField(_("code"), max_length=64, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    extra = models.JSONField(
        _("extra data"),
        default=dict,
        blank=True,
        help_text=_("Source fields without a column of their own, kept for exports."),
    )

    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="position_unique_external_id",
                violation_error_message=_("Another position has this external identifier."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("positions:detail", args=[self.pk])

    @property
    def from_paper(self) -> bool:
        """Whether the paper's loader wrote the position: PAPER_POSITION, for one read already."""
        return PAPER_POSITION_RULE.holds(self)


# A placement the paper's loader wrote (curricula.paper.loader), one of Table I's. A placement
# staff or an import add beside the paper's is not Table I's, whatever the database holds.
PAPER_PLACEMENT_RULE = PaperRule(source_ref=r"Table I, [^,;]+, (Bachelor|Master), title [0-9]+")
PAPER_PLACEMENT = PAPER_PLACEMENT_RULE.q


class Placement(ProvenancedModel):
    """A position listed under a track and degree level, with the title the listing gives it
    (the paper's Table I, say, or a university's own list of graduate jobs).

    Together with Position.name this is the crosswalk between the listing's names and the
    positions' (for the paper, between Table I's and Table II's).
    """

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="placements", verbose_name=_("position")
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="placements", verbose_name=_("track")
    )
    degree_level = DegreeLevelField(_("degree level"))
    # Blank means the position's own name (listed_title), which then follows a rename. No rule
    # reads the title: a placement is one per track, degree level and position.
    title = NameField(
        _("listed title"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name the position is listed under in this track and degree level, when its "
            "source uses another (a university's list of graduate jobs, say, or the paper's "
            "Table I). Leave blank when it is the position's own name."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["track__order", DegreeLevel.order_by(), "order", "id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["track", "degree_level", "position"], name="placement_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.listed_title} ({self.track}, {self.get_degree_level_display()})"

    @property
    def display_str(self) -> str:
        """As `__str__`, in the reader's language (core.i18n.record_name)."""
        title = self.title or self.position.display_name
        return bracketed(
            title,
            join_list([self.track.display_name, self.get_degree_level_display()]),
        )

    @property
    def listed_title(self) -> str:
        """The title the placement is listed under: its own, or the position's name."""
        return self.title or self.position.name

    @property
    def titled_otherwise(self) -> bool:
        """Whether the placement is listed under words of its own, not the position's name
        (blank, or the name in another case): what a "listed as" note is worth showing for."""
        return self.listed_title.lower() != self.position.name.lower()

    @property
    def display_listed_title(self) -> str:
        """The listed title for the reader: its own (the source's words, in the source's
        language), else the position's name in the reader's language."""
        return self.title or self.position.display_name


class Requirement(ProvenancedModel):
    """A position requires an ability, at a minimum level, as essential or optional."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("position")
    )
    ability = models.ForeignKey(
        Ability, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("ability")
    )
    importance = models.CharField(
        _("importance"), max_length=16, choices=Importance.choices, default=Importance.ESSENTIAL
    )
    min_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("minimum level"),
    )
    importance_score = models.DecimalField(
        _("importance score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A numeric importance from the source, e.g. O*NET's IM scale."),
    )
    level_score = models.DecimalField(
        _("level score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A numeric level from the source, e.g. O*NET's LV scale."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position_id", "order", "id"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["position", "ability"], name="requirement_unique_ability_per_position"
            ),
        ]
        # A sync's poll: the requirements, and the suggestions they settled (deletions/),
        # changed since.
        indexes = [models.Index(fields=["updated_at"], name="requirement_updated_at")]

    def __str__(self):
        return f"{self.position}: {self.ability}"

    @property
    def display_str(self) -> str:
        """As `__str__`, in the reader's language (core.i18n.record_name)."""
        return gettext("%(label)s: %(value)s") % {
            "label": self.position.display_name,
            "value": self.ability.display_str,
        }


def _import_upload_root() -> str:
    # Read at use, not at import, so tests and deployments can point uploads elsewhere.
    root = getattr(settings, "IMPORT_UPLOAD_ROOT", "")
    if not root:
        root = media_root() / "imports"
    return str(root)


# The longest stored name of an uploaded file, in UTF-8 bytes: file systems refuse a name past
# 255 bytes (an OSError, a 500), and the storage may add "_" and 7 characters to make it unique.
UPLOAD_NAME_BYTES = 150


class ImportUploadStorage(FileSystemStorage):
    """Uploaded import files live apart from anything served to the public, under a name the
    file system takes (the job keeps the name as sent in `source_name`)."""

    def get_valid_name(self, name):
        name = super().get_valid_name(name)
        stem, extension = os.path.splitext(name)
        extension = extension[:20]
        room = UPLOAD_NAME_BYTES - len(extension.encode())
        # Cut on a character, never inside one's UTF-8 bytes.
        stem = stem.encode()[:room].decode(errors="ignore") or "upload"
        return stem + extension

    @property
    def base_location(self):
        return _import_upload_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def import_upload_storage() -> ImportUploadStorage:
    return ImportUploadStorage()


class ImportFormat(models.TextChoices):
    CASE = "case", _("1EdTech CASE package (JSON)")
    ESCO = "esco", _("ESCO CSV download (folder or zip)")
    MOODLE = "moodle", _("Moodle competency framework (CSV)")
    ONET = "onet", _("O*NET database text files (folder or zip)")
    # Started from the admin's course and link imports when a file is too large to import
    # inside a request (curricula registers the importers); not offered where frameworks are
    # uploaded.
    LINKS = "links", _("Course-ability links (CSV or XLSX)")
    COURSES = "courses", _("Course catalogue (CSV or XLSX)")
    REQUIREMENTS = "requirements", _("Positions' requirements (CSV or XLSX)")
    # The crosswalk CSV (positions.importers.relations), from the API's and the admin's imports
    # of ability relations, with background or past their inline bound.
    RELATIONS = "relations", _("Ability relations (crosswalk CSV)")


FRAMEWORK_FORMATS = [
    choice
    for choice in ImportFormat.choices
    if choice[0]
    not in (
        ImportFormat.LINKS,
        ImportFormat.COURSES,
        ImportFormat.REQUIREMENTS,
        ImportFormat.RELATIONS,
    )
]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportJob(UpdateOnlyModel):
    """One run of an importer over an uploaded file or a server-side path, with its report."""

    format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    upload = models.FileField(
        _("uploaded file"),
        upload_to="%Y/%m/",
        storage=import_upload_storage,
        max_length=500,
        blank=True,
    )
    path = models.CharField(
        _("server path"),
        max_length=1000,
        blank=True,
        help_text=_("A file or folder on the server, for imports started from the command line."),
    )
    source_name = models.CharField(_("source name"), max_length=255, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The lease of the worker running the job, renewed by its heartbeat. Past it, the worker is
    # taken to be gone: a redelivered task (or the sweep) takes the job over or fails it.
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The worker running the job has no request to take a language from: the job keeps the one
    # it was asked for in, and its report (refusals, problems by line) is written in it.
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("The language the import was asked for in, which its report is written in."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_job_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(upload="") | ~Q(path=""), name="import_job_has_source"
            ),
        ]

    def __str__(self):
        name = gettext("%(label)s: %(value)s") % {
            "label": self.get_format_display(),
            "value": self.source_name or self.path,
        }
        return bracketed(name, self.get_status_display())

    @property
    def is_over(self) -> bool:
        """Succeeded or failed: its report is final, and its page stops following it."""
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def is_stuck(self) -> bool:
        """Running, but its worker stopped renewing the lease: nobody is running it now."""
        return (
            self.status == ImportStatus.RUNNING
            and self.lease_expires_at is not None
            and self.lease_expires_at < timezone.now()
        )

    @property
    def progress_cache_key(self) -> str:
        """Where a running job's live progress is kept: its row is not visible to other
        connections until the import's transaction commits."""
        return f"positions:import-job:{self.pk}:progress"

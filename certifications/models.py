"""Professional certifications (Table III's left column) and the stages leading to them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.i18n import (
    CHINESE_DESCRIPTION_HELP,
    CHINESE_NAME_HELP,
    LocalizedDescriptionMixin,
    LocalizedNameMixin,
)
from core.models import (
    CaselessCodeField,
    DegreeLevelField,
    NameField,
    PaperRule,
    ProseField,
    ProvenancedModel,
    caseless_code_unique,
)

# A certification the paper's loader wrote (curricula.paper.loader): its provenance says so or,
# once staff edited it, the source reference the loader gave it, which an edit keeps. One staff
# or an import add beside the paper's is not Table III's.
PAPER_CERTIFICATION_RULE = PaperRule(source_ref=r"Table III, certification [0-9]+")
PAPER_CERTIFICATION = PAPER_CERTIFICATION_RULE.q
# A training stage the paper's loader wrote, one of Section IV A's five-in-one model's steps.
PAPER_STAGE_RULE = PaperRule(source_ref=r"Section IV A, five-in-one model, step [0-9]+")


class Certification(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """A professional qualification, e.g. the cross-border e-commerce engineer (bachelor level).

    Its career directions, each with its courses, are the programmes of the curricula app.
    """

    name = NameField(_("name"), max_length=255, unique=True)
    name_zh = NameField(_("Chinese name"), max_length=255, blank=True, help_text=CHINESE_NAME_HELP)
    degree_level = DegreeLevelField(_("degree level"))
    awarding_body = NameField(_("awarding body"), max_length=255, blank=True)
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("certifications:list") + f"#certification-{self.pk}"

    @property
    def from_paper(self) -> bool:
        """Whether the paper's loader wrote the certification: PAPER_CERTIFICATION, for one read
        already."""
        return PAPER_CERTIFICATION_RULE.holds(self)


class TrainingStage(LocalizedNameMixin, LocalizedDescriptionMixin, ProvenancedModel):
    """A step of Section IV A's five-in-one progression, from theory teaching to certification."""

    code = CaselessCodeField(_("code"), max_length=32, unique=True)
    name = NameField(_("name"), max_length=128)
    name_zh = NameField(_("Chinese name"), max_length=128, blank=True, help_text=CHINESE_NAME_HELP)
    description = ProseField(_("description"), blank=True)
    description_zh = ProseField(
        _("Chinese description"), blank=True, help_text=CHINESE_DESCRIPTION_HELP
    )
    order = models.PositiveIntegerField(_("order"), unique=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("training stage")
        verbose_name_plural = _("training stages")
        constraints = [caseless_code_unique("training_stage")]

    def __str__(self):
        # In the reader's language: the admin's filters and choices read it. Exports write the
        # code, and CASE and the map their own name columns, so none depends on it.
        return self.display_name

    @property
    def from_paper(self) -> bool:
        """Whether the paper's loader wrote the stage (a step of Section IV A's model)."""
        return PAPER_STAGE_RULE.holds(self)

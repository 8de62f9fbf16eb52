"""What every record of the project shares: where it came from, and the degree levels that
positions, certifications and programmes are placed at. Abstract and enumerations only: the core
has no tables of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    """Where a record came from, so a reader can tell the paper's data from everything else."""

    PAPER = "paper", _("The paper (Luan et al.)")
    STARTER = "starter", _("Editorial starter mapping")
    IMPORT = "import", _("Import")
    EDIT = "edit", _("Edited by staff")
    GENERATED = "generated", _("Synthetic catalogue")
    SUGGESTED = "suggested", _("Accepted suggestion")


class DegreeLevel(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")


class ProvenancedModel(models.Model):
    """Every record says where it came from (`provenance`) and exactly where (`source_ref`)."""

    provenance = models.CharField(
        _("provenance"), max_length=16, choices=Provenance.choices, default=Provenance.EDIT
    )
    source_ref = models.CharField(
        _("source reference"),
        max_length=255,
        blank=True,
        help_text=_("Where in the source this record comes from, e.g. 'Table II, position 4'."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

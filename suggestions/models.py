"""Stored suggestions: an ability proposed for a course (a link) or a position (a requirement),
waiting for a person to accept, reject or skip it.

A suggestion is one row per (course, ability) or (position, ability), whatever its status: a
rejected pair keeps its row, so a later run never proposes it again, and an accepted one keeps
its row as the record of who accepted it and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from curricula.models import Course
from positions.models import Ability, Framework, Level, Position


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


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

    def with_display(self) -> "SuggestionQuerySet":
        """What a queue row shows: the subject, the ability and its framework, the level."""
        return self.select_related(
            "course", "position", "ability", "framework", "proposed_level", "decided_by"
        )


class Suggestion(models.Model):
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
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    skipped_at = models.DateTimeField(_("skipped"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

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
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(proposed_level__isnull=True),
                name="suggestion_level_only_for_courses",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status", "-score"], name="suggestion_course_queue"),
            models.Index(fields=["position", "status", "-score"], name="suggestion_position_queue"),
        ]

    def __str__(self):
        subject = self.course or self.position
        return f"{subject} → {self.ability} ({self.get_status_display()})"

    @property
    def subject(self) -> Course | Position:
        return self.course if self.course_id else self.position


class SuggestionScope(models.Model):
    """That suggestions were generated for a course or a position, against one framework or all
    (`framework` empty): what a background refresh regenerates when the text or the framework
    changes, and the text fingerprint that tells whether it changed."""

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
        return f"{self.course or self.position}: {self.framework or _('all frameworks')}"

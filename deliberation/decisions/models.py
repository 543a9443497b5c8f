"""Decisions (决议) of the deciding bodies, and how the committee carries them out:
responsible member, due date, social organisations assisting, progress, the supervision
committee's comments and its sign-off of completion."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.community.models import ResidentsCommittee, SocialOrganization


class Decision(models.Model):
    """What a vote on a motion decided, passed or not. Never edited: a later decision of
    the higher body may revoke or change it (Motion.revises)."""

    class Execution(models.TextChoices):
        NOT_ASSIGNED = "not_assigned", _("Not assigned yet")
        IN_PROGRESS = "in_progress", _("Being carried out (执行中)")
        REPORTED_DONE = "reported_done", _("Reported done, awaiting sign-off")
        COMPLETED = "completed", _("Completed and signed off (已完成)")

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="decisions"
    )
    motion = models.OneToOneField(
        "deliberation.Motion", on_delete=models.PROTECT, related_name="decision"
    )
    passed = models.BooleanField()
    decided_at = models.DateTimeField()
    disclosure = models.ForeignKey(
        "disclosures.DisclosurePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Execution (passed decisions only).
    execution = models.CharField(
        max_length=20, choices=Execution.choices, default=Execution.NOT_ASSIGNED
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_responsible",
        verbose_name=_("responsible member"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assisting = models.ManyToManyField(
        SocialOrganization, blank=True, related_name="decisions_assisted"
    )
    percent_done = models.PositiveSmallIntegerField(default=0)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("decision (决议)")
        verbose_name_plural = _("decisions (决议)")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_done__lte=100), name="decision_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(passed=True) | Q(execution="not_assigned"),
                name="decision_only_passed_ones_are_carried_out",
            ),
        ]
        indexes = [models.Index(fields=["committee", "execution", "due_on"])]

    def __str__(self) -> str:
        return self.motion.title


def _photo_path(instance, filename: str) -> str:
    return f"decisions/{uuid.uuid4().hex}.jpg"


class ProgressUpdate(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="progress")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("what was done"), max_length=3000)
    percent_done = models.PositiveSmallIntegerField(_("percent done"))
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_done__lte=100), name="progress_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.percent_done}%"


class SupervisionNote(models.Model):
    """A supervision committee member's comment on how a decision is carried out."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="supervision_notes"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("comment"), max_length=3000)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

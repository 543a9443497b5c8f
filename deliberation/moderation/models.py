"""Moderation of opinions and comments: reports, hiding with a public reason, one appeal.
Nothing here deletes: a hidden item stays, marked, and every step is an event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Exactly one of the two targets is set.
ONE_TARGET = (Q(opinion__isnull=False) & Q(comment__isnull=True)) | (
    Q(opinion__isnull=True) & Q(comment__isnull=False)
)


class Target(models.Model):
    opinion = models.ForeignKey(
        "deliberation.Opinion", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "deliberation.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.opinion or self.comment


class Report(Target):
    """A resident telling moderators an item breaks the rules."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("what is wrong with it"), max_length=300)
    at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="report_one_target"),
            models.UniqueConstraint(
                fields=["opinion", "reporter"],
                condition=Q(opinion__isnull=False),
                name="report_opinion_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="report_comment_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.reason}"


class Appeal(Target):
    """The author's one appeal against hiding their item."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting a moderator")
        UPHELD = "upheld", _("Appeal upheld: shown again")
        REJECTED = "rejected", _("Appeal rejected: stays hidden")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("why it should be shown"), max_length=1000)
    at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="appeal_one_target"),
            models.UniqueConstraint(
                fields=["opinion"], condition=Q(opinion__isnull=False), name="appeal_opinion_once"
            ),
            models.UniqueConstraint(
                fields=["comment"], condition=Q(comment__isnull=False), name="appeal_comment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.get_decision_display()}"


class ModerationEvent(Target):
    """Append-only log of every moderation step."""

    class Action(models.TextChoices):
        REPORTED = "reported", _("Reported")
        HIDDEN = "hidden", _("Hidden")
        APPEALED = "appealed", _("Appealed")
        RESTORED = "restored", _("Shown again after appeal")
        APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
        # A moderator read the reports and left the item shown.
        DISMISSED = "dismissed", _("Reports dismissed")

    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=ONE_TARGET, name="moderation_one_target")]

    def __str__(self) -> str:
        return f"{self.target} · {self.get_action_display()}"

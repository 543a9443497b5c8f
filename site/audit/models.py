"""What the supervision committee (居务监督委员会) raises about the records it audits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.community.models import ResidentsCommittee


class Finding(models.Model):
    """A problem an auditor found in a record. Staff respond; only an auditor closes it."""

    class Severity(models.TextChoices):
        NOTE = "note", _("Note")
        CONCERN = "concern", _("Concern")
        SERIOUS = "serious", _("Serious")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESPONDED = "responded", _("Responded")
        CLOSED = "closed", _("Closed")

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="findings"
    )
    subject = models.CharField(
        _("record"), max_length=120, help_text=_("The record concerned, as the ledger names it.")
    )
    subject_title = models.CharField(_("record title"), max_length=255)
    subject_url = models.CharField(_("record link"), max_length=300, blank=True)
    text = models.TextField(_("finding"), max_length=4000)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="findings_raised"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings_closed",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("finding (监督意见)")
        verbose_name_plural = _("findings (监督意见)")
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="finding_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_title}: {self.text[:40]}"


class FindingResponse(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("response"), max_length=4000)
    created_at = models.DateTimeField(_("responded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("response to a finding")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]

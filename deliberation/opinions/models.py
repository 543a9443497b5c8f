"""Opinions (意见) and improvement proposals (社区改善方案): what residents say, who
seconded it (附议), and every change of its status."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.community.models import Grid, ResidentsCommittee


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment (环境卫生)")
    SAFETY = "safety", _("Safety (安全)")
    ELDERLY_CARE = "elderly_care", _("Elderly care (养老服务)")
    FACILITIES = "facilities", _("Facilities (公共设施)")
    PARKING = "parking", _("Parking (停车)")
    PROPERTY = "property", _("Property management (物业管理)")
    OTHER = "other", _("Other (其他)")


class Kind(models.TextChoices):
    OPINION = "opinion", _("Opinion (意见)")
    PROPOSAL = "proposal", _("Improvement proposal (社区改善方案)")


class Channel(models.TextChoices):
    """How the opinion reached the committee."""

    ONLINE = "online", _("Online, by the resident")
    MEETING = "meeting", _("At an opinion collection meeting")
    PHONE = "phone", _("By phone")
    HOME_VISIT = "home_visit", _("On a home visit")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (已提交)")
    CONSIDERING = "considering", _("Under consideration (研究中)")
    MERGED = "merged", _("Merged into a topic (已并入议题)")
    ANSWERED = "answered", _("Answered (已答复)")
    DECLINED = "declined", _("Declined (不予采纳)")
    REFERRED = "referred", _("Referred to the public service centre (转公共服务中心)")


class Opinion(models.Model):
    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="opinions"
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("grid (网格)")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions_recorded",
        help_text=_("The grid worker or staff member who recorded it on the author's behalf."),
    )
    channel = models.CharField(
        _("how it was gathered"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    collection_meeting = models.ForeignKey(
        "deliberation.CollectionMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("opinion collection meeting (意见收集会)"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OPINION)
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("what you want to say"), max_length=2000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    topic = models.ForeignKey(
        "deliberation.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("topic (议题)"),
    )
    reply = models.TextField(
        _("committee's reply"),
        blank=True,
        help_text=_("The answer, the reason for declining, or the referral note."),
    )
    seconds_count = models.PositiveIntegerField(_("seconds (附议)"), default=0)
    flagged_at = models.DateTimeField(_("reached the seconds threshold at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # The form carries a fresh key; a second POST of the same form finds the first opinion.
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)
    hidden_at = models.DateTimeField(_("hidden by moderators at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("opinion (意见)")
        verbose_name_plural = _("opinions (意见)")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"], name="opinion_submitted_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(topic__isnull=False),
                name="opinion_merged_names_topic",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "declined"]) | ~Q(reply=""),
                name="opinion_answer_or_decline_has_text",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="opinion_hidden_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "-submitted_at"]),
            models.Index(fields=["committee", "-seconds_count"]),
            models.Index(fields=["committee", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def _photo_path(instance, filename: str) -> str:
    # Never the uploaded name: it may carry the resident's name or address.
    return f"opinions/{uuid.uuid4().hex}.jpg"


class OpinionPhoto(models.Model):
    """A photo re-encoded on upload: checked type and size, location metadata gone."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class Second(models.Model):
    """One resident's 附议 of one opinion; the database allows one per person."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="seconds")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seconds"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("second (附议)")
        verbose_name_plural = _("seconds (附议)")
        constraints = [
            models.UniqueConstraint(fields=["opinion", "person"], name="second_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.opinion}"


class OpinionStatusChange(models.Model):
    """Append-only history of an opinion's status: what changed, who, when, and why."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    topic = models.ForeignKey(
        "deliberation.Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("opinion status change")
        verbose_name_plural = _("opinion status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.opinion} → {self.get_to_status_display()}"

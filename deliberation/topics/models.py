"""Topics (议题): what the committee takes up for discussion, from opinions or from a
joint proposal of residents, through discussion meetings to a consultation opinion
(协商意见) and the party organisation's review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.community.models import ResidentsCommittee, SocialOrganization


class Origin(models.TextChoices):
    COMMITTEE = "committee", _("Taken up by the committee")
    JOINT_PROPOSAL = "joint_proposal", _("Joint proposal of residents (联名提议)")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Collecting signatures (征集联名)")
    DISCUSSION = "discussion", _("In discussion (讨论中)")
    CONSULTED = "consulted", _("Consultation opinion reached (已形成协商意见)")
    TO_DECISION = "to_decision", _("Sent to a decision meeting (提交议事决策)")
    DECIDED = "decided", _("Decided by a decision meeting (已作出决议)")
    SETTLED = "settled", _("Settled by the committee (居委会办理)")
    CLOSED = "closed", _("Closed (已关闭)")


class ConsultationForm(models.TextChoices):
    COUNCIL = "council", _("Deliberation council (议事会)")
    HEARING = "hearing", _("Hearing (听证会)")
    TALK = "talk", _("Heart-to-heart talk (恳谈会)")


class Topic(models.Model):
    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000)
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.COMMITTEE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.DISCUSSION
    )
    consultation_form = models.CharField(
        _("consultation form"),
        max_length=20,
        choices=ConsultationForm.choices,
        default=ConsultationForm.COUNCIL,
    )
    consultation_opinion = models.TextField(_("consultation opinion (协商意见)"), blank=True)
    outcome_note = models.TextField(
        _("outcome note"),
        blank=True,
        help_text=_("How the committee settled it, or why it was closed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When a joint proposal reached the statutory share; from then on staff cannot refuse it.
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    settlement_disclosure = models.ForeignKey(
        "disclosures.DisclosurePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The disclosure item of a topic the committee settled itself (Art 32)."),
    )

    class Meta:
        verbose_name = _("topic (议题)")
        verbose_name_plural = _("topics (议题)")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["settled", "closed"]) | ~Q(outcome_note=""),
                name="topic_settled_or_closed_with_note",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self) -> str:
        return self.title


class TopicStatusChange(models.Model):
    """Append-only history of a topic's status."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=TopicStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TopicStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} → {self.get_to_status_display()}"


class Signature(models.Model):
    """A verified resident's or representative's name on a joint proposal."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_signatures"
    )
    household = models.ForeignKey(
        "community.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_representative = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signature (联名)")
        verbose_name_plural = _("signatures (联名)")
        constraints = [
            models.UniqueConstraint(fields=["topic", "person"], name="signature_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.topic}"


class StakeholderKind(models.TextChoices):
    """The "6+X" practice: six standing parties, plus those the topic concerns."""

    PARTY = "party", _("Community party organisation")
    COMMITTEE = "committee", _("Residents' committee")
    SUPERVISION = "supervision", _("Supervision committee")
    RESIDENTS_GROUP = "residents_group", _("Residents' group")
    SOCIAL_ORG = "social_org", _("Social organisation")
    RESPECTED = "respected", _("Respected resident")
    CONCERNED = "concerned", _("Concerned party (X)")


class Stakeholder(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(_("kind"), max_length=20, choices=StakeholderKind.choices)
    name = models.CharField(_("who"), max_length=100)
    social_organization = models.ForeignKey(
        SocialOrganization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invited stakeholder")
        verbose_name_plural = _("invited stakeholders")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A verified resident's comment in a topic's discussion; replies thread under it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topic_comments"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comment_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class TopicDocument(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return str(self.document)


class DiscussionMeeting(models.Model):
    """A topic discussion meeting (议题讨论会): who came, the minutes, and the outcome."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    attendee_count = models.PositiveIntegerField(_("people present"), default=0)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("verified residents present"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic discussion meeting (议题讨论会)")
        verbose_name_plural = _("topic discussion meetings (议题讨论会)")
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.held_at:%Y-%m-%d}"


class PartyReview(models.Model):
    """The community party organisation's review of a topic before it goes to a decision
    (Art 30): the gate the decision stage checks."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agreed to put it to a decision")
        AGREED_WITH_CHANGES = "agreed_with_changes", _("Agreed with changes")
        RETURNED = "returned", _("Returned for more discussion")

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="party_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.CharField(
        _("reviewed by"), max_length=100, help_text=_("The party organisation and who signed.")
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party organisation review")
        verbose_name_plural = _("party organisation reviews")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_outcome_display()}"

"""Decision meetings (议事决策会) of the two deciding bodies: petitions to convene, the
notice, the roll frozen at opening, check-in, the agenda of motions and the minutes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.community.models import Household, ResidentsCommittee


class Body(models.TextChoices):
    """The two deciding bodies of the Organic Law (Arts 27, 29)."""

    ASSEMBLY = "assembly", _("Residents' assembly (居民会议)")
    REPRESENTATIVES = "representatives", _("Representatives' assembly (居民代表会议)")


class Petition(models.Model):
    """Residents or representatives asking the committee to convene a body (Art 26, 29).
    Once it reaches the statutory share the committee must convene: it shows as due until
    a meeting answering it is scheduled."""

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="petitions"
    )
    body = models.CharField(_("body to convene"), max_length=20, choices=Body.choices)
    title = models.CharField(_("what the meeting should decide"), max_length=100)
    reason = models.TextField(_("why"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petitions_started"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reached_at = models.DateTimeField(_("reached the statutory share at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "deliberation.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions_answered",
    )

    class Meta:
        verbose_name = _("petition to convene")
        verbose_name_plural = _("petitions to convene")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PetitionSignature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="petition_signatures"
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_representative = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "person"], name="petition_signature_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.petition}"


def _check_in_token() -> str:
    return secrets.token_urlsafe(16)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Announced (已公告)")
        OPEN = "open", _("In session (进行中)")
        CLOSED = "closed", _("Closed (已闭会)")

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="meetings"
    )
    body = models.CharField(_("deciding body"), max_length=20, choices=Body.choices)
    # Residents' assembly only: members are one representative per household, chosen
    # per meeting (the first of the household to check in), instead of every adult.
    by_household = models.BooleanField(_("one representative per household"), default=False)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200)
    announced_at = models.DateTimeField(_("announced at"), auto_now_add=True)
    short_notice_reason = models.TextField(
        _("reason for short notice"),
        blank=True,
        help_text=_("Required when the meeting is announced less than 10 days ahead."),
    )
    charter_authorisation = models.ForeignKey(
        "deliberation.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authorisation to amend the charter"),
        help_text=_(
            "For a representatives' assembly: the residents' assembly decision that "
            "authorised it to amend the charter or the convention."
        ),
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_convened"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_minuted",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    check_in_token = models.CharField(max_length=32, default=_check_in_token, editable=False)

    class Meta:
        verbose_name = _("decision meeting (议事决策会)")
        verbose_name_plural = _("decision meetings (议事决策会)")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body="assembly") | Q(by_household=False),
                name="meeting_household_mode_only_for_assembly",
            ),
            models.CheckConstraint(
                condition=Q(body="representatives") | Q(charter_authorisation__isnull=True),
                name="meeting_authorisation_only_for_representatives",
            ),
        ]
        indexes = [models.Index(fields=["committee", "body", "-starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def short_notice(self) -> bool:
        return bool(self.short_notice_reason)


class RollMember(models.Model):
    """Who makes up the body at this meeting, frozen when it opens: the quorum's base.
    In household mode a row is a household, its person set by the first to check in."""

    class Basis(models.TextChoices):
        RESIDENT = "resident", _("Adult resident")
        HOUSEHOLD = "household", _("Household")
        COMMITTEE = "committee", _("Committee member")
        REPRESENTATIVE = "representative", _("Resident representative")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="roll_person_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "household"],
                condition=Q(household__isnull=False),
                name="roll_household_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False),
                name="roll_member_is_someone",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.household)


class Attendance(models.Model):
    """One person's presence: checked in (by the chair, or by scanning the meeting's code)
    and perhaps out. Observers are other residents: they may speak, never vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    roll_member = models.ForeignKey(
        RollMember, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.meeting}"

    @property
    def is_observer(self) -> bool:
        return self.roll_member_id is None


class Motion(models.Model):
    """An item on the agenda: from a topic, a procedural motion, or a charter amendment.
    The vote's figures and the quorum at that moment are kept with it."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("From a topic")
        PROCEDURAL = "procedural", _("Procedural")
        CHARTER = "charter", _("Amends the charter or convention")

    class Status(models.TextChoices):
        PENDING = "pending", _("On the agenda")
        PASSED = "passed", _("Passed (通过)")
        FAILED = "failed", _("Not passed (未通过)")
        NO_QUORUM = "no_quorum", _("Not voted: no quorum (不足法定人数)")

    class Method(models.TextChoices):
        SHOW_OF_HANDS = "show_of_hands", _("Show of hands, counted by the chair")
        POLL = "poll", _("Online poll")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    topic = models.ForeignKey(
        "deliberation.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text of the motion"), max_length=5000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    yes = models.PositiveIntegerField(null=True, blank=True)
    no = models.PositiveIntegerField(null=True, blank=True)
    abstain = models.PositiveIntegerField(null=True, blank=True)
    members_at_vote = models.PositiveIntegerField(null=True, blank=True)
    present_at_vote = models.PositiveIntegerField(null=True, blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Art 30: the higher body revokes or changes an improper decision of the lower one,
    # by a new decision that names it; the old one is never edited.
    revises = models.ForeignKey(
        "deliberation.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revising_motions",
    )
    revision = models.CharField(
        max_length=10,
        choices=[("revoke", _("Revokes it")), ("change", _("Changes it"))],
        blank=True,
    )

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="topic") | Q(topic__isnull=True),
                name="motion_topic_only_for_topic",
            ),
            models.CheckConstraint(
                condition=~Q(kind="topic") | Q(topic__isnull=False), name="motion_topic_named"
            ),
            models.CheckConstraint(
                condition=Q(revises__isnull=True, revision="")
                | (Q(revises__isnull=False) & ~Q(revision="")),
                name="motion_revision_names_decision_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """Written by the secretary during the meeting; approved by the chair and one member
    of the supervision committee; then published as a disclosure (category 1)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    chair_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chair_approved_at = models.DateTimeField(null=True, blank=True)
    supervisor_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supervisor_approved_at = models.DateTimeField(null=True, blank=True)
    disclosure = models.ForeignKey(
        "disclosures.DisclosurePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting}"

"""Polls and their ballots.

Secrecy rests on two tables that nothing joins: `Participation` says who has voted
(poll, elector, time) and `Ballot` says what was voted (poll, content, receipt). A
ballot has no voter, no serial number (its key is the random receipt) and no time; its
rows are rewritten in receipt order when the poll is counted, so that not even their
physical order follows the order of the participation rows.

Exactly once: `Participation.elector` is unique. A person, a household or a proxy
holder acting for someone reaches one elector row, so a second ballot for it fails in
the database, whatever the number of concurrent requests.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deliberation.meetings.models import Body, Meeting, Motion
from townhall.community.models import Household, ResidentsCommittee


class Poll(models.Model):
    class Method(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / abstain (同意/反对/弃权)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        GRADED = "graded", _("Graded (a grade for each person or item rated)")

    class Electorate(models.TextChoices):
        RESIDENTS = "residents", _("Verified adult residents")
        HOUSEHOLDS = "households", _("One vote per household")
        REPRESENTATIVES = "representatives", _("Resident representatives")
        MEETING = "meeting", _("Members checked in at the meeting")

    class Base(models.TextChoices):
        """What a majority is counted against: stated on the poll, shown with the result."""

        CAST = "cast", _("Ballots cast")
        VALID = "valid", _("Valid ballots")
        PRESENT = "present", _("Members present")
        MEMBERS = "members", _("All members")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # The electorate is frozen; ballots are taken inside the window.
        OPEN = "open", pgettext_lazy("poll status", "Open for voting")
        CLOSED = "closed", _("Closed and counted")

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="polls"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    min_choices = models.PositiveSmallIntegerField(_("fewest choices"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("most choices"), default=1)
    electorate = models.CharField(_("who may vote"), max_length=20, choices=Electorate.choices)
    # Whose majority rule decides: a deciding body's (the law), or none for a poll the
    # committee holds to consult residents (then a simple majority of the base).
    body = models.CharField(_("deciding body"), max_length=20, choices=Body.choices, blank=True)
    base = models.CharField(_("majority of"), max_length=20, choices=Base.choices)
    named = models.BooleanField(
        _("named (roll-call) vote"),
        default=False,
        help_text=_("Everyone can see who voted what. Only for representatives' votes."),
    )
    proxies_allowed = models.BooleanField(_("written proxies allowed"), default=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="polls"
    )
    motion = models.OneToOneField(
        Motion, on_delete=models.PROTECT, null=True, blank=True, related_name="poll"
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    eligible = models.PositiveIntegerField(default=0)  # the frozen electorate's size
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by an early close (with its reason) or by the count after `closes_at`.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(_("reason for closing early"), blank=True)
    # The published figures and outcome (see voting.results); None until counted.
    result = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_choices__lte=models.F("max_choices")),
                name="poll_min_choices_not_above_max",
            ),
            models.CheckConstraint(
                condition=~Q(electorate="meeting") | Q(meeting__isnull=False),
                name="poll_meeting_electorate_names_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(proxies_allowed=True)
                | (~Q(electorate="representatives") & ~Q(body="representatives")),
                name="poll_no_proxies_in_representatives_votes",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status", "-closes_at"])]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    """A choice, or for graded polls a grade of the scale (ordered best first)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("label"), max_length=100)
    # yes / no / abstain on yes-no polls, so the law's count can find them; blank otherwise.
    code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["poll", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "code"], condition=~Q(code=""), name="option_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Subject(models.Model):
    """Who or what a graded poll rates: a committee member, or the committee as a whole."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="subjects")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("rated"), max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["poll", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Elector(models.Model):
    """One row of the electorate, frozen when the poll opens, with why it may vote. For
    a household poll the row is the household; any verified resident of it may cast its
    one vote."""

    class Basis(models.TextChoices):
        RESIDENT = "resident", _("Verified adult resident")
        HOUSEHOLD = "household", _("Household")
        REPRESENTATIVE = "representative", _("Resident representative")
        COMMITTEE = "committee", _("Committee member")
        PRESENT = "present", _("Checked in at the meeting")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)
    # Meeting polls: whether this member was still checked in when the poll was counted
    # (the base "members present").
    present_at_close = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["poll", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "person"],
                condition=Q(person__isnull=False),
                name="elector_person_once",
            ),
            models.UniqueConstraint(
                fields=["poll", "household"],
                condition=Q(household__isnull=False),
                name="elector_household_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False),
                name="elector_is_someone",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.household)


class Proxy(models.Model):
    """A written authorisation: the grantor's vote is cast by the holder. At most 3 per
    holder, no chains, never in representatives' votes (voting.rules.proxy_verdict)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="proxies")
    grantor = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="proxy_given")
    holder = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="proxies_held")
    document = models.CharField(
        _("written authorisation"),
        max_length=200,
        help_text=_("How it was given in writing, e.g. the number of the signed form."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(grantor=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.holder}"


class PaperEntry(models.Model):
    """Paper ballots or a show of hands at a meeting, typed in by the chair. It counts
    only once a second official confirms it; then its voters' participation rows and its
    ballots are written (marked with the channel)."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("Paper ballots")
        HANDS = "hands", _("Show of hands")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="paper_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Elector ids whose ballots these are, and the ballots' contents (see Ballot.content).
    electors = models.JSONField(default=list)
    ballots = models.JSONField(default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("entered_by")),
                name="paper_entry_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.poll}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PROXY = "proxy", _("Online, by proxy")
    PAPER = "paper", _("Paper ballot")
    HANDS = "hands", _("Show of hands")


class Participation(models.Model):
    """Who has voted: never what. One row per elector at most (the database says so)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    elector = models.OneToOneField(Elector, on_delete=models.PROTECT, related_name="participation")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    voted_at = models.DateTimeField()
    paper_entry = models.ForeignKey(
        PaperEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["poll", "voted_at"]

    def __str__(self) -> str:
        return f"{self.elector} · {self.poll}"


class Ballot(models.Model):
    """What was voted: never who, nor when. Content, by method:
    choice methods `{"options": [option ids]}`; graded `{"grades": {"subject id": option
    id}}`; an invalid paper ballot `{"invalid": true}`. A named poll's ballot also names
    its elector (and such a poll says so before anyone votes)."""

    receipt = models.CharField(max_length=20, primary_key=True)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    content = models.JSONField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    elector = models.OneToOneField(
        Elector, on_delete=models.PROTECT, null=True, blank=True, related_name="named_ballot"
    )

    def __str__(self) -> str:
        return self.receipt


class BallotComment(models.Model):
    """A graded ballot's optional comment, kept apart from the grades: no receipt."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=1000)

    def __str__(self) -> str:
        return self.text[:40]

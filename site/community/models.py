"""Community structure: 社区 → 居委会 → 网格, households, social organisations, roles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Community(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), unique=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("community (社区)")
        verbose_name_plural = _("communities (社区)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResidentsCommittee(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), unique=True)
    office_address = models.CharField(_("office address"), max_length=200, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("residents' committee (居委会)")
        verbose_name_plural = _("residents' committees (居委会)")
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A residents' group or grid (居民小组 / 网格), looked after by grid workers."""

    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField(_("name"), max_length=100)
    area = models.CharField(_("area covered"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grid (网格)")
        verbose_name_plural = _("grids (网格)")
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], name="grid_name_unique_in_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.name}"


class Household(models.Model):
    """One dwelling (户): the unit for 'one representative per household' rules."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        verbose_name = _("household (户)")
        verbose_name_plural = _("households (户)")
        constraints = [
            models.UniqueConstraint(fields=["grid", "address"], name="household_unique_address")
        ]

    def __str__(self) -> str:
        return self.address


class SocialOrganization(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="social_organizations"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=50, help_text=_("e.g. volunteer team"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("social organisation (社会组织)")
        verbose_name_plural = _("social organisations (社会组织)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident (居民)")
    REPRESENTATIVE = "representative", _("Resident representative (居民代表)")
    MEMBER = "member", _("Committee member (居委会委员)")
    CHAIR = "chair", _("Committee chair (居委会主任)")
    SUPERVISOR = "supervisor", _("Supervision committee member (居务监督委员会成员)")
    STAFF = "staff", _("Community staff (社区工作者)")
    GRID_WORKER = "grid_worker", _("Grid worker (网格员)")


# Roles that make someone part of the residents' committee itself.
COMMITTEE_ROLES = (Role.MEMBER, Role.CHAIR)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)


class Membership(models.Model):
    """A person holding a role in a committee for a term. One person may hold several."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    grid = models.ForeignKey(
        Grid,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For residents, representatives and grid workers: their grid."),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    start = models.DateField(_("term starts"), default=timezone.localdate)
    end = models.DateField(_("term ends"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["committee", "role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_term_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["committee", "role"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.committee}"

    def clean(self):
        from .services import membership_validate

        membership_validate(self)


class Relation(models.TextChoices):
    # 近亲属 in the sense of Art 1045 of the Civil Code.
    SPOUSE = "spouse", _("Spouse")
    # Own context: Wagtail's admin says "Parent" for a parent page (上一级).
    PARENT = "parent", pgettext_lazy("kinship", "Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")


class CloseRelative(models.Model):
    """A recorded close relationship (近亲属), read in both directions."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relatives_recorded"
    )
    relative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relatives_of"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("close relative (近亲属)")
        verbose_name_plural = _("close relatives (近亲属)")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="close_relative_once"),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="close_relative_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relation_display()} — {self.relative}"

    def clean(self):
        from .services import close_relative_validate

        close_relative_validate(self)


class Residency(models.Model):
    """A person's claim to live at an address in a committee's area, and its verification."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residencies"
    )
    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="residencies"
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="residencies")
    address = models.CharField(
        _("address"), max_length=200, help_text=_("Building, unit and room, e.g. 3栋2单元501")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residencies_decided",
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residencies_assisted",
        help_text=_("The grid worker who registered this resident on their behalf."),
    )

    class Meta:
        verbose_name = _("residency claim")
        verbose_name_plural = _("residency claims")
        ordering = ["-claimed_at"]
        constraints = [
            # One open or verified claim per person and committee; rejected ones may repeat.
            models.UniqueConstraint(
                fields=["person", "committee"],
                condition=~Q(status="rejected"),
                name="residency_one_live_claim_per_committee",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="residency_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.committee} · {self.address}"

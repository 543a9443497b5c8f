"""Affairs disclosure pages (居务公开, Art 34): one index per residents' committee."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index

from townhall.community.models import ResidentsCommittee

from . import rules
from .rules import Category


class DisclosureIndexPage(Page):
    """A residents' committee's notice board online."""

    committee = models.OneToOneField(
        ResidentsCommittee,
        on_delete=models.PROTECT,
        related_name="disclosure_index",
        verbose_name=_("residents' committee"),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("committee"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["disclosures.DisclosurePage"]

    class Meta:
        verbose_name = _("disclosure board (居务公开栏)")

    def save(self, *args, **kwargs):
        from .cms_access import board_editors_grant
        from .review import review_workflow_assign

        super().save(*args, **kwargs)
        # Every board's disclosures go through the supervision committee's review;
        # staff in the editors group draft and submit, they cannot publish.
        review_workflow_assign(self)
        board_editors_grant(self)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.board_listing(self, request.GET))
        return context


class DisclosurePage(Page):
    """One disclosed item. Once published it is never edited in place: a change is
    published as a correction that links to what it corrects (Art 39)."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    body = RichTextField(_("text"))
    shown_from = models.DateField(_("shown from"), default=date.today)
    shown_until = models.DateField(
        _("shown until"), help_text=_("On display for at least 15 days, the first day included.")
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
        help_text=_("The published disclosure this one corrects."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Period")),
        FieldPanel("body"),
        InlinePanel("figures", heading=_("Figures (income and spending)"), label=_("line")),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("shown_from"), FieldPanel("shown_until")])],
            heading=_("On the notice board"),
        ),
        FieldPanel("corrects", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("period_start"),
    ]
    parent_page_types = ["disclosures.DisclosureIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("disclosure (公开事项)")
        verbose_name_plural = _("disclosures (公开事项)")

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        span_given = self.shown_from and self.shown_until
        if span_given and not rules.display_span_ok(self.shown_from, self.shown_until):
            errors["shown_until"] = _(
                "A disclosure stays on display for at least %(days)d days (Art 34): "
                "from %(start)s show it until %(end)s or later."
            ) % {
                "days": rules.MIN_DISPLAY_DAYS,
                "start": self.shown_from.isoformat(),
                "end": (self.shown_from + timedelta(days=rules.MIN_DISPLAY_DAYS - 1)).isoformat(),
            }
        if errors:
            raise ValidationError(errors)

    @cached_property
    def committee(self) -> ResidentsCommittee:
        # Asked several times per page (permissions, context): read the board once.
        return self.get_parent().specific.committee

    def totals(self) -> rules.Totals:
        return rules.figure_totals([(line.direction, line.amount) for line in self.figures.all()])

    def publish(self, revision, user=None, **kwargs):
        """Publishing and its ledger entry commit together, whatever path publishes
        (the editor, the supervision review, a scheduled go-live)."""
        from .services import disclosure_publication_record

        with transaction.atomic():
            result = super().publish(revision, user=user, **kwargs)
            disclosure_publication_record(page=DisclosurePage.objects.get(pk=self.pk), by=user)
        return result

    def unpublish(self, set_expired=False, commit=True, user=None, log_action=True):
        """Taking a disclosure off the board is recorded in the ledger too."""
        from .services import disclosure_withdrawal_record

        with transaction.atomic():
            result = super().unpublish(set_expired, commit, user, log_action)
            disclosure_withdrawal_record(page=self, by=user)
        return result

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .permissions import Action, check

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.disclosure_detail(self))
        context["can_query"] = bool(check(request.user, Action.QUERY, self.committee))
        context["can_answer"] = bool(check(request.user, Action.ANSWER, self.committee))
        return context


class FigureLine(Orderable):
    """One line of money in or out. Totals are computed from the lines, never typed."""

    class Direction(models.TextChoices):
        INCOME = "income", _("Income")
        SPENDING = "spending", _("Spending")

    page = ParentalKey(DisclosurePage, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("item"), max_length=200)
    direction = models.CharField(_("in or out"), max_length=10, choices=Direction.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)

    panels = [FieldPanel("label"), FieldPanel("direction"), FieldPanel("amount")]

    class Meta(Orderable.Meta):
        verbose_name = _("figure line")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="figure_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class DisclosureAttachment(Orderable):
    page = ParentalKey(DisclosurePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return str(self.document)


class DisclosureQuery(models.Model):
    """A resident's question about a disclosure (查询) and the committee's answer, both
    shown on the disclosure's page with their times."""

    page = models.ForeignKey(DisclosurePage, on_delete=models.PROTECT, related_name="queries")
    asked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="disclosure_queries"
    )
    question = models.TextField(_("question"), max_length=1000)
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("query (查询)")
        verbose_name_plural = _("queries (查询)")
        ordering = ["asked_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="query_answered_has_text",
            )
        ]

    def __str__(self) -> str:
        return self.question[:50]


def committee_of(obj) -> ResidentsCommittee | None:
    obj = obj.specific if hasattr(obj, "specific") else obj
    if isinstance(obj, DisclosureIndexPage):
        return obj.committee
    if isinstance(obj, DisclosurePage):
        return obj.committee
    return None


class SupervisionReviewTask(Task):
    """The supervision committee (居务监督委员会) of the disclosure's own residents'
    committee reviews it before publication (local practice, DOMAIN.md)."""

    class Meta:
        verbose_name = _("supervision committee review")
        verbose_name_plural = _("supervision committee reviews")

    def _is_reviewer(self, obj, user) -> bool:
        from .permissions import Action, check

        committee = committee_of(obj)
        return committee is not None and bool(check(user, Action.REVIEW, committee))

    def user_can_access_editor(self, obj, user):
        return user.is_superuser

    def locked_for_user(self, obj, user):
        # Under review the text is frozen: what supervisors approve is what goes out.
        return not user.is_superuser

    def get_actions(self, obj, user):
        if self._is_reviewer(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        from .review import review_record

        with transaction.atomic():
            # The review is recorded before approval publishes, so the ledger reads in
            # the order things happened: reviewed, then published.
            review_record(task_state=task_state, user=user, action_name=action_name, **kwargs)
            super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """In-progress reviews of disclosures on the boards of committees where `user`
        may review: a fixed number of queries, however many are waiting."""
        from townhall.community.models import Role
        from townhall.community.selectors import committees_where

        from .permissions import Action, check
        from .selectors import pages_of

        committees = [
            committee
            for committee in committees_where(user, [Role.SUPERVISOR])
            if check(user, Action.REVIEW, committee)
        ]
        page_ids = [str(pk) for pk in pages_of(committees).values_list("pk", flat=True)]
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, revision__object_id__in=page_ids
        )

    @classmethod
    def get_description(cls):
        return _("Members of the disclosure's supervision committee approve it")


class DisclosureSchedule(models.Model):
    """How often a residents' committee discloses one category (Art 34 leaves the
    frequency to local policy). The defaults, after the village analogue, are in
    rules.SCHEDULE_DEFAULTS and written by schedule_defaults_ensure():

    - finances (FUNDS): monthly, out by the 10th of the next month;
    - regular items (FACILITIES, SERVICES, GOVERNMENT, OTHER): quarterly, out within
      15 days of the quarter's end;
    - major items (DECISIONS, CONSULTATIONS): within 5 days of the decision.

    Staff change them per committee in the Wagtail admin (Snippets)."""

    committee = models.ForeignKey(
        ResidentsCommittee,
        on_delete=models.CASCADE,
        related_name="disclosure_schedules",
        verbose_name=_("residents' committee"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=rules.Frequency.choices)
    days_after_event = models.PositiveSmallIntegerField(
        _("days after the decision"),
        default=rules.DAYS_AFTER_EVENT,
        help_text=_("For disclosures made after each decision: how many days it may take."),
    )

    panels = [
        FieldPanel("committee"),
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("frequency"), FieldPanel("days_after_event")]),
    ]

    class Meta:
        verbose_name = _("disclosure schedule (公开计划)")
        verbose_name_plural = _("disclosure schedules (公开计划)")
        ordering = ["committee", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "category"], name="disclosure_schedule_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.get_category_display()} · {self.get_frequency_display()}"


def schedule_defaults_ensure(committee: ResidentsCommittee) -> list[str]:
    """Give the committee a schedule row for every category that has none, with the
    default frequency; rows already there (perhaps changed by staff) are left alone.
    Safe to call again and concurrently: the unique constraint drops duplicates.
    Returns the categories it added."""
    present = set(committee.disclosure_schedules.values_list("category", flat=True))
    missing = [c for c in Category.values if c not in present]
    DisclosureSchedule.objects.bulk_create(
        [
            DisclosureSchedule(
                committee=committee, category=category, frequency=rules.SCHEDULE_DEFAULTS[category]
            )
            for category in missing
        ],
        ignore_conflicts=True,
    )
    return missing

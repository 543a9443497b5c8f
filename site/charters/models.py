"""Charters and rules of a residents' committee (居民自治章程, 居民公约, 议事规则…) and
their adopted versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from townhall.community.models import ResidentsCommittee


class CharterKind(models.TextChoices):
    SELF_GOVERNANCE = "self_governance", _("Self-governance charter (居民自治章程)")
    CONVENTION = "convention", _("Residents' convention (居民公约)")
    PROCEDURE = "procedure", _("Rules of procedure (议事规则)")
    EVALUATION = "evaluation", _("Democratic evaluation rules (民主评议制度)")
    SUPERVISION = "supervision", _("Democratic supervision rules (民主监督制度)")
    DISCLOSURE = "disclosure", _("Affairs disclosure rules (事务公开制度)")


class CharterIndexPage(Page):
    """The charters and rules of one residents' committee."""

    committee = models.OneToOneField(
        ResidentsCommittee,
        on_delete=models.PROTECT,
        related_name="charter_index",
        verbose_name=_("residents' committee (居委会)"),
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("committee"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["charters.CharterPage"]

    class Meta:
        verbose_name = _("charters and rules index (章程制度)")
        verbose_name_plural = _("charters and rules indexes (章程制度)")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["charters"] = selectors.charters_overview(index=self)
        return context


class CharterPage(Page):
    """One charter or set of rules. Its text lives in `CharterVersion`s, not on the page:
    editors change the title and introduction, only the assembly changes the text."""

    kind = models.CharField(_("kind"), max_length=20, choices=CharterKind.choices)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A sentence or two on what this covers.")
    )

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("intro")]
    parent_page_types = ["charters.CharterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("charter or rules (章程制度)")
        verbose_name_plural = _("charters and rules (章程制度)")

    def clean(self):
        super().clean()
        if self.pk is None or not self.versions.exists():
            return
        recorded_kind = CharterPage.objects.filter(pk=self.pk).values_list("kind", flat=True)
        # The kind is part of what the ledger recorded for every version.
        if recorded_kind.first() != self.kind:
            raise ValidationError(
                {"kind": _("Versions of this charter are recorded; its kind cannot change.")}
            )

    @cached_property
    def committee(self) -> ResidentsCommittee | None:
        index = CharterIndexPage.objects.ancestor_of(self).select_related("committee").first()
        return index.committee if index else None

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .permissions import charter_version_record_check

        context = super().get_context(request, *args, **kwargs)
        context["history"] = history = selectors.charter_history(page=self)
        context["in_force"] = next((row.version for row in history if row.in_force), None)
        context["upcoming"] = [row.version for row in history if row.upcoming]
        context["versions"] = [row.version for row in history]
        context["can_record"] = charter_version_record_check(request.user, self).in_reach
        return context


class CharterVersion(models.Model):
    """One adopted text of a charter, in force from `effective_from`.

    The law: charters and rules are made or amended by the residents' assembly
    (居民会议, Organic Law of Urban Residents' Committees) and filed upward; staff only
    record here what the assembly adopted. A version, once recorded, is never edited or
    deleted: an amendment is a new version, and the ledger holds each one's hash.
    """

    page = models.ForeignKey(CharterPage, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(
        _("text"),
        help_text=_("The articles, one per paragraph. Plain text, so that changes show exactly."),
    )
    effective_from = models.DateField(_("in force from"))
    adopted_on = models.DateField(_("adopted on"))
    # When the decisions module lands (issue 5), a foreign key to the assembly's
    # decision joins this field (and replaces it for new versions); until then the
    # reference names the resolution in words.
    adoption_reference = models.CharField(
        _("adopted by"),
        max_length=200,
        help_text=_("The resolution that adopted it, e.g. 2026年第2次居民会议决议"),
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="charter_versions_recorded",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="charter_version_number_once"),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("adopted_on")),
                name="charter_version_in_force_after_adoption",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_number_1_up"),
        ]

    def __str__(self) -> str:
        return f"{self.page.title} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Charter versions are never changed; adopt a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Charter versions are never deleted.")

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]

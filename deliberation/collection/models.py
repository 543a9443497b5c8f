"""Opinion collection meetings (意见收集会): when and where, who came, what was gathered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.community.models import Grid, ResidentsCommittee


class CollectionMeeting(models.Model):
    committee = models.ForeignKey(
        ResidentsCommittee, on_delete=models.PROTECT, related_name="collection_meetings"
    )
    title = models.CharField(_("title"), max_length=100)
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("held online"), default=False)
    grids = models.ManyToManyField(Grid, related_name="+", verbose_name=_("grids invited"))
    attendee_count = models.PositiveIntegerField(_("people present"), default=0)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("verified residents present"),
    )
    summary = models.TextField(_("summary"), blank=True)
    disclosure = models.ForeignKey(
        "disclosures.DisclosurePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The consultation-outcome disclosure drafted from the summary."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opinion collection meeting (意见收集会)")
        verbose_name_plural = _("opinion collection meetings (意见收集会)")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(online=True) | ~models.Q(place=""),
                name="collection_meeting_has_place_or_online",
            )
        ]

    def __str__(self) -> str:
        return self.title

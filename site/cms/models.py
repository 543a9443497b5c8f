"""Editorial pages (Wagtail). Participation (opinions, ballots) lives in plain models."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from deliberation.selectors import open_now
from townhall.community import selectors

from . import wayfinding


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    subpage_types = ["disclosures.DisclosureIndexPage", "charters.CharterIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        community = selectors.community_for_home()
        context["community"] = community
        context["committees"] = selectors.committees_overview(community) if community else []
        if request.user.is_authenticated:
            context["my_roles"] = selectors.roles_of_person(request.user)
            context["my_pending"] = request.user.residencies.filter(status="pending").exists()
            context["tools"] = wayfinding.tools_for(request.user)
        # Polls join this list when voting lands.
        context["open_now"] = open_now(community.committees.all()) if community else []
        return context

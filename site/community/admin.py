from django.contrib import admin, messages

from . import selectors
from .models import (
    CloseRelative,
    Community,
    Grid,
    Household,
    Membership,
    Residency,
    ResidentsCommittee,
    SocialOrganization,
)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "city"]
    prepopulated_fields = {"slug": ["name"]}


class GridInline(admin.TabularInline):
    model = Grid
    extra = 0


@admin.register(ResidentsCommittee)
class ResidentsCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community"]
    inlines = [GridInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The law's composition rules are warnings, not blocks: a committee can be
        # short between an election and a by-election, and staff must see it.
        committee = self.get_object(request, object_id)
        if committee is not None and request.method == "GET":
            for verdict in selectors.committee_composition(committee):
                if not verdict:
                    messages.warning(request, verdict.reason)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "committee", "grid", "start", "end"]
    list_filter = ["committee", "role"]
    search_fields = ["person__real_name", "person__display_name", "person__phone"]
    autocomplete_fields = ["person", "household"]
    list_select_related = ["person", "committee", "grid"]


@admin.register(CloseRelative)
class CloseRelativeAdmin(admin.ModelAdmin):
    list_display = ["person", "relation", "relative"]
    autocomplete_fields = ["person", "relative"]
    list_select_related = ["person", "relative"]


@admin.register(Residency)
class ResidencyAdmin(admin.ModelAdmin):
    list_display = ["person", "committee", "grid", "address", "status", "assisted_by"]
    list_filter = ["status", "committee"]
    list_select_related = ["person", "committee", "grid", "assisted_by"]
    readonly_fields = ["claimed_at", "decided_at", "decided_by", "assisted_by"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["address", "grid"]
    search_fields = ["address"]
    list_select_related = ["grid__committee"]


admin.site.register(SocialOrganization)

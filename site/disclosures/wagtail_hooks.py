"""Wagtail admin glue: a published disclosure is corrected, never edited in place."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks

from .models import DisclosurePage
from .services import correction_start


@hooks.register("before_edit_page")
def published_disclosures_are_corrected_not_edited(request, page):
    if not isinstance(page.specific, DisclosurePage) or page.first_published_at is None:
        return None
    return TemplateResponse(
        request, "disclosures/admin/correct_instead.html", {"page": page.specific}
    )


def correction_create_view(request, page_id):
    original = DisclosurePage.objects.get(pk=page_id)
    if request.method != "POST" or not original.permissions_for_user(request.user).can_edit():
        return redirect("wagtailadmin_pages:edit", page_id)
    correction = correction_start(original=original, by=request.user)
    return redirect(reverse("wagtailadmin_pages:edit", args=[correction.pk]))


@hooks.register("register_admin_urls")
def correction_urls():
    return [
        path(
            "disclosures/<int:page_id>/correct/",
            correction_create_view,
            name="disclosures_correct",
        )
    ]


# --- The disclosure schedule: edited by staff as a snippet ------------------------------

from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet  # noqa: E402

from .models import DisclosureIndexPage, DisclosureSchedule, schedule_defaults_ensure  # noqa: E402


class DisclosureScheduleViewSet(SnippetViewSet):
    model = DisclosureSchedule
    icon = "calendar-alt"
    list_display = ["committee", "category", "frequency", "days_after_event"]
    list_filter = ["committee", "frequency"]
    ordering = ["committee", "category"]


register_snippet(DisclosureScheduleViewSet)


@hooks.register("after_create_page")
def new_board_gets_the_default_schedule(request, page):
    # A committee's board is where its disclosures go: from then on it owes them on
    # the default schedule, which staff can change under Snippets.
    if isinstance(page.specific, DisclosureIndexPage):
        schedule_defaults_ensure(page.specific.committee)

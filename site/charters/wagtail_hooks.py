"""Wagtail admin hooks: a charter with recorded versions is never deleted."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages

from .models import CharterVersion


@hooks.register("before_delete_page")
def keep_charters_with_versions(request, page):
    # The versions are the committee's law and the ledger's subjects; deleting the page
    # would fail on their protected foreign key. Unpublishing hides a charter instead.
    if CharterVersion.objects.filter(page__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "“%(title)s” holds charter versions adopted by the residents' assembly and "
                "cannot be deleted. Unpublish it to hide it."
            )
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None

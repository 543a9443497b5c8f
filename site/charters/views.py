"""Recording charter versions (staff) and comparing two versions (anyone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from townhall.community.refusals import refusal_for

from . import diff, selectors, services
from .forms import CharterVersionForm
from .models import CharterPage
from .permissions import charter_version_record_check


def _refusal(request, page: CharterPage):
    """None when the person may record versions of `page`; otherwise the response."""
    return refusal_for(request, charter_version_record_check(request.user, page), page.committee)


@login_required
def version_new(request, page_id: int):
    page = get_object_or_404(CharterPage, pk=page_id)
    if refusal := _refusal(request, page):
        return refusal
    latest = selectors.charter_version_latest(page=page)
    # An amendment starts from the text it amends.
    form = CharterVersionForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.charter_version_adopt(
                page=page, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(number)s of %(title)s is recorded.")
                % {"number": version.number, "title": page.title},
            )
            return redirect(
                page.url if page.live else reverse("charters:version_new", args=[page.pk])
            )
    return render(
        request, "charters/version_form.html", {"page": page, "latest": latest, "form": form}
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def compare(request, page_id: int):
    page = get_object_or_404(CharterPage.objects.live().public(), pk=page_id)
    versions = {version.number: version for version in page.versions.all()}
    if not versions:
        raise Http404
    b = _number(request.GET.get("b")) or max(versions)
    a = _number(request.GET.get("a")) or max(b - 1, 1)
    if a not in versions or b not in versions:
        raise Http404
    rows = diff.text_diff(versions[a].text, versions[b].text)
    return render(
        request,
        "charters/compare.html",
        {
            "page": page,
            "versions": sorted(versions.values(), key=lambda v: -v.number),
            "old": versions[a],
            "new": versions[b],
            "blocks": diff.diff_blocks(rows),
            "summary": diff.diff_summary(rows),
        },
    )

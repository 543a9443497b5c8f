"""Pages for opinion collection meetings: the committee's list, scheduling, and each
meeting's page with the committee's forms for attendance, opinions and the summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from ..permissions import Action, check
from . import selectors, services
from .forms import AttendanceForm, CollectionMeetingForm, LinkOpinionsForm, SummaryForm


def _refusal(request, committee):
    return refusal_for(
        request, check(request.user, Action.RUN_COLLECTION_MEETING, committee), committee
    )


def collection_list(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    decision = check(request.user, Action.RUN_COLLECTION_MEETING, committee)
    context = {
        "committee": committee,
        "upcoming": selectors.collection_meetings_upcoming(committee),
        "past": selectors.collection_meetings_past(committee),
        "can_run": decision.in_reach,
    }
    return render(request, "deliberation/collection/list.html", context)


@login_required
def collection_new(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, committee):
        return refusal
    form = CollectionMeetingForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.collection_meeting_schedule(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("deliberation:collection_detail", pk=meeting.pk)
    return render(
        request, "deliberation/collection/new.html", {"committee": committee, "form": form}
    )


def _detail(request, meeting, **forms):
    """The meeting's page; the committee's forms are shown as posted when one failed."""
    runs = bool(check(request.user, Action.RUN_COLLECTION_MEETING, meeting.committee))
    context = {"meeting": meeting, "committee": meeting.committee, "runs": runs}
    if runs:
        context |= {
            "attendance_form": forms.get("attendance_form") or AttendanceForm(meeting=meeting),
            "opinions_form": forms.get("opinions_form") or LinkOpinionsForm(meeting=meeting),
            "summary_form": forms.get("summary_form") or SummaryForm(meeting=meeting),
        }
    return render(request, "deliberation/collection/detail.html", context)


def _meeting(pk):
    return get_object_or_404(selectors.collection_meeting_for_page(pk))


def collection_detail(request, pk):
    return _detail(request, _meeting(pk))


def _committee_post(request, pk, form_name, form_class, write, done):
    """A committee form on the meeting's page: refuse, validate, call one service; on an
    error the page comes back with the form as typed and the reason."""
    meeting = _meeting(pk)
    if refusal := _refusal(request, meeting.committee):
        return refusal
    form = form_class(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            result = write(meeting, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return result or redirect("deliberation:collection_detail", pk=meeting.pk)
    return _detail(request, meeting, **{form_name: form})


@login_required
@require_POST
def collection_attendance(request, pk):
    def write(meeting, data):
        services.collection_meeting_attendance_record(meeting=meeting, by=request.user, **data)

    done = _("Attendance recorded.")
    return _committee_post(request, pk, "attendance_form", AttendanceForm, write, done)


@login_required
@require_POST
def collection_opinions(request, pk):
    def write(meeting, data):
        services.collection_meeting_opinions_link(meeting=meeting, by=request.user, **data)

    done = _("The opinions are linked to the meeting.")
    return _committee_post(request, pk, "opinions_form", LinkOpinionsForm, write, done)


@login_required
@require_POST
def collection_summary(request, pk):
    """ "Save" keeps the summary; "Publish" also drafts the disclosure and opens it in the
    CMS editor, where staff submit it for the supervision committee's review."""
    publishing = request.POST.get("action") == "publish"

    def write(meeting, data):
        if not publishing:
            services.collection_meeting_summary_save(meeting=meeting, by=request.user, **data)
            return None
        page = services.collection_meeting_summary_publish(meeting=meeting, by=request.user, **data)
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    if publishing:
        done = _(
            "A draft disclosure was made from the summary. Check it, then submit it for "
            "the supervision committee's review."
        )
    else:
        done = _("The summary is saved.")
    return _committee_post(request, pk, "summary_form", SummaryForm, write, done)

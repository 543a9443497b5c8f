"""Pages of decision meetings: the committee's list, convening one, its public page, the
chair's screen (roll, check-in, live quorum, the count) and the QR code's check-in page.
Each view checks the gatekeeper and calls one service."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.accounts.models import User
from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for
from townhall.disclosures.notice import qr_svg

from ..decisions.models import Decision
from ..permissions import Action, check, may_try
from . import forms, selectors, services
from .models import Body, Meeting, Motion, Petition


def _refusal(request, action: Action, committee: ResidentsCommittee):
    return refusal_for(request, check(request.user, action, committee), committee)


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("committee", "chair", "secretary"), pk=pk
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def meeting_list(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    context = {
        "committee": committee,
        **selectors.meetings_of(committee),
        "can_convene": may_try(request.user, Action.CONVENE, committee),
    }
    return render(request, "deliberation/meetings/meeting_list.html", context)


def _authorisations(committee: ResidentsCommittee):
    return Decision.objects.filter(
        committee=committee, passed=True, motion__meeting__body=Body.ASSEMBLY
    ).select_related("motion")


@login_required
def meeting_new(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.CONVENE, committee):
        return refusal
    petition_pk = request.GET.get("petition", "")
    petition = (
        Petition.objects.filter(committee=committee, pk=petition_pk).first()
        if petition_pk.isdigit()
        else None
    )
    initial = {"body": petition.body, "title": petition.title} if petition else {}
    form = forms.MeetingForm(
        request.POST or None,
        initial=initial,
        officials=services.officials_of(committee),
        authorisations=_authorisations(committee),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_convene(
                committee=committee, by=request.user, petition=petition, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is announced; its members are told."))
            return redirect("deliberation:meeting_detail", pk=meeting.pk)
    context = {"committee": committee, "form": form, "petition": petition}
    return render(request, "deliberation/meetings/meeting_new.html", context)


def meeting_detail(request, pk):
    meeting = _meeting(pk)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "agenda": selectors.agenda(meeting),
        "quorum": selectors.meeting_quorum(meeting),
        "counts": selectors.attendance_counts(meeting),
        "can_run": may_try(request.user, Action.RUN_MEETING, meeting.committee),
        "can_minute": may_try(request.user, Action.WRITE_MINUTES, meeting.committee),
    }
    return render(request, "deliberation/meetings/meeting_detail.html", context)


def _chair_context(request, meeting: Meeting, motion_form=None, count_errors=None) -> dict:
    check_in_url = request.build_absolute_uri(
        reverse("deliberation:meeting_check_in", args=[meeting.pk, meeting.check_in_token])
    )
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "agenda": selectors.agenda(meeting),
        "quorum": selectors.meeting_quorum(meeting),
        "check_in_url": check_in_url,
        "qr": qr_svg(check_in_url) if meeting.status == "open" else "",
        "motion_form": motion_form or forms.MotionForm(meeting=meeting),
        "count_errors": count_errors or {},
    }


@login_required
def meeting_chair(request, pk):
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    return render(
        request, "deliberation/meetings/meeting_chair.html", _chair_context(request, meeting)
    )


def _to_chair(meeting: Meeting, anchor: str = ""):
    response = redirect("deliberation:meeting_chair", pk=meeting.pk)
    response["Location"] += anchor
    return response


@login_required
@require_POST
def meeting_open(request, pk):
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    try:
        meeting = services.meeting_open(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The meeting is open; %(n)s members are on the roll.") % {"n": meeting.roll.count()},
        )
    return _to_chair(meeting)


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    try:
        services.meeting_close(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _to_chair(meeting)
    messages.success(request, _("The meeting is closed."))
    return redirect("deliberation:meeting_detail", pk=meeting.pk)


@login_required
def meeting_roster(request, pk):
    """The roll to check people in from: who is expected, who has arrived, searchable
    (GET `q`), filtered (`show`), paginated; one button per person."""
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    roster = selectors.roster_page(
        meeting,
        query=request.GET.get("q", ""),
        show=request.GET.get("show", "all"),
        page=request.GET.get("page", 1),
    )
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "roster": roster,
        "quorum": selectors.meeting_quorum(meeting),
        "observers": selectors.observers_present(meeting),
        "others": selectors.roster_others(meeting, roster["query"]) if roster["query"] else [],
        "can_check_in": meeting.status == Meeting.Status.OPEN,
    }
    return render(request, "deliberation/meetings/meeting_roster.html", context)


ROW_ANCHOR = re.compile(r"(roll|person)-\d+")


def _back(request, meeting: Meeting):
    """Back to where the chair tapped: the roster page they were on (its search, filter and
    page kept, scrolled to the row), or the chair's screen."""
    roster = reverse("deliberation:meeting_roster", args=[meeting.pk])
    back = request.POST.get("next", "")
    if back != roster and not back.startswith(roster + "?"):
        return _to_chair(meeting, "#check-in")
    row = request.POST.get("row", "")
    return HttpResponseRedirect(back + (f"#{row}" if ROW_ANCHOR.fullmatch(row) else ""))


@login_required
@require_POST
def meeting_attendance(request, pk):
    """The chair marks someone present or gone: one tap on the roster."""
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    person_pk = request.POST.get("person", "")
    person = User.objects.filter(pk=person_pk).first() if person_pk.isdigit() else None
    if person is None:
        messages.error(request, _("Choose the person to mark."))
        return _back(request, meeting)
    name = person.real_name or str(person)
    leaving = request.POST.get("action") == "out"
    write = services.attendance_check_out if leaving else services.attendance_check_in
    # A second tap on the same row (or two officials at once) changes nothing: say so.
    already = meeting.attendance.filter(person=person, checked_out_at__isnull=True).first()
    try:
        attendance = write(meeting=meeting, person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if leaving:
            if attendance is None:
                messages.info(request, _("%(name)s was not checked in.") % {"name": name})
            else:
                messages.success(request, _("%(name)s is checked out.") % {"name": name})
        elif already is not None:
            messages.info(
                request,
                _("%(name)s was already checked in at %(time)s.")
                % {"name": name, "time": localtime(already.checked_in_at).strftime("%H:%M")},
            )
        elif attendance.is_observer:
            messages.info(request, _("%(name)s attends as an observer.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is present.") % {"name": name})
    return _back(request, meeting)


def meeting_quorum_json(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    quorum = selectors.meeting_quorum(meeting)
    return JsonResponse({**quorum, "status": meeting.status})


@login_required
@require_POST
def motion_add(request, pk):
    meeting = _meeting(pk)
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    form = forms.MotionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.motion_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The motion is on the agenda."))
            return _to_chair(meeting, "#agenda")
    context = _chair_context(request, meeting, motion_form=form)
    return render(request, "deliberation/meetings/meeting_chair.html", context, status=400)


@login_required
@require_POST
def motion_count(request, pk):
    motion = get_object_or_404(Motion.objects.select_related("meeting__committee"), pk=pk)
    meeting = motion.meeting
    if refusal := _refusal(request, Action.RUN_MEETING, meeting.committee):
        return refusal
    form = forms.CountForm(request.POST, prefix=f"m{motion.pk}")
    if form.is_valid():
        try:
            motion = services.motion_count(motion=motion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, motion.result_reason)
            return _to_chair(meeting, f"#motion-{motion.pk}")
    context = _chair_context(request, meeting, count_errors={motion.pk: form})
    return render(request, "deliberation/meetings/meeting_chair.html", context, status=400)


@login_required
def meeting_check_in(request, pk, token):
    """The page the meeting's QR code opens on a resident's phone."""
    meeting = _meeting(pk)
    if token != meeting.check_in_token:
        messages.error(request, _("This check-in code is not valid for this meeting."))
        return redirect("deliberation:meeting_detail", pk=meeting.pk)
    attendance = meeting.attendance.filter(person=request.user).first()
    if request.method == "POST":
        write = (
            services.attendance_check_out
            if request.POST.get("action") == "out"
            else services.attendance_check_in
        )
        try:
            attendance = write(meeting=meeting, person=request.user, by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if write is services.attendance_check_out:
                messages.success(request, _("You are checked out. Thank you for coming."))
            elif attendance.is_observer:
                messages.info(
                    request, _("You are checked in as an observer: you may speak, not vote.")
                )
            else:
                messages.success(request, _("You are checked in as a member: you may vote."))
        return redirect(request.path)
    context = {"meeting": meeting, "attendance": attendance}
    return render(request, "deliberation/meetings/meeting_check_in.html", context)

"""Pages for decisions (public: the committee's list and each decision) and for the
minutes (the secretary's editor; the chair's and the supervisor's approval)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from ..meetings import minutes as minutes_services
from ..meetings import rules
from ..meetings.models import Meeting
from ..permissions import Action, check
from . import selectors
from .forms import DecisionFilterForm, MinutesForm


def decision_list(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    filters = DecisionFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    decisions = selectors.decision_list(
        committee, outcome=chosen.get("outcome", ""), execution=chosen.get("execution", "")
    )
    context = {"committee": committee, "filters": filters, "decisions": decisions}
    return render(request, "deliberation/decisions/list.html", context)


def decision_detail(request, pk):
    decision = get_object_or_404(selectors.decision_for_page(pk))
    motion = decision.motion
    context = {
        "decision": decision,
        "motion": motion,
        "meeting": motion.meeting,
        "committee": decision.committee,
        "quorum_needed": rules.quorum_needed(
            body=motion.meeting.body, members=motion.members_at_vote
        )
        if motion.members_at_vote
        else None,
        "opinions": selectors.decision_opinions(decision),
        "revisions": selectors.decision_revisions(decision),
    }
    return render(request, "deliberation/decisions/detail.html", context)


def _minutes_context(meeting, **extra) -> dict:
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "minutes": selectors.minutes_of(meeting),
        "agenda": selectors.meeting_agenda(meeting),
        **extra,
    }


@login_required
def minutes_edit(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if not minutes_services.may_write_minutes(request.user, meeting):
        decision = check(request.user, Action.WRITE_MINUTES, meeting.committee)
        return refusal_for(request, decision, meeting.committee)
    minutes = selectors.minutes_of(meeting)
    form = MinutesForm(request.POST or None, initial={"text": minutes.text if minutes else ""})
    if request.method == "POST" and form.is_valid():
        try:
            minutes_services.minutes_save(
                meeting=meeting, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("deliberation:minutes_edit", pk=meeting.pk)
    context = _minutes_context(
        meeting, form=form, locked=minutes_services.minutes_approved(minutes)
    )
    return render(request, "deliberation/minutes/edit.html", context)


def _approver_refusal(request, meeting):
    user = request.user
    if (
        minutes_services.may_approve_as_chair(user, meeting)
        or minutes_services.may_approve_as_supervisor(user, meeting)
        or minutes_services.may_write_minutes(user, meeting)
    ):
        return None
    return refusal_for(request, check(user, Action.SUPERVISE, meeting.committee), meeting.committee)


@login_required
def minutes_approve(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    if refusal := _approver_refusal(request, meeting):
        return refusal
    if request.method == "POST":
        return _minutes_approve_post(request, meeting)
    return _approve_page(request, meeting)


def _approve_page(request, meeting, status=200):
    user = request.user
    context = _minutes_context(
        meeting,
        as_chair=minutes_services.may_approve_as_chair(user, meeting),
        as_supervisor=minutes_services.may_approve_as_supervisor(user, meeting),
    )
    return render(request, "deliberation/minutes/approve.html", context, status=status)


def _minutes_approve_post(request, meeting):
    try:
        minutes = minutes_services.minutes_approve(meeting=meeting, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _approve_page(request, meeting, status=400)
    if minutes.disclosure_id:
        messages.success(
            request,
            _("The minutes are approved and sent to the supervision committee's review."),
        )
    else:
        messages.success(request, _("Your approval is recorded."))
    return redirect("deliberation:minutes_approve", pk=meeting.pk)

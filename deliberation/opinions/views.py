"""Pages for opinions: the committee's public list, one opinion, submitting, recording
for a resident, seconding, and the committee's status handling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from ..permissions import Action, check
from . import selectors, services
from .forms import OpinionFilterForm, OpinionForm, RecordOnBehalfForm, StatusForm
from .models import Opinion

PAGE_SIZE = 20


def _committee(slug: str) -> ResidentsCommittee:
    return get_object_or_404(ResidentsCommittee, slug=slug)


def _opinion(pk) -> Opinion:
    if (opinion := selectors.opinion_for_page(pk)) is None:
        raise Http404
    return opinion


def opinion_list(request, slug):
    committee = _committee(slug)
    user = request.user
    filters = OpinionFilterForm(request.GET or None, committee=committee)
    opinions = selectors.opinion_list(committee, **filters.filters())
    page = Paginator(opinions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deliberation/opinions/list.html",
        {
            "committee": committee,
            "filters": filters,
            "page": page,
            "can_submit": bool(check(user, Action.SUBMIT, committee)),
            "can_record": check(user, Action.RECORD_ON_BEHALF, committee).in_reach,
            "can_see_recorder": bool(check(user, Action.SEE_RECORDER, committee)),
        },
    )


def _submitted(request, opinion: Opinion, created: bool, success: str):
    if created:
        messages.success(request, success)
    else:
        messages.info(request, _("This was already sent: here it is, once."))
    return redirect("deliberation:opinion_detail", pk=opinion.pk)


@login_required
def opinion_submit(request, slug):
    committee = _committee(slug)
    if refusal := refusal_for(request, check(request.user, Action.SUBMIT, committee), committee):
        return refusal
    membership = selectors.resident_membership(request.user, committee)
    form = OpinionForm(
        request.POST or None,
        request.FILES or None,
        committee=committee,
        initial={"grid": membership.grid if membership else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion, created = services.opinion_submit(
                committee=committee,
                author=request.user,
                grid=data["grid"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                category=data["category"],
                photos=data["photos"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _submitted(
                request, opinion, created, _("Thank you. Your opinion is on the committee's list.")
            )
    return render(
        request, "deliberation/opinions/submit.html", {"committee": committee, "form": form}
    )


@login_required
def opinion_record_on_behalf(request, slug):
    committee = _committee(slug)
    decision = check(request.user, Action.RECORD_ON_BEHALF, committee)
    if refusal := refusal_for(request, decision, committee):
        return refusal
    search = request.GET.get("q", "")
    form = RecordOnBehalfForm(
        request.POST or None,
        request.FILES or None,
        committee=committee,
        worker=request.user,
        search=search,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion, created = services.opinion_submit(
                committee=committee,
                author=data["author"],
                grid=data["grid"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                category=data["category"],
                photos=data["photos"],
                submission_key=data["submission_key"],
                recorded_by=request.user,
                channel=data["channel"],
                collection_meeting=data["collection_meeting"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = data["author"].real_name or str(data["author"])
            success = _("Recorded for %(name)s; they get a message about it.") % {"name": name}
            return _submitted(request, opinion, created, success)
    return render(
        request,
        "deliberation/opinions/record.html",
        {"committee": committee, "form": form, "search": search},
    )


def _detail(request, opinion: Opinion, status_form: StatusForm | None = None):
    user, committee = request.user, opinion.committee
    can_handle = bool(check(user, Action.HANDLE_OPINION, committee))
    if can_handle and status_form is None:
        status_form = StatusForm(opinion=opinion)
    return render(
        request,
        "deliberation/opinions/detail.html",
        {
            "opinion": opinion,
            "committee": committee,
            "history": list(opinion.history.all()),
            "seconds_needed": selectors.opinion_seconds_needed(opinion),
            "seconded": selectors.opinion_seconded_by(opinion, user),
            "can_second": check(user, Action.SECOND, committee).in_reach,
            "second_refusal": services.opinion_second_refusal(opinion=opinion, person=user),
            "can_see_recorder": bool(check(user, Action.SEE_RECORDER, committee)),
            "status_form": status_form if can_handle else None,
        },
    )


def opinion_detail(request, pk):
    return _detail(request, _opinion(pk))


@require_POST
def opinion_second(request, pk):
    opinion = get_object_or_404(Opinion.objects.select_related("committee"), pk=pk)
    detail = reverse("deliberation:opinion_detail", args=[opinion.pk])
    if not request.user.is_authenticated:
        return redirect_to_login(detail)
    decision = check(request.user, Action.SECOND, opinion.committee)
    if refusal := refusal_for(request, decision, opinion.committee):
        return refusal
    try:
        counted = services.opinion_second(opinion=opinion, person=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if counted:
            messages.success(request, _("You seconded this opinion."))
        else:
            messages.info(request, _("You had already seconded this opinion."))
    return redirect(detail)


@login_required
def opinion_status(request, pk):
    opinion = _opinion(pk)
    decision = check(request.user, Action.HANDLE_OPINION, opinion.committee)
    if refusal := refusal_for(request, decision, opinion.committee):
        return refusal
    if request.method != "POST":
        return redirect("deliberation:opinion_detail", pk=opinion.pk)
    form = StatusForm(request.POST, opinion=opinion)
    if form.is_valid():
        try:
            services.opinion_status_change(
                opinion=opinion,
                by=request.user,
                to=form.cleaned_data["to"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status is changed and the author is told."))
            return redirect("deliberation:opinion_detail", pk=opinion.pk)
    return _detail(request, opinion, status_form=form)

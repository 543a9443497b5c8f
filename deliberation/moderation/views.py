"""Pages for reporting, hiding, appealing, and the committee's moderation queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from ..opinions.models import Opinion
from ..permissions import Action, check
from ..topics.models import Comment
from . import selectors, services
from .forms import AppealDecisionForm, AppealForm, DismissForm, HideForm, ReportForm
from .models import Appeal


def _opinion(pk) -> Opinion:
    return get_object_or_404(Opinion.objects.select_related("committee", "author"), pk=pk)


def _comment(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("topic__committee", "author"), pk=pk)


def _refusal(request, action: Action, item):
    committee = selectors.item_committee(item)
    return refusal_for(request, check(request.user, action, committee), committee)


def _item_form(request, item, *, action, form_class, template, write, done):
    """The shape every item page here shares: refuse, read the form, call one service,
    say what happened and go back to the item; on an error, show the form as typed."""
    if refusal := _refusal(request, action, item):
        return refusal
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            write(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(selectors.item_url(item))
    context = {
        "item": item,
        "kind": selectors.item_kind(item),
        "committee": selectors.item_committee(item),
        "item_url": selectors.item_url(item),
        "form": form,
    }
    return render(request, template, context)


def _report(request, item):
    return _item_form(
        request,
        item,
        action=Action.REPORT,
        form_class=ReportForm,
        template="deliberation/moderation/report.html",
        write=lambda reason: services.report_file(item=item, reporter=request.user, reason=reason),
        done=_("Thank you. Moderators will look at it."),
    )


def _hide(request, item):
    return _item_form(
        request,
        item,
        action=Action.MODERATE,
        form_class=HideForm,
        template="deliberation/moderation/hide.html",
        write=lambda reason: services.item_hide(item=item, by=request.user, reason=reason),
        done=_("Hidden. Everyone now sees your reason instead of the text; the author was told."),
    )


def _appeal(request, item):
    if item.author_id != request.user.pk:
        return render(
            request,
            "community/forbidden.html",
            {"committee": selectors.item_committee(item)},
            status=403,
        )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(item=item, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your appeal was sent. A moderator will answer you."))
            return redirect(selectors.item_url(item))
    context = {
        "item": item,
        "kind": selectors.item_kind(item),
        "item_url": selectors.item_url(item),
        "form": form,
    }
    return render(request, "deliberation/moderation/appeal.html", context)


def _dismiss(request, item):
    if refusal := _refusal(request, Action.MODERATE, item):
        return refusal
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    committee = selectors.item_committee(item)
    try:
        services.reports_dismiss(item=item, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reports were closed; it stays shown."))
    return redirect("deliberation:moderation_queue", slug=committee.slug)


@login_required
def opinion_report(request, pk):
    return _report(request, _opinion(pk))


@login_required
def comment_report(request, pk):
    return _report(request, _comment(pk))


@login_required
def opinion_hide(request, pk):
    return _hide(request, _opinion(pk))


@login_required
def comment_hide(request, pk):
    return _hide(request, _comment(pk))


@login_required
def opinion_appeal(request, pk):
    return _appeal(request, _opinion(pk))


@login_required
def comment_appeal(request, pk):
    return _appeal(request, _comment(pk))


@login_required
@require_POST
def opinion_reports_dismiss(request, pk):
    return _dismiss(request, _opinion(pk))


@login_required
@require_POST
def comment_reports_dismiss(request, pk):
    return _dismiss(request, _comment(pk))


@login_required
def appeal_decide(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("opinion__committee", "comment__topic__committee", "author"),
        pk=pk,
    )
    item = appeal.target
    if refusal := _refusal(request, Action.MODERATE, item):
        return refusal
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        uphold = form.cleaned_data["decision"] == "uphold"
        try:
            services.appeal_decide(
                appeal=appeal, by=request.user, uphold=uphold, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decided. The author was told your answer."))
            return redirect(
                "deliberation:moderation_queue", slug=selectors.item_committee(item).slug
            )
    context = {
        "appeal": appeal,
        "item": item,
        "kind": selectors.item_kind(item),
        "committee": selectors.item_committee(item),
        "item_url": selectors.item_url(item),
        "events": selectors.item_events(item),
        "form": form,
    }
    return render(request, "deliberation/moderation/appeal_decide.html", context)


@login_required
def moderation_queue(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := refusal_for(request, check(request.user, Action.MODERATE, committee), committee):
        return refusal
    context = {
        "committee": committee,
        "reported": selectors.reported_items(committee),
        "appeals": selectors.appeals_pending(committee),
    }
    return render(request, "deliberation/moderation/queue.html", context)

"""Pages for carrying out a decision: assign it, report progress, the supervision
committee's comments and its sign-off. Each is its own page, linked from the execution
panel on the decision page, and goes back there when done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from townhall.community.refusals import refusal_for

from ..permissions import Action, check
from . import execution
from .execution_forms import AssignForm, ProgressForm, SendBackForm, SupervisionNoteForm
from .models import Decision


def _decision(pk) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("committee__community", "motion", "responsible"), pk=pk
    )


def _back(decision: Decision):
    return redirect("deliberation:decision_detail", pk=decision.pk)


def _page(request, decision: Decision, template: str, **context):
    context = {"decision": decision, "committee": decision.committee, **context}
    return render(request, f"deliberation/execution/{template}", context)


def _attempt(request, form, success: str, service, **arguments) -> bool:
    """Run the service; its refusal goes on the form, which keeps what was typed."""
    try:
        service(**arguments)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, success)
    return True


@login_required
def decision_assign(request, pk):
    decision = _decision(pk)
    allowed = check(request.user, Action.ASSIGN_EXECUTION, decision.committee)
    if refusal := refusal_for(request, allowed, decision.committee):
        return refusal
    initial = {
        "responsible": decision.responsible_id,
        "due_on": decision.due_on,
        "assisting": list(decision.assisting.all()),
    }
    form = AssignForm(request.POST or None, decision=decision, initial=initial)
    posted = request.method == "POST" and form.is_valid()
    done = _("Assigned; the responsible member is told.")
    if posted and _attempt(
        request,
        form,
        done,
        execution.execution_assign,
        decision=decision,
        by=request.user,
        **form.cleaned_data,
    ):
        return _back(decision)
    return _page(
        request,
        decision,
        "assign.html",
        form=form,
        title=_("Assign the decision"),
        submit=_("Assign and tell them"),
    )


@login_required
def decision_progress(request, pk):
    decision = _decision(pk)
    allowed = execution.progress_permission(request.user, decision)
    if refusal := refusal_for(request, allowed, decision.committee):
        return refusal
    form = ProgressForm(request.POST or None, request.FILES or None)
    posted = request.method == "POST" and form.is_valid()
    done = _("Progress reported; the residents who brought the topic are told.")
    if posted and _attempt(
        request,
        form,
        done,
        execution.progress_report,
        decision=decision,
        by=request.user,
        **form.cleaned_data,
    ):
        return _back(decision)
    return _page(
        request,
        decision,
        "progress.html",
        form=form,
        title=_("Report progress"),
        submit=_("Report progress"),
    )


@login_required
def decision_supervise(request, pk):
    decision = _decision(pk)
    allowed = check(request.user, Action.SUPERVISE, decision.committee)
    if refusal := refusal_for(request, allowed, decision.committee):
        return refusal
    form = SupervisionNoteForm(request.POST or None)
    posted = request.method == "POST" and form.is_valid()
    done = _("Your comment is on the decision's record.")
    if posted and _attempt(
        request,
        form,
        done,
        execution.supervision_note_add,
        decision=decision,
        by=request.user,
        **form.cleaned_data,
    ):
        return _back(decision)
    return _page(
        request,
        decision,
        "supervise.html",
        form=form,
        title=_("Comment on how it is carried out"),
        submit=_("Add the comment"),
    )


@login_required
def decision_sign_off(request, pk):
    """The supervision committee's verdict on a decision reported done: sign it off, or
    send it back with what is missing."""
    decision = _decision(pk)
    allowed = check(request.user, Action.SUPERVISE, decision.committee)
    if refusal := refusal_for(request, allowed, decision.committee):
        return refusal
    sending_back = request.method == "POST" and request.POST.get("verdict") == "send_back"
    form = SendBackForm(request.POST if sending_back else None)
    if request.method == "POST" and not sending_back:
        try:
            execution.execution_sign_off(decision=decision, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Signed off: the decision is carried out."))
        return _back(decision)
    done = _("Sent back; the responsible member is told what is missing.")
    if (
        sending_back
        and form.is_valid()
        and _attempt(
            request,
            form,
            done,
            execution.execution_send_back,
            decision=decision,
            by=request.user,
            **form.cleaned_data,
        )
    ):
        return _back(decision)
    progress = list(decision.progress.select_related("by"))
    return _page(request, decision, "sign_off.html", form=form, progress=progress)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from townhall.community.models import Role
from townhall.community.permissions import Outcome
from townhall.community.selectors import committees_where

from . import selectors
from .forms import ReviewForm
from .permissions import Action, check
from .review import disclosure_review_decide


def _needs_mfa(user) -> bool:
    return any(
        check(user, Action.REVIEW, committee).outcome is Outcome.NEEDS_MFA
        for committee in committees_where(user, [Role.SUPERVISOR])
    )


@login_required
def review_queue(request):
    if _needs_mfa(request.user):
        messages.warning(
            request, _("Your role requires two-step verification. Turn it on, then try again.")
        )
        return redirect("mfa_activate_totp")
    return render(
        request,
        "disclosures/review_queue.html",
        {"states": selectors.reviews_pending_for(request.user)},
    )


@login_required
def review_detail(request, pk):
    state = get_object_or_404(TaskState.objects.select_related("revision"), pk=pk)
    if state not in selectors.reviews_pending_for(request.user):
        return render(request, "community/forbidden.html", status=403)
    draft = state.revision.as_object()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_review_decide(
                task_state=state,
                user=request.user,
                approve="approve" in request.POST,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment", error)
        except PermissionDenied:
            return render(request, "community/forbidden.html", status=403)
        else:
            if "approve" in request.POST:
                messages.success(request, _("Approved and published."))
            else:
                messages.success(request, _("Sent back to staff with your comment."))
            return redirect("disclosures:review_queue")
    return render(
        request,
        "disclosures/review_detail.html",
        {"state": state, "page": draft, "totals": draft.totals(), "form": form},
    )

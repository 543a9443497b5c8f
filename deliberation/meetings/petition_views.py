"""Pages about petitions to convene: the committee's list (public), starting one, a
petition's page with its progress against the statutory shares, and signing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from ..permissions import Action, check, may_try
from . import petition_selectors as selectors
from . import petitions
from .models import Petition
from .petition_forms import PetitionForm


def petition_list(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    context = {
        "committee": committee,
        "board": selectors.petition_board(committee),
        "can_petition": may_try(request.user, Action.PETITION, committee),
        "can_convene": may_try(request.user, Action.CONVENE, committee),
    }
    return render(request, "deliberation/petitions/list.html", context)


def petition_new(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := refusal_for(request, check(request.user, Action.PETITION, committee), committee):
        return refusal
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = petitions.petition_start(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your petition is published with your signature. Ask neighbours to sign it."),
            )
            return redirect("deliberation:petition_detail", pk=petition.pk)
    return render(
        request, "deliberation/petitions/new.html", {"committee": committee, "form": form}
    )


def petition_detail(request, pk):
    petition = get_object_or_404(
        Petition.objects.select_related("committee", "created_by", "answered_by"), pk=pk
    )
    committee = petition.committee
    context = {
        "petition": petition,
        "committee": committee,
        "support": selectors.petition_support(petition),
        "signed": selectors.signed_by(petition, request.user),
        "can_sign": may_try(request.user, Action.PETITION, committee),
        "can_convene": may_try(request.user, Action.CONVENE, committee),
    }
    return render(request, "deliberation/petitions/detail.html", context)


@login_required
@require_POST
def petition_sign(request, pk):
    petition = get_object_or_404(Petition.objects.select_related("committee"), pk=pk)
    decision = check(request.user, Action.PETITION, petition.committee)
    if refusal := refusal_for(request, decision, petition.committee):
        return refusal
    try:
        counted = petitions.petition_sign(petition=petition, person=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if counted:
            messages.success(request, _("You signed this petition."))
        else:
            messages.info(request, _("You had already signed this petition."))
    return redirect("deliberation:petition_detail", pk=petition.pk)

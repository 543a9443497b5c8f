from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deliberation.permissions import DASHBOARD_ROLES
from deliberation.permissions import Action as DeliberationAction
from deliberation.permissions import check as deliberation_check

from . import selectors, services
from .forms import AssistedRegistrationForm, ClaimForm, CommitteeChoiceForm, RejectForm
from .models import Residency, ResidentsCommittee
from .permissions import Action, check, check_grant
from .refusals import refusal_for


def _refusal(request, action: Action, committee: ResidentsCommittee):
    return refusal_for(request, check(request.user, action, committee), committee)


def committee_detail(request, slug):
    committee = get_object_or_404(ResidentsCommittee.objects.select_related("community"), slug=slug)
    user = request.user
    context = {
        "committee": committee,
        "grids": selectors.grids_with_workers(committee),
        "officials": selectors.committee_officials(committee),
        "my_residency": selectors.residency_of(user, committee) if user.is_authenticated else None,
        "can_verify": check(user, Action.VERIFY_RESIDENT, committee).in_reach,
        "can_take_part": bool(check(user, Action.TAKE_PART, committee)),
    }
    if check(user, Action.MANAGE_STRUCTURE, committee).in_reach:
        context["composition"] = [v for v in selectors.committee_composition(committee) if not v]
    if context["can_verify"]:
        context["pending_count"] = selectors.pending_claims(committee).count()
    context["can_see_dashboard"] = check_grant(user, DASHBOARD_ROLES, committee).in_reach
    context["can_moderate"] = deliberation_check(
        user, DeliberationAction.MODERATE, committee
    ).in_reach
    return render(request, "community/committee_detail.html", context)


def _claim_committee(request) -> ResidentsCommittee | None:
    """The committee chosen first: posted with the claim, named in the address, or else
    the only one there is (then nobody has to choose)."""
    if request.method == "POST":
        pk = request.POST.get("committee", "")
        chosen = ResidentsCommittee.objects.filter(pk=pk).first() if pk.isdigit() else None
    else:
        slug = request.GET.get("committee", "")
        chosen = ResidentsCommittee.objects.filter(slug=slug).first() if slug else None
    if chosen is None:
        committees = list(ResidentsCommittee.objects.all()[:2])
        chosen = committees[0] if len(committees) == 1 else None
    return chosen


@login_required
def claim(request):
    committee = _claim_committee(request)
    form = ClaimForm(
        request.POST or None, initial={"real_name": request.user.real_name}, committee=committee
    )
    if request.method == "POST" and form.is_valid():
        try:
            residency = services.residency_claim(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. A grid worker of %(committee)s will verify your address soon.")
                % {"committee": residency.committee.name},
            )
            return redirect("community:committee", slug=residency.committee.slug)
    # A committee asked for by a name that matches none is said so, on the first step.
    choose = CommitteeChoiceForm(request.GET if "committee" in request.GET else None)
    return render(
        request,
        "community/claim.html",
        {
            "form": form,
            "committee": committee,
            "choose": choose if committee is None else None,
            "may_choose_another": committee is not None
            and ResidentsCommittee.objects.exclude(pk=committee.pk).exists(),
            "claims": request.user.residencies.select_related("committee", "grid"),
        },
    )


@login_required
def verification_queue(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.VERIFY_RESIDENT, committee):
        return refusal
    return render(
        request,
        "community/verification_queue.html",
        {
            "committee": committee,
            "claims": selectors.pending_claims(committee),
            "reject_form": RejectForm(),
        },
    )


def _decide(request, slug, pk, decide):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.VERIFY_RESIDENT, committee):
        return refusal
    residency = get_object_or_404(Residency, pk=pk, committee=committee)
    try:
        decide(residency)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("community:verify", slug=slug)


@login_required
@require_POST
def claim_approve(request, slug, pk):
    def approve(residency):
        services.residency_approve(residency=residency, by=request.user)
        messages.success(
            request,
            _("%(name)s is now a verified resident.")
            % {"name": residency.person.real_name or residency.person},
        )

    return _decide(request, slug, pk, approve)


@login_required
@require_POST
def claim_reject(request, slug, pk):
    def reject(residency):
        services.residency_reject(
            residency=residency, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The claim was rejected and the person told why."))

    return _decide(request, slug, pk, reject)


@login_required
def register_on_behalf(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.REGISTER_ON_BEHALF, committee):
        return refusal
    form = AssistedRegistrationForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.resident_register_assisted(
                by=request.user,
                committee=committee,
                grid=data["grid"],
                address=data["address"],
                real_name=data["real_name"],
                display_name=data["display_name"],
                phone=data["phone"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered and verified as a resident.")
                % {"name": person.real_name},
            )
            return redirect("community:committee", slug=slug)
    return render(request, "community/register.html", {"committee": committee, "form": form})

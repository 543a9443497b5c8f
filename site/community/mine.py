"""Ways in that depend on who is asking: "my community", "give an opinion" and the
residents a grid worker registered. Redirects keep the templates free of role logic."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors
from .permissions import GRANTS, Action


@login_required
def my_community(request):
    """The 我的社区 tab: a verified resident's (or an official's) committee page; the
    address form for someone not verified yet."""
    committee = selectors.home_committee(request.user)
    if committee is None:
        return redirect("community:claim")
    return redirect("community:committee", slug=committee.slug)


@login_required
def my_opinion_new(request):
    """The home page's 提意见: the opinion form of the person's committee; the address
    form first for someone not verified yet."""
    committee = selectors.residence_committee(request.user)
    if committee is None:
        messages.info(
            request, _("You can submit opinions once a grid worker has verified your address.")
        )
        return redirect("community:claim")
    return redirect("deliberation:opinion_submit", slug=committee.slug)


@login_required
def residents_registered(request):
    committees = selectors.committees_where(request.user, GRANTS[Action.REGISTER_ON_BEHALF])
    return render(
        request,
        "community/registered.html",
        {
            "residencies": selectors.residents_registered_by(request.user, committees),
            "committees": list(committees),
        },
    )

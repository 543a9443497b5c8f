"""The committee's dashboard: what it must attend to, for its staff, chair, members and
the supervision committee."""

from django.shortcuts import get_object_or_404, render

from townhall.community.models import ResidentsCommittee, Role
from townhall.community.permissions import check_grant
from townhall.community.refusals import refusal_for

from ..permissions import COMMITTEE
from . import dashboard

DASHBOARD_ROLES = COMMITTEE | {Role.SUPERVISOR}


def committee_dashboard(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := refusal_for(
        request, check_grant(request.user, DASHBOARD_ROLES, committee), committee
    ):
        return refusal
    context = {"committee": committee, "board": dashboard.committee_dashboard(committee)}
    return render(request, "deliberation/dashboard/dashboard.html", context)

"""The committee's dashboard: what it must attend to, for its staff, chair, members and
the supervision committee."""

from django.shortcuts import get_object_or_404, render

from townhall.audit.permissions import Action as AuditAction
from townhall.audit.permissions import check as audit_check
from townhall.community.models import ResidentsCommittee
from townhall.community.permissions import Action as CommunityAction
from townhall.community.permissions import check as community_check
from townhall.community.permissions import check_grant
from townhall.community.refusals import refusal_for

from ..permissions import DASHBOARD_ROLES
from . import dashboard


def committee_dashboard(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := refusal_for(
        request, check_grant(request.user, DASHBOARD_ROLES, committee), committee
    ):
        return refusal
    user = request.user
    context = {
        "committee": committee,
        "board": dashboard.committee_dashboard(committee),
        # Each item links to where it is dealt with for those who may deal with it there;
        # the others see it listed, without a link that would only refuse them.
        "may_verify": community_check(user, CommunityAction.VERIFY_RESIDENT, committee).in_reach,
        "may_open_workspace": audit_check(user, AuditAction.OPEN_WORKSPACE, committee).in_reach,
        "may_use_cms": user.has_perm("wagtailadmin.access_admin"),
    }
    return render(request, "deliberation/dashboard/dashboard.html", context)

"""The tools a person's roles give them, each with how much waits there: what the home
page and 我的 show, so that nobody has to type /audit/ or /cms/ to find their work."""

from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from deliberation.meetings import dashboard
from deliberation.permissions import DASHBOARD_ROLES
from deliberation.tracing.selectors import opinions_recorded_by
from townhall.accounts.models import User
from townhall.audit.permissions import GRANTS as AUDIT_GRANTS
from townhall.audit.permissions import Action as AuditAction
from townhall.community.models import Membership, Residency, ResidentsCommittee, Role
from townhall.community.permissions import GRANTS as COMMUNITY_GRANTS
from townhall.community.permissions import Action as CommunityAction
from townhall.community.selectors import residents_registered_by
from townhall.disclosures.models import DisclosurePage, SupervisionReviewTask
from townhall.disclosures.selectors import pages_of

VERIFY_ROLES = COMMUNITY_GRANTS[CommunityAction.VERIFY_RESIDENT]
REGISTER_ROLES = COMMUNITY_GRANTS[CommunityAction.REGISTER_ON_BEHALF]
WORKSPACE_ROLES = AUDIT_GRANTS[AuditAction.OPEN_WORKSPACE]


@dataclass(frozen=True)
class Tool:
    key: str  # stable, for tests and styling: "verify", "dashboard", "audit", "cms", …
    label: str
    url: str
    count: int | None  # what waits there; None where nothing is counted
    waiting: bool = True  # False: `count` is a tally of what the person did, not a queue


def tools_for(user: User) -> list[Tool]:
    """The person's tools in a fixed number of queries: one for their roles, one or two
    per kind of tool they hold, and the dashboard's own fixed cost for each committee
    whose dashboard they see (a person serves one committee, as a rule)."""
    if not user.is_authenticated:
        return []
    memberships = list(Membership.objects.current().filter(person=user).select_related("committee"))
    by_role: dict[str, list[ResidentsCommittee]] = {}
    for membership in memberships:
        committees = by_role.setdefault(membership.role, [])
        if membership.committee not in committees:
            committees.append(membership.committee)

    def holding(roles) -> list[ResidentsCommittee]:
        found: list[ResidentsCommittee] = []
        for role in roles:
            found.extend(c for c in by_role.get(role, []) if c not in found)
        return sorted(found, key=lambda c: c.pk)

    tools: list[Tool] = []
    tools += _verification(holding(VERIFY_ROLES))
    if assisting := holding(REGISTER_ROLES):
        tools += _assisted(user, assisting)
    tools += _dashboards(holding(DASHBOARD_ROLES))
    if holding(WORKSPACE_ROLES):
        tools.append(_workspace(reviewing=holding([Role.SUPERVISOR])))
    if user.has_perm("wagtailadmin.access_admin"):
        tools.append(_cms(user, holding([Role.STAFF])))
    return tools


def _verification(committees: list[ResidentsCommittee]) -> list[Tool]:
    if not committees:
        return []
    waiting = dict(
        Residency.objects.filter(committee__in=committees, status=Residency.Status.PENDING)
        .values_list("committee")
        .annotate(n=Count("pk"))
    )
    return [
        Tool(
            key="verify",
            label=_("Verification queue · %(committee)s") % {"committee": committee.name},
            url=reverse("community:verify", args=[committee.slug]),
            count=waiting.get(committee.pk, 0),
        )
        for committee in committees
    ]


def _assisted(user: User, committees: list[ResidentsCommittee]) -> list[Tool]:
    """What the person registered and recorded for residents, counted as their pages
    list it: in the committees where they still do so."""
    return [
        Tool(
            key="registered",
            label=_("Residents I registered"),
            url=reverse("community:registered"),
            count=residents_registered_by(user, committees).count(),
            waiting=False,
        ),
        Tool(
            key="recorded",
            label=_("Opinions I recorded"),
            url=reverse("deliberation:opinions_recorded"),
            count=opinions_recorded_by(user, committees).count(),
            waiting=False,
        ),
    ]


def _dashboards(committees: list[ResidentsCommittee]) -> list[Tool]:
    return [
        Tool(
            key="dashboard",
            label=_("Committee dashboard · %(committee)s") % {"committee": committee.name},
            url=reverse("deliberation:committee_dashboard", args=[committee.slug]),
            count=dashboard.committee_dashboard(committee).warning_count,
        )
        for committee in committees
    ]


def _workspace(*, reviewing: list[ResidentsCommittee]) -> Tool:
    """The supervision workspace. For supervisors it counts the disclosures waiting for
    their review; staff and the chair open it to answer findings, and the reviews there
    do not wait for them, so nothing is counted for them."""
    label, url = _("Supervision workspace"), reverse("audit:workspace")
    if not reviewing:
        return Tool(key="audit", label=label, url=url, count=None)
    # A subquery, not a list of ids: one query whether or not the boards hold pages.
    page_ids = pages_of(reviewing).annotate(key=Cast("pk", CharField())).values("key")
    in_review = TaskState.objects.filter(
        task__in=SupervisionReviewTask.objects.all(),
        status=TaskState.STATUS_IN_PROGRESS,
        revision__object_id__in=page_ids,
    ).count()
    return Tool(key="audit", label=label, url=url, count=in_review)


def _cms(user: User, committees: list[ResidentsCommittee]) -> Tool:
    """The CMS, counting drafts on the person's boards not yet sent for review (the
    platform drafts some itself: meeting summaries, settled topics)."""
    pages = DisclosurePage.objects.all() if user.is_superuser else pages_of(committees)
    in_review = WorkflowState.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    waiting = (
        pages.filter(live=False, first_published_at__isnull=True).exclude(Exists(in_review)).count()
    )
    return Tool(
        key="cms",
        label=_("Content management (CMS): disclosures"),
        url=reverse("wagtailadmin_home"),
        count=waiting,
    )

"""Reads for the supervision workspace: everything of a committee's records, at a glance."""

from django.http import Http404
from wagtail.models import TaskState

from townhall.community.models import ResidentsCommittee
from townhall.disclosures import selectors as disclosure_selectors
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage

from .models import Finding


def subject_describe(subject: str) -> tuple[ResidentsCommittee, str, str]:
    """(committee, title, url) of a record an auditor can raise a finding on."""
    label, _sep, pk = subject.partition(":")
    if not pk.isdigit():
        raise Http404
    if label == "disclosures.disclosurepage":
        page = DisclosurePage.objects.filter(pk=pk).first()
        if page is None:
            raise Http404
        return page.committee, page.title, page.url or ""
    if label == "charters.charterversion":
        from townhall.charters.models import CharterVersion

        version = CharterVersion.objects.select_related("page").filter(pk=pk).first()
        if version is None:
            raise Http404
        index = version.page.get_parent().specific
        return index.committee, f"{version.page.title} · v{version.number}", version.page.url
    raise Http404


def disclosures_with_trail(committee: ResidentsCommittee) -> list[dict]:
    """Every disclosure of the committee, published or not, with its review trail."""
    board = DisclosureIndexPage.objects.filter(committee=committee).first()
    if board is None:
        return []
    pages = list(DisclosurePage.objects.child_of(board).select_related("corrects").order_by("-pk"))
    if not pages:
        return []
    states = (
        TaskState.objects.filter(
            revision__base_content_type=pages[0].get_base_content_type(),
            revision__object_id__in=[str(p.pk) for p in pages],
        )
        .select_related("finished_by", "revision")
        .order_by("started_at")
    )
    trail: dict[str, list] = {}
    for state in states:
        trail.setdefault(state.revision.object_id, []).append(state)
    corrected_by: dict[int, list] = {}
    for page in pages:
        if page.corrects_id:
            corrected_by.setdefault(page.corrects_id, []).append(page)
    return [
        {
            "page": page,
            "trail": trail.get(str(page.pk), []),
            "state": _state(page, trail.get(str(page.pk), [])),
            "corrected_by": corrected_by.get(page.pk, []),
        }
        for page in pages
    ]


def _state(page, trail) -> str:
    if page.live:
        return "published"
    last = trail[-1].status if trail else None
    return {
        TaskState.STATUS_IN_PROGRESS: "in_review",
        TaskState.STATUS_REJECTED: "changes_requested",
    }.get(last, "draft")


def open_queries(committee: ResidentsCommittee):
    return disclosure_selectors.queries_unanswered([committee])


def findings_of(committee: ResidentsCommittee):
    return (
        Finding.objects.filter(committee=committee)
        .select_related("raised_by", "closed_by")
        .prefetch_related("responses__author")
    )

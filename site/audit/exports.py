"""The supervision workspace as spreadsheets: the tables an auditor works through."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import ResidentsCommittee
from townhall.disclosures import selectors as disclosure_selectors
from townhall.spreadsheets import Rows, local_naive

from . import selectors

STATE_LABELS = {
    "published": gettext_lazy("Published"),
    "in_review": gettext_lazy("Awaiting review"),
    "changes_requested": gettext_lazy("Changes requested"),
    "draft": gettext_lazy("Draft"),
}


def _name(user) -> str:
    return (user.real_name or str(user)) if user else ""


def review_trail_rows(committee: ResidentsCommittee) -> Rows:
    rows: Rows = [
        [_("Disclosure"), _("State"), _("Review"), _("Reviewed by"), _("Reviewed on"), _("Comment")]
    ]
    for row in selectors.disclosures_with_trail(committee):
        state = str(STATE_LABELS[row["state"]])
        for review in row["trail"] or [None]:
            rows.append(
                [
                    row["page"].title,
                    state,
                    review.get_status_display() if review else "",
                    _name(review.finished_by) if review else "",
                    local_naive(review.finished_at) if review else None,
                    review.comment if review else "",
                ]
            )
    return rows


def schedule_rows(committee: ResidentsCommittee) -> Rows:
    rows: Rows = [
        [
            _("Category"),
            _("Frequency"),
            _("Period from"),
            _("Period to"),
            _("Due by"),
            _("Status"),
            _("Disclosure"),
        ]
    ]
    for row in disclosure_selectors.schedule_status([committee]):
        rows.append(
            [
                row.category_label,
                row.frequency_label,
                row.period_start,
                row.period_end,
                row.due_by,
                row.status_label,
                row.disclosure.title if row.disclosure else "",
            ]
        )
    return rows


def open_query_rows(committee: ResidentsCommittee) -> Rows:
    rows: Rows = [[_("Disclosure"), _("Asked at"), _("Question")]]
    for query in selectors.open_queries(committee):
        rows.append([query.page.title, local_naive(query.asked_at), query.question])
    return rows


def finding_rows(committee: ResidentsCommittee) -> Rows:
    rows: Rows = [
        [
            _("Raised at"),
            _("Record"),
            _("Severity"),
            _("Status"),
            _("Finding"),
            _("Raised by"),
            _("Responses"),
            _("Closed at"),
            _("Closed by"),
            _("Closing note"),
        ]
    ]
    for finding in selectors.findings_of(committee):
        responses = "\n".join(
            f"{_name(r.author)} {local_naive(r.created_at):%Y-%m-%d %H:%M}: {r.text}"
            for r in finding.responses.all()
        )
        rows.append(
            [
                local_naive(finding.raised_at),
                finding.subject_title,
                finding.get_severity_display(),
                finding.get_status_display(),
                finding.text,
                _name(finding.raised_by),
                responses,
                local_naive(finding.closed_at),
                _name(finding.closed_by),
                finding.closing_note,
            ]
        )
    return rows


TABLES = {
    "reviews": (gettext_lazy("Review trail"), review_trail_rows),
    "schedule": (gettext_lazy("Due and overdue"), schedule_rows),
    "queries": (gettext_lazy("Open queries"), open_query_rows),
    "findings": (gettext_lazy("Findings"), finding_rows),
}

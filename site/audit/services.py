"""Every write about findings; raising and closing are ledger entries."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.services import notification_send
from townhall.community.models import ResidentsCommittee, Role
from townhall.community.selectors import people_holding
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .models import Finding, FindingResponse


def finding_content(finding: Finding) -> dict:
    return {
        "committee": finding.committee_id,
        "subject": finding.subject,
        "text": finding.text,
        "severity": finding.severity,
        "raised_by": finding.raised_by_id,
        "closed": finding.closed_at.isoformat() if finding.closed_at else None,
        "closing_note": finding.closing_note,
    }


def finding_load(pk: str) -> dict | None:
    finding = Finding.objects.filter(pk=pk).first()
    return finding_content(finding) if finding else None


def finding_raise(
    *,
    committee: ResidentsCommittee,
    by,
    subject: str,
    subject_title: str,
    subject_url: str,
    text: str,
    severity: str,
) -> Finding:
    """An auditor raises a finding; the committee's staff are told."""
    if not text.strip():
        raise ValidationError({"text": _("Describe what you found.")})
    with transaction.atomic():
        finding = Finding.objects.create(
            committee=committee,
            raised_by=by,
            subject=subject,
            subject_title=subject_title,
            subject_url=subject_url,
            text=text.strip(),
            severity=severity,
        )
        ledger_append(
            kind="finding.raised",
            subject=subject_of(finding),
            actor=by,
            content=finding_content(finding),
            details={"about": subject},
        )
        for person in people_holding(committee, [Role.STAFF, Role.CHAIR]):
            notification_send(
                recipient=person,
                message=gettext_lazy("The supervision committee raised a finding on “%(title)s”."),
                params={"title": subject_title},
                url=f"/audit/findings/{finding.pk}/",
            )
    return finding


def finding_respond(*, finding: Finding, by, text: str) -> FindingResponse:
    if not text.strip():
        raise ValidationError({"text": _("Write the response.")})
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.status == Finding.Status.CLOSED:
            raise ValidationError(_("This finding is closed."))
        response = FindingResponse.objects.create(finding=finding, author=by, text=text.strip())
        finding.status = Finding.Status.RESPONDED
        finding.save(update_fields=["status"])
        notification_send(
            recipient=finding.raised_by,
            message=gettext_lazy("Staff responded to your finding on “%(title)s”."),
            params={"title": finding.subject_title},
            url=f"/audit/findings/{finding.pk}/",
        )
    return response


def finding_close(*, finding: Finding, by, note: str = "") -> Finding:
    """Only an auditor closes a finding (the caller checked the permission)."""
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.status == Finding.Status.CLOSED:
            raise ValidationError(_("This finding is already closed."))
        finding.status = Finding.Status.CLOSED
        finding.closed_by = by
        finding.closed_at = timezone.now()
        finding.closing_note = note.strip()
        finding.save()
        ledger_append(
            kind="finding.closed",
            subject=subject_of(finding),
            actor=by,
            content=finding_content(finding),
        )
    return finding

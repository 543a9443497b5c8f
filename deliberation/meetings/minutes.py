"""The minutes of a decision meeting: written by the secretary, approved by the chair and
one supervision committee member once the meeting is closed, then drafted as a
disclosure (Art 34 (1)) for the supervision committee's review."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..permissions import Action, check
from .models import Meeting, Minutes


def minutes_content(minutes: Minutes) -> dict:
    """What the ledger vouches for: the text as approved. It cannot change once approved."""
    return {"meeting": minutes.meeting_id, "text": minutes.text}


def minutes_load(pk: str) -> dict | None:
    minutes = Minutes.objects.filter(pk=pk).first()
    return minutes_content(minutes) if minutes else None


def minutes_approved(minutes: Minutes | None) -> bool:
    """Locked for editing once anyone approved it: what was approved stays as it was."""
    return minutes is not None and bool(minutes.chair_approved_at or minutes.supervisor_approved_at)


def may_write_minutes(person, meeting: Meeting) -> bool:
    """The meeting's secretary, or the committee."""
    if person.is_authenticated and person.pk == meeting.secretary_id:
        return True
    return bool(check(person, Action.WRITE_MINUTES, meeting.committee))


def may_approve_as_chair(person, meeting: Meeting) -> bool:
    """The committee's chair, or whoever presided over this meeting for the committee."""
    if bool(check(person, Action.APPROVE_MINUTES_AS_CHAIR, meeting.committee)):
        return True
    return person.pk == meeting.chair_id and bool(
        check(person, Action.RUN_MEETING, meeting.committee)
    )


def may_approve_as_supervisor(person, meeting: Meeting) -> bool:
    return bool(check(person, Action.SUPERVISE, meeting.committee))


def minutes_save(*, meeting: Meeting, by, text: str) -> Minutes:
    """Save the secretary's text, while the meeting is in session or closed and until
    the minutes are approved. Locks the row; no ledger entry (drafts are not records)."""
    if not may_write_minutes(by, meeting):
        raise PermissionDenied(_("Only the meeting's secretary or the committee may write it."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.SCHEDULED:
            raise ValidationError(_("The minutes can be written once the meeting is open."))
        minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
        if minutes_approved(minutes):
            raise ValidationError(_("These minutes are approved: they cannot be edited."))
        minutes.text = (text or "").strip()
        minutes.save()
    return minutes


def _disclosure_body(meeting: Meeting, minutes: Minutes) -> str:
    from .models import Attendance, Motion

    attendance = Attendance.objects.filter(meeting=meeting)
    return render_to_string(
        "deliberation/minutes/_disclosure_body.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "roll_size": meeting.roll.count(),
            "members_present": attendance.filter(roll_member__isnull=False).count(),
            "observers": attendance.filter(roll_member__isnull=True).count(),
            "motions": Motion.objects.filter(meeting=meeting).select_related("topic"),
        },
    ).strip()


def _disclosure_draft(meeting: Meeting, minutes: Minutes, by):
    """The approved minutes as a draft disclosure, submitted to the supervision review.
    Raises ValidationError when the committee has no disclosure board."""
    from townhall.disclosures.services import disclosure_draft_create

    with translation.override(settings.LANGUAGE_CODE):
        title = _("Minutes: %(title)s") % {"title": meeting.title}
        body = _disclosure_body(meeting, minutes)
    day = timezone.localdate(meeting.starts_at)
    page = disclosure_draft_create(
        committee=meeting.committee,
        title=title[:255],
        category="decisions",
        body_html=body,
        period_start=day,
        period_end=timezone.localdate(meeting.closed_at) if meeting.closed_at else day,
        by=by,
    )
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, by)
    return page


def minutes_approve(*, meeting: Meeting, by) -> Minutes:
    """The chair's or a supervisor's approval, each once, after the meeting is closed.
    Ledger `minutes.approved` for each. With the second approval the minutes become a
    draft disclosure started in the supervision review; with no disclosure board the
    approval is refused, so nothing approved goes unpublished."""
    as_chair = may_approve_as_chair(by, meeting)
    as_supervisor = may_approve_as_supervisor(by, meeting)
    if not (as_chair or as_supervisor):
        raise PermissionDenied(
            _("Only the chair and the supervision committee approve the minutes.")
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.CLOSED:
            raise ValidationError(_("The minutes are approved after the meeting is closed."))
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is None or not minutes.text:
            raise ValidationError(_("The secretary has not written the minutes yet."))
        now = timezone.now()
        if as_chair and minutes.chair_approved_at is None:
            minutes.chair_approved_by, minutes.chair_approved_at = by, now
            role = "chair"
        elif as_supervisor and minutes.supervisor_approved_at is None:
            minutes.supervisor_approved_by, minutes.supervisor_approved_at = by, now
            role = "supervisor"
        else:
            raise ValidationError(_("You have already approved these minutes."))
        if minutes.chair_approved_at and minutes.supervisor_approved_at:
            minutes.disclosure = _disclosure_draft(meeting, minutes, by)
        minutes.save()
        ledger_append(
            kind="minutes.approved",
            subject=subject_of(minutes),
            actor=by,
            content=minutes_content(minutes),
            details={"meeting": meeting.pk, "as": role, "disclosure": minutes.disclosure_id},
        )
    return minutes

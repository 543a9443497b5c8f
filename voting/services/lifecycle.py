"""Opening a poll (the electorate frozen), closing it early, and the count that happens
on the first read after the closing time (no cron)."""

import logging
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.meetings.models import Attendance, Meeting, Motion
from townhall.community.models import Membership, Role
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import results
from ..models import (
    Ballot,
    BallotComment,
    Elector,
    Poll,
)
from ..permissions import Action, require
from ..tasks import poll_opened_announce
from .content import poll_opened_content

logger = logging.getLogger(__name__)

REASON_MAX = 2000


# Opening: the electorate ---------------------------------------------------------------


def _current(committee_id: int, *roles: str):
    return Membership.objects.current().filter(committee_id=committee_id, role__in=roles)


def _electorate_rows(poll: Poll) -> list[Elector]:
    """Who may vote, as of now, with why (mirrors the meeting roll of
    `deliberation.meetings.services._roll_rows`)."""
    Basis = Elector.Basis
    if poll.electorate == Poll.Electorate.RESIDENTS:
        people = _current(poll.committee_id, Role.RESIDENT).values_list("person_id", flat=True)
        return [
            Elector(poll=poll, person_id=pk, basis=Basis.RESIDENT) for pk in sorted(set(people))
        ]
    if poll.electorate == Poll.Electorate.HOUSEHOLDS:
        # Households of the committee's grids where at least one verified resident lives.
        homes = (
            _current(poll.committee_id, Role.RESIDENT)
            .filter(household__grid__committee_id=poll.committee_id)
            .values_list("household_id", flat=True)
        )
        return [
            Elector(poll=poll, household_id=pk, basis=Basis.HOUSEHOLD) for pk in sorted(set(homes))
        ]
    if poll.electorate == Poll.Electorate.REPRESENTATIVES:
        holders = _current(poll.committee_id, Role.REPRESENTATIVE, Role.CHAIR, Role.MEMBER)
        basis: dict[int, str] = {}
        for person_id, role in holders.values_list("person_id", "role"):
            if role == Role.REPRESENTATIVE:
                basis.setdefault(person_id, Basis.REPRESENTATIVE)
            else:
                basis[person_id] = Basis.COMMITTEE  # a member who is also a representative
        return [Elector(poll=poll, person_id=pk, basis=basis[pk]) for pk in sorted(basis)]
    # The members of the body in the hall now; observers never vote.
    present = Attendance.objects.filter(
        meeting_id=poll.meeting_id, checked_out_at__isnull=True, roll_member__isnull=False
    ).values_list("person_id", flat=True)
    return [Elector(poll=poll, person_id=pk, basis=Basis.PRESENT) for pk in sorted(set(present))]


def poll_open(*, poll: Poll, by) -> Poll:
    """Open a draft poll (RUN_POLL). Under `FOR UPDATE` on the poll: the electorate is
    frozen now, each row with its basis; `eligible` is its size; `opens_at` becomes now
    unless a later time was set. Ledger `poll.opened` with `poll_opened_content` (the
    electorate's SHA-256 included). Once committed, the electorate is told in the
    background (`voting.tasks.poll_opened_announce`) when voting starts."""
    require(by, Action.RUN_POLL, poll.committee)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status != Poll.Status.DRAFT:
            raise ValidationError(_("This poll has already been opened."))
        now = timezone.now()
        if poll.closes_at <= now:
            raise ValidationError(_("The closing time has passed: this poll can no longer open."))
        if poll.electorate == Poll.Electorate.MEETING:
            meeting = Meeting.objects.get(pk=poll.meeting_id)
            if meeting.status != Meeting.Status.OPEN:
                raise ValidationError(
                    _("The meeting is not in session: open it and check people in first.")
                )
        rows = _electorate_rows(poll)
        if not rows:
            raise ValidationError(_("No one could vote: the electorate would be empty."))
        Elector.objects.bulk_create(rows, batch_size=2000)
        poll.eligible = len(rows)
        poll.opens_at = max(poll.opens_at or now, now)
        poll.status = Poll.Status.OPEN
        poll.opened_by = by
        poll.save(update_fields=["eligible", "opens_at", "status", "opened_by"])
        ledger_append(
            kind="poll.opened",
            subject=subject_of(poll),
            actor=by,
            content=poll_opened_content(poll),
            details={"eligible": poll.eligible},
        )
        # Telling 30,000 electors is the worker's job, once the opening is committed and
        # when voting starts; a failure there (kept in the worker's task results) leaves
        # the poll open.
        announce = poll_opened_announce
        if poll.opens_at > now:
            announce = announce.using(run_after=poll.opens_at)
        poll_id = poll.pk
        transaction.on_commit(lambda: announce.enqueue(poll_id), robust=True)
    return poll


# Closing and counting ------------------------------------------------------------------


def poll_close(*, poll: Poll, by, reason: str) -> Poll:
    """Close an open poll before its closing time (RUN_POLL), with the reason recorded,
    and count it, in one transaction under `FOR UPDATE` on the poll: ballots already
    past their window check are in the count, later ones are refused. Ledger
    `poll.closed_early` (reason in its details), then `poll.counted`. A poll already past
    its closing time is simply counted as closed on time."""
    require(by, Action.RUN_POLL, poll.committee)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the poll is closed early: the reason is recorded."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason can be at most %(max)s characters.") % {"max": REASON_MAX}
        )
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.status == Poll.Status.DRAFT:
            raise ValidationError(_("This poll has not been opened."))
        if poll.status == Poll.Status.CLOSED:
            raise ValidationError(_("This poll is already closed and counted."))
        now = timezone.now()
        if now < poll.closes_at:
            poll.closed_at = now
            poll.closed_by = by
            poll.close_reason = reason
            ledger_append(
                kind="poll.closed_early",
                subject=subject_of(poll),
                actor=by,
                details={"reason": reason, "closed_at": now.isoformat()},
            )
        _count(poll, closer=by if poll.closed_by_id else None)
    return poll


def poll_settle_if_due(poll: Poll) -> Poll:
    """Count `poll` if its closing time has passed and it is not counted yet; return it
    as it now stands. Called by every reader of a poll instead of a cron: the first read
    after the closing time counts it. Idempotent and safe under concurrent readers: the
    count runs under `FOR UPDATE` on the poll and only if it is still open then. A poll
    that is not due costs no query."""
    if poll.status != Poll.Status.OPEN:
        return poll
    if poll.closed_at is None and timezone.now() < poll.closes_at:
        return poll
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        due = locked.closed_at is not None or timezone.now() >= locked.closes_at
        if locked.status == Poll.Status.OPEN and due:
            _count(locked, closer=None)
    return locked


def _count(poll: Poll, *, closer) -> None:
    """Count a locked poll: CLOSED, closed_at (the closing time for an automatic close),
    who is still present for a meeting poll, a secret poll's ballots rewritten in
    receipt order and comments shuffled, the result stored, ledger `poll.counted` with
    the result as content, then the motion it decides, if any."""
    early = poll.closed_at is not None
    if not early:
        poll.closed_at = poll.closes_at
    poll.status = Poll.Status.CLOSED
    poll.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    if poll.meeting_id:
        _mark_present(poll)
    if not poll.named:
        _ballots_rewrite(poll)
    _comments_shuffle(poll)
    poll.result = results.result_compute(poll)
    poll.save(update_fields=["result"])
    ledger_append(
        kind="poll.counted",
        subject=subject_of(poll),
        actor=closer,
        content=poll.result,
        details={"closed_at": poll.closed_at.isoformat(), "early": early},
    )
    if poll.motion_id:
        _motion_decide(poll, by=closer or poll.opened_by)


def _mark_present(poll: Poll) -> None:
    """Meeting polls: who of the electorate is still checked in (the base "present")."""
    here = Attendance.objects.filter(
        meeting_id=poll.meeting_id, checked_out_at__isnull=True, roll_member__isnull=False
    )
    electors = Elector.objects.filter(poll=poll)
    electors.update(present_at_close=False)
    electors.filter(
        Q(person_id__in=here.values("person_id"))
        | Q(household_id__in=here.values("roll_member__household_id"))
    ).update(present_at_close=True)


def _ballots_rewrite(poll: Poll) -> None:
    """Delete and re-insert a secret poll's ballots in receipt order: rowid (SQLite) and
    heap order (PostgreSQL) then follow the random receipts, not the order of voting,
    and every row carries the count's transaction instead of the voter's."""
    rows = sorted(Ballot.objects.filter(poll=poll).values_list("receipt", "content", "channel"))
    Ballot.objects.filter(poll=poll).delete()
    Ballot.objects.bulk_create(
        (
            Ballot(receipt=receipt, poll_id=poll.pk, content=content, channel=channel)
            for receipt, content, channel in rows
        ),
        batch_size=2000,
    )


def _comments_shuffle(poll: Poll) -> None:
    texts = list(BallotComment.objects.filter(poll=poll).values_list("text", flat=True))
    if not texts:
        return
    random.SystemRandom().shuffle(texts)
    BallotComment.objects.filter(poll=poll).delete()
    BallotComment.objects.bulk_create(
        (BallotComment(poll_id=poll.pk, text=text) for text in texts), batch_size=2000
    )


def _motion_decide(poll: Poll, *, by) -> None:
    """The motion seam: the poll's figures become the motion's vote (method POLL), with
    its ledger entry `motion.counted`, and the motion becomes a decision. A motion that
    was meanwhile counted another way keeps that count; the poll's result stands apart.
    `members_at_vote` is the result's `members` (the meeting's roll for a meeting poll,
    as the quorum counts it; else the electorate), `present_at_vote` the base count."""
    from deliberation.decisions.services import decision_record
    from deliberation.meetings.services import motion_content

    motion = Motion.objects.select_for_update().get(pk=poll.motion_id)
    if motion.status != Motion.Status.PENDING:
        return
    result = poll.result
    if not result.get("decided"):
        motion.status = Motion.Status.NO_QUORUM
    else:
        motion.status = Motion.Status.PASSED if result.get("passed") else Motion.Status.FAILED
    motion.method = Motion.Method.POLL
    motion.yes, motion.no, motion.abstain = result["yes"], result["no"], result["abstain"]
    motion.members_at_vote = result["members"]
    motion.present_at_vote = result["base_count"]
    motion.voted_at = poll.closed_at
    motion.counted_by = by
    motion.save()
    ledger_append(
        kind="motion.counted",
        subject=subject_of(motion),
        actor=by,
        content=motion_content(motion),
        details={"poll": poll.pk, "reason": result.get("reason", "")},
    )
    try:
        decision_record(motion=motion, by=by)
    except PermissionDenied:
        # The one who opened the poll no longer runs meetings: the count stands, and
        # the decision is recorded by whoever does (decision_record is idempotent).
        logger.warning("Poll %s counted; its decision awaits someone who runs meetings", poll.pk)

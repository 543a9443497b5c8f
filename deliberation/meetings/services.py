"""Every write about a decision meeting: convening it with notice, the agenda, opening
(the roll frozen), check-in and check-out, the chair's show-of-hands count and closing.
Each checks the gatekeeper, locks what it changes and writes its ledger entry in the
same transaction."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.models import User
from townhall.accounts.services import announcement_send, translatable
from townhall.community.models import Household, Membership, ResidentsCommittee, Role
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..decisions.services import decision_record
from ..notify import notify
from ..permissions import Action, require
from ..topics.models import Topic, TopicStatus
from ..topics.services import topic_ready_for_decision
from . import rules
from .models import Attendance, Body, Meeting, Motion, Petition, RollMember
from .petitions import petition_answer
from .selectors import meeting_quorum

# Who may chair a meeting or keep its minutes: the committee's office holders.
OFFICIALS = (Role.STAFF, Role.CHAIR, Role.MEMBER)
# The representatives' assembly: the committee and the representatives (Art 29).
REPRESENTATIVES_BODY = (Role.CHAIR, Role.MEMBER, Role.REPRESENTATIVE)

CONVENED_MESSAGE = gettext_lazy(
    "%(body)s “%(title)s” is convened for %(when)s at %(place)s.%(short)s"
)
SHORT_NOTICE = gettext_lazy(" Short notice: %(reason)s")


# Ledger content ------------------------------------------------------------------------


def meeting_content(meeting: Meeting) -> dict:
    """What the ledger vouches for about a meeting: its notice and its state."""
    return {
        "committee": meeting.committee_id,
        "body": meeting.body,
        "by_household": meeting.by_household,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "announced_at": meeting.announced_at.isoformat(),
        "short_notice_reason": meeting.short_notice_reason,
        "charter_authorisation": meeting.charter_authorisation_id,
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
        "status": meeting.status,
        "opened_at": meeting.opened_at.isoformat() if meeting.opened_at else None,
        "closed_at": meeting.closed_at.isoformat() if meeting.closed_at else None,
    }


def meeting_load(pk: str) -> dict | None:
    meeting = Meeting.objects.filter(pk=pk).first()
    return meeting_content(meeting) if meeting else None


def motion_content(motion: Motion) -> dict:
    """What the ledger vouches for about a motion: its text and, once counted, the vote."""
    return {
        "meeting": motion.meeting_id,
        "kind": motion.kind,
        "topic": motion.topic_id,
        "title": motion.title,
        "text": motion.text,
        "revises": motion.revises_id,
        "revision": motion.revision,
        "status": motion.status,
        "method": motion.method,
        "yes": motion.yes,
        "no": motion.no,
        "abstain": motion.abstain,
        "members_at_vote": motion.members_at_vote,
        "present_at_vote": motion.present_at_vote,
        "voted_at": motion.voted_at.isoformat() if motion.voted_at else None,
    }


def motion_load(pk: str) -> dict | None:
    motion = Motion.objects.filter(pk=pk).first()
    return motion_content(motion) if motion else None


def _record(obj, *, kind: str, by, **details) -> None:
    content = meeting_content(obj) if isinstance(obj, Meeting) else motion_content(obj)
    ledger_append(kind=kind, subject=subject_of(obj), actor=by, content=content, details=details)


# Guards --------------------------------------------------------------------------------


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def officials_of(committee: ResidentsCommittee):
    """The people who may chair a meeting or keep its minutes."""
    holders = Membership.objects.current().filter(committee=committee, role__in=OFFICIALS)
    return User.objects.filter(pk__in=holders.values("person_id")).order_by("real_name", "pk")


def _current(committee: ResidentsCommittee, *roles: str):
    return Membership.objects.current().filter(committee=committee, role__in=roles)


def _people_count(committee: ResidentsCommittee, *roles: str) -> int:
    return _current(committee, *roles).values("person_id").distinct().count()


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# Convening -----------------------------------------------------------------------------


def _check_authorisation(committee: ResidentsCommittee, body: str, authorisation) -> None:
    if authorisation is None:
        return
    if body != Body.REPRESENTATIVES:
        raise ValidationError(
            _("Only a representatives' assembly needs an authorisation to amend the charter.")
        )
    motion = authorisation.motion
    if (
        authorisation.committee_id != committee.pk
        or not authorisation.passed
        or motion.meeting.body != Body.ASSEMBLY
    ):
        raise ValidationError(
            _(
                "The authorisation must be a passed decision of this committee's "
                "residents' assembly."
            )
        )


def _notify_convened(meeting: Meeting) -> None:
    """The assembly's members may be thousands of residents: their inbox rows are
    inserted in batches (email and SMS only to those who asked for announcements); the
    representatives' assembly is told by inbox and email."""
    url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    params = {
        "body": Body(meeting.body).label,
        "title": meeting.title,
        "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": meeting.place,
        "short": (
            translatable(SHORT_NOTICE, reason=meeting.short_notice_reason)
            if meeting.short_notice
            else ""
        ),
    }
    if meeting.body == Body.ASSEMBLY:
        people = _current(meeting.committee, Role.RESIDENT).values_list("person_id", flat=True)
        announcement_send(recipient_ids=people, message=CONVENED_MESSAGE, url=url, params=params)
        return
    holders = _current(meeting.committee, *REPRESENTATIVES_BODY)
    notify(
        recipients=User.objects.filter(pk__in=holders.values("person_id")),
        url=url,
        message=CONVENED_MESSAGE,
        **params,
    )


def meeting_convene(
    *,
    committee: ResidentsCommittee,
    by,
    body: str,
    title: str,
    starts_at,
    place: str,
    chair,
    secretary=None,
    by_household: bool = False,
    short_notice_reason: str = "",
    charter_authorisation=None,
    petition: Petition | None = None,
) -> Meeting:
    """Announce a meeting of a deciding body. Checks the notice (10 days, or a recorded
    reason: the meeting is then marked as held at short notice), the representatives'
    assembly's composition, the chair and secretary; ledger entry `meeting.convened`;
    the body's members are told; a petition it answers is marked answered."""
    require(by, Action.CONVENE, committee)
    title = _required_text(title, _("Give the meeting a title."))
    place = _required_text(place, _("Say where the meeting is held."))
    reason = (short_notice_reason or "").strip()
    now = timezone.now()
    verdict = rules.notice_ok(announced_at=now, starts_at=starts_at, reason=reason)
    if not verdict:
        raise ValidationError(verdict.reason)
    if starts_at - now >= timedelta(days=rules.NOTICE_DAYS):
        reason = ""  # enough notice: nothing to mark
    if body not in Body.values:
        raise ValidationError(_("Choose the deciding body."))
    if by_household and body != Body.ASSEMBLY:
        raise ValidationError(
            _("Only the residents' assembly may meet as one representative per household.")
        )
    if body == Body.REPRESENTATIVES:
        verdict = rules.representatives_composition_ok(
            committee_members=_people_count(committee, Role.CHAIR, Role.MEMBER),
            representatives=_people_count(committee, Role.REPRESENTATIVE),
        )
        if not verdict:
            raise ValidationError(verdict.reason)
    officials = officials_of(committee)
    if not officials.filter(pk=chair.pk).exists():
        raise ValidationError(_("The chair must be an office holder of the committee."))
    if secretary is not None and not officials.filter(pk=secretary.pk).exists():
        raise ValidationError(_("The secretary must be an office holder of the committee."))
    _check_authorisation(committee, body, charter_authorisation)
    if petition is not None and (petition.committee_id != committee.pk or petition.body != body):
        raise ValidationError(_("The petition asks for another body or committee."))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            committee=committee,
            body=body,
            by_household=by_household,
            title=title,
            starts_at=starts_at,
            place=place,
            short_notice_reason=reason,
            charter_authorisation=charter_authorisation,
            convened_by=by,
            chair=chair,
            secretary=secretary,
        )
        _record(
            meeting,
            kind="meeting.convened",
            by=by,
            petition=petition.pk if petition else None,
        )
        if petition is not None:
            petition_answer(petition=petition, meeting=meeting)
        _notify_convened(meeting)
    return meeting


# The agenda ----------------------------------------------------------------------------


def _check_topic(meeting: Meeting, topic: Topic | None) -> None:
    if topic is None:
        raise ValidationError(_("Choose the topic the motion puts to a decision."))
    if topic.committee_id != meeting.committee_id:
        raise ValidationError(_("The topic belongs to another committee."))
    if topic.status != TopicStatus.TO_DECISION:
        raise ValidationError(_("The topic has not been sent to a decision meeting."))
    verdict = topic_ready_for_decision(topic)
    if not verdict:
        raise ValidationError(verdict.reason)


def _check_revision(meeting: Meeting, revises, revision: str) -> None:
    if revises is None:
        if revision:
            raise ValidationError(_("Name the decision the motion revokes or changes."))
        return
    if revision not in ("revoke", "change"):
        raise ValidationError(_("Say whether the motion revokes or changes the decision."))
    lower = revises.motion.meeting.body
    if revises.committee_id != meeting.committee_id:
        raise ValidationError(_("The decision belongs to another committee."))
    if not (meeting.body == Body.ASSEMBLY and lower == Body.REPRESENTATIVES):
        raise ValidationError(
            _(
                "Only the residents' assembly may revoke or change a decision, and only one "
                "of the representatives' assembly."
            )
        )


def motion_add(
    *,
    meeting: Meeting,
    by,
    kind: str,
    title: str,
    text: str,
    topic: Topic | None = None,
    revises=None,
    revision: str = "",
) -> Motion:
    """Put a motion on the agenda before the meeting closes. A topic's motion needs the
    topic sent to a decision with its party review and consultation opinion; a charter
    amendment needs a body that may amend it; a revision (Art 30) a lower body's decision
    of this committee. Ledger entry `motion.added`."""
    require(by, Action.RUN_MEETING, meeting.committee)
    title = _required_text(title, _("Give the motion a title."))
    text = _required_text(text, _("Write the text of the motion."))
    if kind not in Motion.Kind.values:
        raise ValidationError(_("Choose the kind of motion."))
    if kind == Motion.Kind.TOPIC:
        _check_topic(meeting, topic)
    else:
        topic = None
    if kind == Motion.Kind.CHARTER:
        verdict = rules.may_amend_charter(
            body=meeting.body, authorised=meeting.charter_authorisation_id is not None
        )
        if not verdict:
            raise ValidationError(verdict.reason)
    _check_revision(meeting, revises, revision)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status == Meeting.Status.CLOSED:
            raise ValidationError(_("The meeting is closed: its agenda is final."))
        last = meeting.motions.aggregate(last=Max("order"))["last"]
        motion = Motion.objects.create(
            meeting=meeting,
            order=(last or 0) + 1,
            kind=kind,
            topic=topic,
            title=title,
            text=text,
            revises=revises,
            revision=revision if revises else "",
        )
        _record(motion, kind="motion.added", by=by)
    return motion


# Opening: the roll ---------------------------------------------------------------------


def _roll_rows(meeting: Meeting) -> list[RollMember]:
    committee = meeting.committee
    Basis = RollMember.Basis
    if meeting.body == Body.ASSEMBLY and meeting.by_household:
        households = Household.objects.filter(grid__committee=committee).values_list(
            "pk", flat=True
        )
        return [
            RollMember(meeting=meeting, household_id=pk, basis=Basis.HOUSEHOLD)
            for pk in households.order_by("pk")
        ]
    if meeting.body == Body.ASSEMBLY:
        people = _current(committee, Role.RESIDENT).values_list("person_id", flat=True)
        return [
            RollMember(meeting=meeting, person_id=pk, basis=Basis.RESIDENT)
            for pk in sorted(set(people))
        ]
    holders = _current(committee, *REPRESENTATIVES_BODY)
    basis: dict[int, str] = {}
    for person_id, role in holders.values_list("person_id", "role"):
        if role == Role.REPRESENTATIVE:
            basis.setdefault(person_id, Basis.REPRESENTATIVE)
        else:
            basis[person_id] = Basis.COMMITTEE  # a member who is also a representative
    return [RollMember(meeting=meeting, person_id=pk, basis=basis[pk]) for pk in sorted(basis)]


def meeting_open(*, meeting: Meeting, by) -> Meeting:
    """Open the meeting: the roll of members is frozen now (the quorum's base for the
    whole meeting). Ledger entry `meeting.opened` with the roll's size."""
    require(by, Action.RUN_MEETING, meeting.committee)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError(_("The meeting has already been opened."))
        rows = RollMember.objects.bulk_create(_roll_rows(meeting), batch_size=2000)
        meeting.status = Meeting.Status.OPEN
        meeting.opened_at = timezone.now()
        meeting.save(update_fields=["status", "opened_at"])
        _record(meeting, kind="meeting.opened", by=by, roll=len(rows))
    return meeting


# Check-in ------------------------------------------------------------------------------


def _household_of(meeting: Meeting, person) -> int | None:
    return (
        _current(meeting.committee, Role.RESIDENT)
        .filter(person=person, household__isnull=False)
        .values_list("household_id", flat=True)
        .first()
    )


def _seat(meeting: Meeting, person) -> RollMember | None:
    """The roll row the person votes on, or None: they attend as an observer. In household
    mode the household's row goes to whoever of it is there first."""
    if not meeting.by_household:
        return meeting.roll.filter(person=person).first()
    household = _household_of(meeting, person)
    row = meeting.roll.filter(household_id=household).first() if household else None
    if row is None:
        return None
    taken = (
        Attendance.objects.filter(roll_member=row, checked_out_at__isnull=True)
        .exclude(person=person)
        .exists()
    )
    if taken:
        return None
    if row.person_id is None:
        row.person = person
        row.save(update_fields=["person"])
    return row


def _may_attend(meeting: Meeting, person) -> bool:
    return Membership.objects.current().filter(committee=meeting.committee, person=person).exists()


def attendance_check_in(*, meeting: Meeting, person, by) -> Attendance:
    """Mark `person` present: by the chair (RUN_MEETING) or by themselves with the
    meeting's code. Linked to their row on the roll, or an observer (they may speak, never
    vote). Checking in again after checking out clears the check-out."""
    if by.pk != person.pk:
        require(by, Action.RUN_MEETING, meeting.committee)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.OPEN:
            raise ValidationError(_("Check-in is possible only while the meeting is in session."))
        if not _may_attend(meeting, person):
            raise ValidationError(
                _("Only people of %(committee)s may attend this meeting.")
                % {"committee": meeting.committee}
            )
        attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
        if attendance is not None and attendance.checked_out_at is None:
            return attendance
        seat = _seat(meeting, person)
        now = timezone.now()
        if attendance is None:
            attendance = Attendance.objects.create(
                meeting=meeting, person=person, roll_member=seat, checked_in_at=now, recorded_by=by
            )
        else:
            attendance.roll_member = seat
            attendance.checked_in_at = now
            attendance.checked_out_at = None
            attendance.recorded_by = by
            attendance.save()
    return attendance


def attendance_check_out(*, meeting: Meeting, person, by) -> Attendance | None:
    """Mark `person` as gone (by the chair, or themselves); None if they were not there."""
    if by.pk != person.pk:
        require(by, Action.RUN_MEETING, meeting.committee)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.OPEN:
            raise ValidationError(_("Check-out is possible only while the meeting is in session."))
        attendance = Attendance.objects.filter(
            meeting=meeting, person=person, checked_out_at__isnull=True
        ).first()
        if attendance is None:
            return None
        attendance.checked_out_at = timezone.now()
        attendance.save(update_fields=["checked_out_at"])
    return attendance


# The vote ------------------------------------------------------------------------------


def motion_count(*, motion: Motion, by, yes: int, no: int, abstain: int) -> Motion:
    """Record the chair's show-of-hands count. The roll and the members present are taken
    at this moment and kept with the figures; without quorum the motion is NO_QUORUM,
    never passed. Once per motion; ledger entry `motion.counted`; then the decision."""
    meeting = motion.meeting
    require(by, Action.RUN_MEETING, meeting.committee)
    if min(yes, no, abstain) < 0:
        raise ValidationError(_("Votes cannot be negative."))
    with transaction.atomic():
        meeting = _locked(meeting)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if meeting.status != Meeting.Status.OPEN:
            raise ValidationError(_("Votes are counted only while the meeting is in session."))
        if motion.status != Motion.Status.PENDING:
            raise ValidationError(_("This motion has already been voted on."))
        quorum = meeting_quorum(meeting)
        if yes + no + abstain > quorum["present"]:
            raise ValidationError(
                _("%(votes)s votes counted but only %(present)s members are present: count again.")
                % {"votes": yes + no + abstain, "present": quorum["present"]}
            )
        result = rules.motion_result(
            body=meeting.body,
            members=quorum["members"],
            present=quorum["present"],
            yes=yes,
            no=no,
            abstain=abstain,
        )
        if not result.decided:
            motion.status = Motion.Status.NO_QUORUM
        else:
            motion.status = Motion.Status.PASSED if result.passed else Motion.Status.FAILED
        motion.method = Motion.Method.SHOW_OF_HANDS
        motion.yes, motion.no, motion.abstain = yes, no, abstain
        motion.members_at_vote = quorum["members"]
        motion.present_at_vote = quorum["present"]
        motion.voted_at = timezone.now()
        motion.counted_by = by
        motion.save()
        _record(motion, kind="motion.counted", by=by, reason=result.reason)
        decision_record(motion=motion, by=by)
    motion.result_reason = result.reason
    return motion


# Closing -------------------------------------------------------------------------------


def meeting_close(*, meeting: Meeting, by) -> Meeting:
    """Close the meeting: everyone still present is checked out; ledger `meeting.closed`."""
    require(by, Action.RUN_MEETING, meeting.committee)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.OPEN:
            raise ValidationError(_("Only a meeting in session can be closed."))
        now = timezone.now()
        meeting.attendance.filter(checked_out_at__isnull=True).update(checked_out_at=now)
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = now
        meeting.save(update_fields=["status", "closed_at"])
        _record(meeting, kind="meeting.closed", by=by)
    return meeting

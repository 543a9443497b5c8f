"""Every write about carrying out a decision (执行): assigning it, progress reports,
the supervision committee's comments, its sign-off of completion or sending it back.
Each locks the decision, writes its ledger entry in the same transaction and tells the
people concerned."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import Membership, Role, SocialOrganization
from townhall.community.permissions import Decision as Allowed
from townhall.community.permissions import Outcome, current_roles
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..notify import notify
from ..opinions.photos import CleanPhoto, photo_clean
from ..permissions import Action, check, require
from .execution_selectors import decision_overdue  # noqa: F401  (the one definition)
from .models import Decision, ProgressUpdate, SupervisionNote

Execution = Decision.Execution
# Staff and the chair may report for the responsible member (e.g. typed in at the office).
REPORTS_FOR_ANYONE = frozenset({Role.STAFF, Role.CHAIR})

ASSIGNED_MESSAGE = gettext_lazy(
    "You are responsible for carrying out the decision “%(title)s”, due on %(due)s."
)
RELIEVED_MESSAGE = gettext_lazy(
    "The decision “%(title)s” was assigned to another member: you are no longer responsible for it."
)
PROGRESS_MESSAGE = gettext_lazy("Progress on the decision “%(title)s”: %(percent)s%% done.")
AWAITING_SIGN_OFF_MESSAGE = gettext_lazy(
    "The decision “%(title)s” is reported done: the supervision committee must sign it off."
)
NOTE_MESSAGE = gettext_lazy(
    "The supervision committee commented on carrying out the decision “%(title)s”."
)
COMPLETED_MESSAGE = gettext_lazy(
    "The decision “%(title)s” is carried out: the supervision committee signed it off."
)
SENT_BACK_MESSAGE = gettext_lazy(
    "The supervision committee did not sign off the decision “%(title)s”: %(reason)s"
)


def _decision_url(decision: Decision) -> str:
    return reverse("deliberation:decision_detail", args=[decision.pk])


def progress_permission(person, decision: Decision) -> Allowed:
    """Who may report progress: staff and the chair, or the responsible member."""
    allowed = check(person, Action.REPORT_PROGRESS, decision.committee)
    if allowed.outcome is Outcome.DENIED:
        return allowed
    if current_roles(person, decision.committee) & REPORTS_FOR_ANYONE:
        return allowed
    if decision.responsible_id is not None and decision.responsible_id == person.pk:
        return allowed
    return Allowed(Outcome.DENIED)


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _locked(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("motion").get(pk=decision.pk)


def _record(*, decision: Decision, kind: str, by, **details) -> None:
    # The decision's own content is vouched for by `decision.recorded`; execution steps
    # add what an auditor reads, without re-hashing the decision.
    ledger_append(kind=kind, subject=subject_of(decision), actor=by, content=None, details=details)


def _followers(decision: Decision) -> list:
    from ..topics.services import topic_followers

    topic = decision.motion.topic
    return topic_followers(topic) if topic is not None else []


def _supervisors(decision: Decision) -> list:
    from townhall.accounts.models import User

    people = Membership.objects.current().filter(
        committee=decision.committee_id, role=Role.SUPERVISOR
    )
    return list(User.objects.filter(pk__in=people.values("person_id")))


def execution_assign(
    *,
    decision: Decision,
    by,
    responsible,
    due_on: date,
    assisting: Iterable[SocialOrganization] = (),
) -> Decision:
    """Name the committee member responsible for a passed decision, the due date and the
    social organisations assisting; the decision is then being carried out. Reassigning
    is allowed until it is signed off, and is recorded the same way (ledger
    `decision.assigned`); the responsible member (and the one relieved) is told."""
    require(by, Action.ASSIGN_EXECUTION, decision.committee)
    assisting = list(assisting)
    with transaction.atomic():
        decision = _locked(decision)
        if not decision.passed:
            raise ValidationError(_("Only a passed decision is carried out."))
        if decision.execution == Execution.COMPLETED:
            raise ValidationError(_("This decision is already carried out and signed off."))
        member = Membership.objects.current().filter(
            committee=decision.committee_id,
            person=responsible,
            role__in=[Role.CHAIR, Role.MEMBER],
        )
        if responsible is None or not member.exists():
            raise ValidationError(_("The responsible person must be a member of the committee."))
        if due_on is None or due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        community = decision.committee.community_id
        if any(org.community_id != community for org in assisting):
            raise ValidationError(_("Only social organisations of this community can assist."))
        previous = decision.responsible
        decision.responsible = responsible
        decision.due_on = due_on
        if decision.execution == Execution.NOT_ASSIGNED:
            decision.execution = Execution.IN_PROGRESS
        decision.save(update_fields=["responsible", "due_on", "execution"])
        decision.assisting.set(assisting)
        _record(
            decision=decision,
            kind="decision.assigned",
            by=by,
            responsible=responsible.pk,
            previous=previous.pk if previous else None,
            due=due_on.isoformat(),
            assisting=sorted(org.pk for org in assisting),
        )
        url = _decision_url(decision)
        notify(
            recipients=[responsible],
            url=url,
            message=ASSIGNED_MESSAGE,
            title=decision.motion.title,
            due=due_on.isoformat(),
        )
        if previous is not None and previous.pk != responsible.pk:
            notify(
                recipients=[previous],
                url=url,
                message=RELIEVED_MESSAGE,
                title=decision.motion.title,
            )
    return decision


def progress_report(
    *, decision: Decision, by, text: str, percent_done: int, photo=None
) -> ProgressUpdate:
    """Append a progress update (never edited) and set the decision's percent done; at
    100% it awaits the supervision committee's sign-off. The photo is checked and
    re-encoded without metadata. Ledger `decision.progress`; the topic's followers are
    told, and the supervision committee when it awaits sign-off."""
    if not progress_permission(by, decision):
        raise PermissionDenied(_("Only the responsible member, staff or the chair report."))
    text = _required_text(text, _("Say what was done."))
    if isinstance(percent_done, bool) or not isinstance(percent_done, int):
        raise ValidationError(_("Give the percent done as a whole number."))
    if not 0 <= percent_done <= 100:
        raise ValidationError(_("The percent done is between 0 and 100."))
    if photo and not isinstance(photo, CleanPhoto):
        photo = photo_clean(photo)
    with transaction.atomic():
        decision = _locked(decision)
        if decision.execution != Execution.IN_PROGRESS:
            raise ValidationError(
                _("Progress is reported while the decision is being carried out; it is %(state)s.")
                % {"state": decision.get_execution_display()}
            )
        update = ProgressUpdate(decision=decision, by=by, text=text, percent_done=percent_done)
        if photo:
            update.photo.save("photo.jpg", photo, save=False)
        update.save()
        decision.percent_done = percent_done
        done = percent_done == 100
        if done:
            decision.execution = Execution.REPORTED_DONE
        decision.save(update_fields=["percent_done", "execution"])
        _record(
            decision=decision,
            kind="decision.progress",
            by=by,
            update=update.pk,
            percent=percent_done,
            photo=bool(update.photo),
        )
        url = _decision_url(decision)
        notify(
            recipients=_followers(decision),
            url=url,
            message=PROGRESS_MESSAGE,
            title=decision.motion.title,
            percent=percent_done,
        )
        if done:
            notify(
                recipients=_supervisors(decision),
                url=url,
                message=AWAITING_SIGN_OFF_MESSAGE,
                title=decision.motion.title,
            )
    return update


def supervision_note_add(*, decision: Decision, by, text: str) -> SupervisionNote:
    """A supervision committee member's comment on how the decision is carried out, at
    any stage once it is passed. Ledger `decision.supervision_note`; the responsible
    member is told."""
    require(by, Action.SUPERVISE, decision.committee)
    text = _required_text(text, _("Write your comment."))
    with transaction.atomic():
        decision = _locked(decision)
        if not decision.passed:
            raise ValidationError(_("Only a passed decision is carried out."))
        note = SupervisionNote.objects.create(decision=decision, by=by, text=text)
        _record(decision=decision, kind="decision.supervision_note", by=by, note=note.pk)
        if decision.responsible_id:
            notify(
                recipients=[decision.responsible],
                url=_decision_url(decision),
                message=NOTE_MESSAGE,
                title=decision.motion.title,
            )
    return note


def _require_reported_done(decision: Decision) -> None:
    if decision.execution != Execution.REPORTED_DONE:
        raise ValidationError(
            _("Only a decision reported done can be signed off or sent back; it is %(state)s.")
            % {"state": decision.get_execution_display()}
        )


def execution_sign_off(*, decision: Decision, by) -> Decision:
    """The supervision committee signs off a decision reported done: it is completed.
    Ledger `decision.completed`; the followers and the responsible member are told."""
    require(by, Action.SUPERVISE, decision.committee)
    with transaction.atomic():
        decision = _locked(decision)
        _require_reported_done(decision)
        decision.execution = Execution.COMPLETED
        decision.signed_off_by = by
        decision.signed_off_at = timezone.now()
        decision.save(update_fields=["execution", "signed_off_by", "signed_off_at"])
        _record(decision=decision, kind="decision.completed", by=by)
        recipients = _followers(decision)
        if decision.responsible_id:
            recipients.append(decision.responsible)
        notify(
            recipients=recipients,
            url=_decision_url(decision),
            message=COMPLETED_MESSAGE,
            title=decision.motion.title,
        )
    return decision


def execution_send_back(*, decision: Decision, by, reason: str) -> Decision:
    """The supervision committee does not sign off: the decision is being carried out
    again, with the reason kept as a supervision note. Ledger `decision.sent_back`; the
    responsible member is told."""
    require(by, Action.SUPERVISE, decision.committee)
    reason = _required_text(reason, _("Say what is still missing."))
    with transaction.atomic():
        decision = _locked(decision)
        _require_reported_done(decision)
        decision.execution = Execution.IN_PROGRESS
        decision.save(update_fields=["execution"])
        note = SupervisionNote.objects.create(decision=decision, by=by, text=reason)
        _record(decision=decision, kind="decision.sent_back", by=by, note=note.pk)
        if decision.responsible_id:
            notify(
                recipients=[decision.responsible],
                url=_decision_url(decision),
                message=SENT_BACK_MESSAGE,
                title=decision.motion.title,
                reason=reason,
            )
    return decision

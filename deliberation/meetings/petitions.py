"""Petitions to convene a deciding body (Art 26, 29): residents and representatives sign;
at the statutory share the committee must convene, and the petition shows as due until a
meeting answering it is scheduled."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.models import User
from townhall.community.models import Membership, ResidentsCommittee, Role
from townhall.community.permissions import current_roles
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..notify import notify
from ..permissions import Action, require
from .models import Body, Meeting, Petition, PetitionSignature
from .petition_selectors import petition_support
from .support import Support

REACHED_MESSAGE = gettext_lazy(
    "The petition “%(title)s” to convene the %(body)s reached the share the law requires: "
    "the committee must convene this meeting."
)
ANSWERED_MESSAGE = gettext_lazy(
    "The committee convened “%(meeting)s” (%(when)s) in answer to the petition “%(title)s”."
)


def _require_may_ask_for(person, committee: ResidentsCommittee, body: str) -> None:
    """Art 29: only representatives ask for a representatives' assembly."""
    if body == Body.REPRESENTATIVES and Role.REPRESENTATIVE not in current_roles(person, committee):
        raise ValidationError(
            _("Only resident representatives may ask for a representatives' assembly.")
        )


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def petition_url(petition: Petition) -> str:
    return reverse("deliberation:petition_detail", args=[petition.pk])


def petition_start(
    *, committee: ResidentsCommittee, by: User, body: str, title: str, reason: str
) -> Petition:
    """A verified resident or representative asks the committee to convene `body` and
    signs first (ledger `petition.started`); if that signature already reaches the share,
    the petition is due at once."""
    require(by, Action.PETITION, committee)
    if body not in Body.values:
        raise ValidationError(_("Choose the body to convene."))
    _require_may_ask_for(by, committee, body)
    title = _required_text(title, _("Say what the meeting should decide."))
    reason = _required_text(reason, _("Say why the meeting is needed."))
    with transaction.atomic():
        petition = Petition.objects.create(
            committee=committee, body=body, title=title, reason=reason, created_by=by
        )
        ledger_append(
            kind="petition.started",
            subject=subject_of(petition),
            actor=by,
            content=None,
            details={"committee": committee.pk, "body": body, "title": title},
        )
        petition_sign(petition=petition, person=by)
    petition.refresh_from_db()
    return petition


def petition_sign(*, petition: Petition, person: User) -> bool:
    """Add `person`'s signature (True) or find it already there (False). Locks the
    petition row, so that of two last signatures arriving together exactly one marks it
    reached: ledger `petition.reached`, and the committee's staff and chair and the
    signers are told the committee must convene."""
    require(person, Action.PETITION, petition.committee)
    with transaction.atomic():
        petition = (
            Petition.objects.select_for_update().select_related("committee").get(pk=petition.pk)
        )
        if petition.answered_by_id is not None:
            raise ValidationError(_("A meeting has already been convened for this petition."))
        _require_may_ask_for(person, petition.committee, petition.body)
        household_id = (
            Membership.objects.current()
            .filter(person=person, committee=petition.committee, role=Role.RESIDENT)
            .exclude(household=None)
            .values_list("household_id", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                PetitionSignature.objects.create(
                    petition=petition,
                    person=person,
                    household_id=household_id,
                    as_representative=Role.REPRESENTATIVE
                    in current_roles(person, petition.committee),
                )
        except IntegrityError:
            return False
        if petition.reached_at is None:
            support = petition_support(petition)
            if support.verdict:
                _petition_reach(petition, support, person)
    return True


def _petition_reach(petition: Petition, support: Support, person: User) -> None:
    petition.reached_at = timezone.now()
    petition.save(update_fields=["reached_at"])
    ledger_append(
        kind="petition.reached",
        subject=subject_of(petition),
        actor=person,
        content=None,
        details={
            "reason": str(support.verdict.reason),
            "signatures": support.signatures,
            **support.counts,
        },
    )
    officers = Membership.objects.current().filter(
        committee=petition.committee, role__in=[Role.STAFF, Role.CHAIR]
    )
    recipients = User.objects.filter(pk__in=officers.values("person_id")) | User.objects.filter(
        petition_signatures__petition=petition
    )
    notify(
        recipients=list(recipients.distinct()),
        url=petition_url(petition),
        message=REACHED_MESSAGE,
        title=petition.title,
        body=Body(petition.body).label,
    )


def petition_answer(*, petition: Petition, meeting: Meeting) -> Petition:
    """Record that `meeting` answers the petition (the meetings' service calls this when
    a meeting is scheduled with `?petition=<pk>`, inside its transaction): the petition
    is no longer due; ledger `petition.answered`; the signers are told."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        if petition.answered_by_id is not None:
            raise ValidationError(_("A meeting has already been convened for this petition."))
        if meeting.committee_id != petition.committee_id:
            raise ValidationError(_("The meeting is not of this petition's committee."))
        if meeting.body != petition.body:
            raise ValidationError(
                _("The petition asks for the %(body)s.") % {"body": petition.get_body_display()}
            )
        petition.answered_by = meeting
        petition.save(update_fields=["answered_by"])
        ledger_append(
            kind="petition.answered",
            subject=subject_of(petition),
            actor=meeting.convened_by,
            content=None,
            details={"meeting": meeting.pk, "starts_at": meeting.starts_at.isoformat()},
        )
        notify(
            recipients=list(User.objects.filter(petition_signatures__petition=petition)),
            url=petition_url(petition),
            message=ANSWERED_MESSAGE,
            title=petition.title,
            meeting=meeting.title,
            when=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        )
    return petition

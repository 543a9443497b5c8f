"""Every write to the community structure: roles, relatives, residency and its verification."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.models import User
from townhall.accounts.services import consent_record, notification_send

from . import rules, selectors
from .models import (
    COMMITTEE_ROLES,
    CloseRelative,
    Grid,
    Household,
    Membership,
    Residency,
    ResidentsCommittee,
    Role,
)


def membership_validate(membership: Membership) -> None:
    """Raise ValidationError when the law forbids this person this role (Art 17, 36)."""
    if not membership.person_id or not membership.committee_id:
        return
    person, committee = membership.person, membership.committee
    if membership.role == Role.SUPERVISOR:
        verdict = rules.may_join_supervision(
            is_committee_member=selectors.holds_role(person, committee, COMMITTEE_ROLES),
            relatives_on_committee=selectors.relatives_holding(person, committee, COMMITTEE_ROLES),
        )
    elif membership.role in COMMITTEE_ROLES:
        verdict = rules.may_join_committee(
            is_supervisor=selectors.holds_role(person, committee, [Role.SUPERVISOR]),
            relatives_on_supervision=selectors.relatives_holding(
                person, committee, [Role.SUPERVISOR]
            ),
            current_members=selectors.committee_member_count(committee, exclude=membership),
        )
    else:
        return
    if not verdict:
        raise ValidationError(verdict.reason)


def close_relative_validate(link: CloseRelative) -> None:
    if not link.person_id or not link.relative_id:
        return
    for committee in selectors.committees_of(link.person, link.relative):
        for one, other in ((link.person, link.relative), (link.relative, link.person)):
            verdict = rules.may_record_relatives(
                one_on_committee=selectors.holds_role(one, committee, COMMITTEE_ROLES),
                other_on_supervision=selectors.holds_role(other, committee, [Role.SUPERVISOR]),
            )
            if not verdict:
                raise ValidationError(verdict.reason)


def membership_grant(
    *,
    person: User,
    committee: ResidentsCommittee,
    role: str,
    grid: Grid | None = None,
    household: Household | None = None,
) -> Membership:
    """Give a person a role, refusing what the law forbids. Locks the committee row so
    two grants at once cannot both slip under the 9-member ceiling."""
    with transaction.atomic():
        ResidentsCommittee.objects.select_for_update().get(pk=committee.pk)
        membership = Membership(
            person=person, committee=committee, role=role, grid=grid, household=household
        )
        membership.full_clean()
        membership.save()
    return membership


def residency_claim(
    *,
    person: User,
    committee: ResidentsCommittee,
    grid: Grid,
    address: str,
    real_name: str = "",
) -> Residency:
    """A signed-up person says who they are and where they live; a grid worker or staff
    member then verifies it. The real name is kept on the person (seen only by staff)."""
    if grid.committee_id != committee.pk:
        raise ValidationError(_("That grid belongs to another residents' committee."))
    if (
        Residency.objects.filter(person=person, committee=committee)
        .exclude(status=Residency.Status.REJECTED)
        .exists()
    ):
        raise ValidationError(_("You already have a claim with this residents' committee."))
    with transaction.atomic():
        if real_name.strip():
            person.real_name = real_name.strip()
            person.save(update_fields=["real_name"])
        try:
            with transaction.atomic():
                return Residency.objects.create(
                    person=person, committee=committee, grid=grid, address=address.strip()
                )
        except IntegrityError:  # a second claim sent at the same moment
            raise ValidationError(
                _("You already have a claim with this residents' committee.")
            ) from None


def _lock_pending(residency: Residency) -> Residency:
    locked = Residency.objects.select_for_update().get(pk=residency.pk)
    if locked.status != Residency.Status.PENDING:
        raise ValidationError(_("This claim has already been decided."))
    return locked


def residency_approve(*, residency: Residency, by: User) -> Residency:
    """Verify a claim: the person becomes a resident of the committee (a Membership in
    the household at that address) and is told so."""
    with transaction.atomic():
        residency = _lock_pending(residency)
        household, _created = Household.objects.get_or_create(
            grid=residency.grid, address=residency.address
        )
        residency.status = Residency.Status.APPROVED
        residency.decided_by = by
        residency.decided_at = timezone.now()
        residency.save()
        Membership.objects.create(
            person=residency.person,
            committee=residency.committee,
            role=Role.RESIDENT,
            grid=residency.grid,
            household=household,
        )
        # Stored as the msgid and its parameters: the person reads it in their language.
        notification_send(
            recipient=residency.person,
            message=gettext_lazy("%(committee)s verified that you live at %(address)s. Welcome!"),
            params={"committee": residency.committee.name, "address": residency.address},
            url=reverse("community:committee", args=[residency.committee.slug]),
        )
    return residency


def residency_reject(*, residency: Residency, by: User, reason: str) -> Residency:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the claim is rejected; the person will read it."))
    with transaction.atomic():
        residency = _lock_pending(residency)
        residency.status = Residency.Status.REJECTED
        residency.reason = reason
        residency.decided_by = by
        residency.decided_at = timezone.now()
        residency.save()
        notification_send(
            recipient=residency.person,
            message=gettext_lazy("%(committee)s could not verify your address: %(reason)s"),
            params={"committee": residency.committee.name, "reason": reason},
            url=reverse("community:claim"),
        )
    return residency


def resident_register_assisted(
    *,
    by: User,
    committee: ResidentsCommittee,
    grid: Grid,
    address: str,
    real_name: str,
    display_name: str = "",
    phone: str | None = None,
) -> User:
    """A grid worker registers a resident (often elderly) who cannot sign up alone.
    The person is verified at once, and the record says who registered them."""
    with transaction.atomic():
        person = User(
            username=f"assisted-{uuid.uuid4().hex[:16]}",
            real_name=real_name.strip(),
            display_name=display_name.strip(),
            phone=phone or None,
        )
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
        # The grid worker explained the privacy notice and the person agreed (the form
        # asks the worker to confirm it); the consent is on record like anyone's.
        consent_record(user=person)
        residency = residency_claim(person=person, committee=committee, grid=grid, address=address)
        residency.assisted_by = by
        residency.save(update_fields=["assisted_by"])
        residency_approve(residency=residency, by=by)
    return person

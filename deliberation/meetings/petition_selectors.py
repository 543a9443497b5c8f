"""Reads about petitions to convene: the support each has against the statutory shares
(Art 26, 29), and the committee's list split into open, due and answered; each in a fixed
number of queries."""

from dataclasses import dataclass

from townhall.community.models import ResidentsCommittee

from .models import Body, Petition, PetitionSignature
from .support import NO_SIGNATURES, Support, committee_bases, signature_counts


def petition_supports(committee: ResidentsCommittee, petitions) -> dict[int, Support]:
    """Support for each of `petitions` (of `committee`), by pk: three queries, whatever
    the number of petitions or signatures. A representatives' assembly petition counts
    only the representatives who signed."""
    petitions = list(petitions)
    if not petitions:
        return {}
    bases = committee_bases(committee)
    found = signature_counts(
        PetitionSignature.objects.filter(petition__in=[p.pk for p in petitions]),
        "petition_id",
        committee,
    )
    supports = {}
    for petition in petitions:
        row = {**NO_SIGNATURES, **found.get(petition.pk, {})}
        if petition.body == Body.REPRESENTATIVES:
            row["resident_signers"] = row["household_signers"] = 0
        supports[petition.pk] = Support(body=petition.body, **bases, **row)
    return supports


def petition_support(petition: Petition) -> Support:
    return petition_supports(petition.committee, [petition])[petition.pk]


def petitions_due(committee: ResidentsCommittee):
    """Reached the statutory share, and no meeting scheduled to answer them yet."""
    return committee.petitions.filter(reached_at__isnull=False, answered_by__isnull=True)


@dataclass(frozen=True)
class PetitionBoard:
    open: list[Petition]  # collecting signatures, each with `.support`
    due: list[Petition]  # the committee must convene
    answered: list[Petition]  # with `.answered_by`, the meeting


def petition_board(committee: ResidentsCommittee, answered_limit: int = 20) -> PetitionBoard:
    """The committee's petitions page, in five queries."""
    petitions = list(
        committee.petitions.filter(answered_by__isnull=True).select_related("created_by")
    )
    answered = list(
        committee.petitions.filter(answered_by__isnull=False)
        .select_related("answered_by")
        .order_by("-created_at", "-pk")[:answered_limit]
    )
    supports = petition_supports(committee, petitions)
    for petition in petitions:
        petition.support = supports[petition.pk]
    return PetitionBoard(
        open=[p for p in petitions if p.reached_at is None],
        due=[p for p in petitions if p.reached_at is not None],
        answered=answered,
    )


def signed_by(petition: Petition, user) -> bool:
    return (
        user.is_authenticated
        and PetitionSignature.objects.filter(petition=petition, person=user).exists()
    )

"""Reads about petitions to convene: the support each has against the statutory shares
(Art 26, 29), and the committee's list split into open, due and answered; each in a fixed
number of queries."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from townhall.community.models import Household, Membership, ResidentsCommittee, Role

from . import rules
from .models import Body, Petition, PetitionSignature

BASIS_LABELS = {
    "residents": lambda: _("adult residents"),
    "households": lambda: _("households"),
    "representatives": lambda: _("representatives"),
}


@dataclass(frozen=True)
class PetitionSupport:
    """A petition's signatures against the bases that count for its body."""

    body: str
    adult_residents: int
    households: int
    representatives: int
    resident_signers: int
    household_signers: int
    representative_signers: int
    signatures: int

    @property
    def counts(self) -> dict:
        return {
            "adult_residents": self.adult_residents,
            "households": self.households,
            "representatives": self.representatives,
            "resident_signers": self.resident_signers,
            "household_signers": self.household_signers,
            "representative_signers": self.representative_signers,
        }

    @property
    def verdict(self) -> rules.Verdict:
        return rules.petition_reaches_share(body=self.body, **self.counts)

    @property
    def progress(self) -> list[dict]:
        """One row per basis the body counts and that has anyone in it."""
        have_and_base = {
            "residents": (self.resident_signers, self.adult_residents),
            "households": (self.household_signers, self.households),
            "representatives": (self.representative_signers, self.representatives),
        }
        rows = []
        for basis, share in rules.PETITION_SHARES[self.body].items():
            have, base = have_and_base[basis]
            if base <= 0:
                continue
            need = _smallest(base, share)
            rows.append(
                {
                    "basis": basis,
                    "label": BASIS_LABELS[basis](),
                    "have": min(have, need),
                    "need": need,
                    "signed": have,
                }
            )
        return rows


def _smallest(base: int, share: Fraction) -> int:
    return -(-base * share.numerator // share.denominator)


def committee_bases(committee: ResidentsCommittee) -> dict:
    """Adult residents and representatives (one query), households (one query)."""
    people = (
        Membership.objects.current()
        .filter(committee=committee)
        .aggregate(
            adult_residents=Count("person", filter=Q(role=Role.RESIDENT), distinct=True),
            representatives=Count("person", filter=Q(role=Role.REPRESENTATIVE), distinct=True),
        )
    )
    households = Household.objects.filter(grid__committee=committee).count()
    return {**people, "households": households}


def petition_supports(committee: ResidentsCommittee, petitions) -> dict[int, PetitionSupport]:
    """Support for each of `petitions` (of `committee`), by pk: three queries, whatever
    the number of petitions or signatures. A representatives' assembly petition counts
    only the representatives who signed."""
    petitions = list(petitions)
    if not petitions:
        return {}
    bases = committee_bases(committee)
    holds_resident = Exists(
        Membership.objects.current().filter(
            committee=committee, role=Role.RESIDENT, person=OuterRef("person")
        )
    )
    rows = (
        PetitionSignature.objects.filter(petition__in=[p.pk for p in petitions])
        .values("petition_id")
        .annotate(
            signatures=Count("pk"),
            resident_signers=Count("pk", filter=holds_resident),
            household_signers=Count("household", distinct=True),
            representative_signers=Count("pk", filter=Q(as_representative=True)),
        )
        .order_by()
    )
    found = {row.pop("petition_id"): row for row in rows}
    supports = {}
    for petition in petitions:
        row = {
            "signatures": 0,
            "resident_signers": 0,
            "household_signers": 0,
            "representative_signers": 0,
            **found.get(petition.pk, {}),
        }
        if petition.body == Body.REPRESENTATIVES:
            row["resident_signers"] = row["household_signers"] = 0
        supports[petition.pk] = PetitionSupport(body=petition.body, **bases, **row)
    return supports


def petition_support(petition: Petition) -> PetitionSupport:
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

"""Signatures counted against Art 26's bases (adult residents, households,
representatives): shared by petitions to convene and joint proposals, in a fixed number
of queries."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from townhall.community.models import Household, Membership, ResidentsCommittee, Role

from . import rules

BASIS_LABELS = {
    "residents": lambda: _("adult residents"),
    "households": lambda: _("households"),
    "representatives": lambda: _("representatives"),
}


@dataclass(frozen=True)
class Support:
    """Signatures against the bases that count for a body (a joint proposal counts as
    one asking for the residents' assembly)."""

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


def signature_counts(signatures, group: str, committee: ResidentsCommittee) -> dict[int, dict]:
    """Per `group` value (e.g. "petition_id"): signatures, signers holding a resident
    role, distinct households, representatives. One query."""
    holds_resident = Exists(
        Membership.objects.current().filter(
            committee=committee, role=Role.RESIDENT, person=OuterRef("person")
        )
    )
    rows = (
        signatures.values(group)
        .annotate(
            signatures=Count("pk"),
            resident_signers=Count("pk", filter=holds_resident),
            household_signers=Count("household", distinct=True),
            representative_signers=Count("pk", filter=Q(as_representative=True)),
        )
        .order_by()
    )
    return {row.pop(group): row for row in rows}


NO_SIGNATURES = {
    "signatures": 0,
    "resident_signers": 0,
    "household_signers": 0,
    "representative_signers": 0,
}

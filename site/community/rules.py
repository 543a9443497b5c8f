"""Eligibility rules of the 2025 Organic Law, as pure functions of counts.

No ORM here: callers (services, admin, views) count, these decide and say why.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COMMITTEE_MIN_MEMBERS = 5
COMMITTEE_MAX_MEMBERS = 9


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


ALLOWED = Verdict(True)


def may_join_supervision(*, is_committee_member: bool, relatives_on_committee: int) -> Verdict:
    """Art 36: no committee member, nor a close relative of one, sits on the supervision
    committee."""
    if is_committee_member:
        return Verdict(
            False, _("A residents' committee member cannot sit on the supervision committee.")
        )
    if relatives_on_committee > 0:
        return Verdict(
            False,
            _(
                "A close relative of a residents' committee member cannot sit on the "
                "supervision committee."
            ),
        )
    return ALLOWED


def may_join_committee(
    *, is_supervisor: bool, relatives_on_supervision: int, current_members: int
) -> Verdict:
    """The same separation seen from the committee's side, plus the 9-member ceiling."""
    if is_supervisor:
        return Verdict(
            False,
            _("A supervision committee member cannot also be a residents' committee member."),
        )
    if relatives_on_supervision > 0:
        return Verdict(
            False,
            _(
                "This person's close relative sits on the supervision committee, so they "
                "cannot join the residents' committee."
            ),
        )
    if current_members >= COMMITTEE_MAX_MEMBERS:
        return Verdict(
            False,
            _("A residents' committee has at most %(max)d members.")
            % {"max": COMMITTEE_MAX_MEMBERS},
        )
    return ALLOWED


def may_record_relatives(*, one_on_committee: bool, other_on_supervision: bool) -> Verdict:
    """Recording a close relationship must not create a hidden conflict of interest."""
    if one_on_committee and other_on_supervision:
        return Verdict(
            False,
            _(
                "One of them is on the residents' committee and the other on the supervision "
                "committee: close relatives cannot hold both. Change the roles first."
            ),
        )
    return ALLOWED


def committee_composition(*, members: int, women: int) -> Verdict:
    """Art 17: 5 to 9 members, at least one of them a woman. Shown as a warning, since a
    committee may be short between an election and a by-election."""
    if members < COMMITTEE_MIN_MEMBERS:
        return Verdict(
            False,
            ngettext(
                "The committee has %(n)d member; the law asks for at least %(min)d.",
                "The committee has %(n)d members; the law asks for at least %(min)d.",
                members,
            )
            % {"n": members, "min": COMMITTEE_MIN_MEMBERS},
        )
    if members > COMMITTEE_MAX_MEMBERS:
        return Verdict(
            False,
            _("The committee has %(n)d members; the law allows at most %(max)d.")
            % {"n": members, "max": COMMITTEE_MAX_MEMBERS},
        )
    if women < 1:
        return Verdict(False, _("The committee has no woman member; the law requires one."))
    return ALLOWED


def representatives_share(*, representatives: int, committee_members: int) -> Verdict:
    """Art 29: representatives make up at least 4/5 of the representatives' assembly
    (the committee plus the representatives). Exact integer arithmetic."""
    assembly = representatives + committee_members
    if assembly == 0 or 5 * representatives < 4 * assembly:
        return Verdict(
            False,
            ngettext(
                "Representatives are %(reps)d of %(total)d member of the representatives' "
                "assembly; the law asks for at least four fifths.",
                "Representatives are %(reps)d of %(total)d members of the representatives' "
                "assembly; the law asks for at least four fifths.",
                assembly,
            )
            % {"reps": representatives, "total": assembly},
        )
    return ALLOWED

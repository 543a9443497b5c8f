"""The two deciding bodies of the 2025 Organic Law as pure functions of counts: quorum,
majority, petitions to convene, notice, the six-month cadence, composition and who may
amend the charter. Exact integer arithmetic; no ORM. Every view, service and the voting
app ask these, and nothing else, whether a meeting may decide and whether a motion
passed.

Art 27 (residents' assembly): more than half of its members take part; a motion passes
with more than half of those present. Art 29 (representatives' assembly): at least 2/3
of its members present; a motion passes with more than half of the members present.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _

from townhall.community.rules import ALLOWED, Verdict

from ..rules import HOUSEHOLD_SHARE, REPRESENTATIVE_SHARE, RESIDENT_SHARE, at_least_share
from .models import Body

NOTICE_DAYS = 10  # announced at least 10 days ahead, or a recorded special reason
REPRESENTATIVES_EVERY_MONTHS = 6  # the representatives' assembly meets at least this often
REPRESENTATIVES_MIN_SHARE = Fraction(4, 5)  # representatives among its members

# Who may oblige the committee to convene each body: the assembly's shares (Art 26) are
# the ones a joint proposal reaches to become a topic, so they are defined once there.
PETITION_SHARES = {
    Body.ASSEMBLY: {
        "residents": RESIDENT_SHARE,
        "households": HOUSEHOLD_SHARE,
        "representatives": REPRESENTATIVE_SHARE,
    },
    Body.REPRESENTATIVES: {"representatives": Fraction(1, 5)},
}


def more_than_half(count: int, base: int) -> bool:
    """count > base / 2, exactly: 3 of 6 is not more than half, 4 of 7 is."""
    return 2 * count > base


def quorum_met(*, body: str, members: int, present: int) -> Verdict:
    """Whether the body may decide with `present` of its `members` there."""
    if members <= 0:
        return Verdict(False, _("The body has no members on its roll."))
    if present > members:
        raise ValueError("more members present than on the roll")
    if body == Body.ASSEMBLY:
        if more_than_half(present, members):
            return ALLOWED
        return Verdict(
            False,
            _("Quorum not met: more than half of the %(members)s members must take part.")
            % {"members": members},
        )
    if 3 * present >= 2 * members:
        return ALLOWED
    return Verdict(
        False,
        _("Quorum not met: at least two thirds of the %(members)s members must be present.")
        % {"members": members},
    )


def quorum_needed(*, body: str, members: int) -> int:
    """The smallest number present that meets the quorum."""
    if body == Body.ASSEMBLY:
        return members // 2 + 1
    return -(-2 * members // 3)


@dataclass(frozen=True)
class Result:
    """A motion's outcome with its reason. `decided` is False when no vote could count
    (no quorum); then `passed` is False too, and is never reported as a pass."""

    decided: bool
    passed: bool
    reason: str
    needed: int  # yes votes needed to pass

    def __bool__(self) -> bool:
        return self.passed


def motion_result(
    *, body: str, members: int, present: int, yes: int, no: int, abstain: int
) -> Result:
    """The outcome of a vote. The base is those present: abstentions and members present
    who did not vote count against, as the law asks for more than half of those present
    (Art 27) or of the members present (Art 29). Observers are never in these numbers."""
    if min(members, present, yes, no, abstain) < 0:
        raise ValueError("counts cannot be negative")
    if yes + no + abstain > present:
        raise ValueError("more votes than members present")
    needed = present // 2 + 1
    quorum = quorum_met(body=body, members=members, present=present)
    if not quorum:
        return Result(False, False, quorum.reason, needed)
    if more_than_half(yes, present):
        return Result(
            True,
            True,
            _("Passed: %(yes)s of %(present)s present voted for it (more than half).")
            % {"yes": yes, "present": present},
            needed,
        )
    if 2 * yes == present:
        return Result(
            True,
            False,
            _("Not passed: a tie, %(yes)s of %(present)s, is not more than half.")
            % {"yes": yes, "present": present},
            needed,
        )
    return Result(
        True,
        False,
        _("Not passed: %(yes)s of %(present)s present voted for it; %(needed)s were needed.")
        % {"yes": yes, "present": present, "needed": needed},
        needed,
    )


def petition_reaches_share(
    *,
    body: str,
    adult_residents: int,
    households: int,
    representatives: int,
    resident_signers: int,
    household_signers: int,
    representative_signers: int,
) -> Verdict:
    """Art 26 and 29: the requests that oblige the committee to convene."""
    shares = PETITION_SHARES[body]
    counts = {
        "residents": (resident_signers, adult_residents),
        "households": (household_signers, households),
        "representatives": (representative_signers, representatives),
    }
    reasons = {
        "residents": _("Asked by at least 1/10 of adult residents."),
        "households": _("Asked by at least 1/10 of households."),
        "representatives": (
            _("Asked by at least 1/3 of representatives.")
            if body == Body.ASSEMBLY
            else _("Asked by at least 1/5 of representatives.")
        ),
    }
    for basis, share in shares.items():
        count, base = counts[basis]
        if at_least_share(count, base, share):
            return Verdict(True, reasons[basis])
    return Verdict(False, _("Not yet asked by the share the law requires."))


def notice_ok(*, announced_at: datetime, starts_at: datetime, reason: str) -> Verdict:
    """At least 10 full days between the announcement and the meeting, or a recorded
    special reason (the meeting is then marked as held at short notice)."""
    if starts_at <= announced_at:
        return Verdict(False, _("The meeting must start after it is announced."))
    if starts_at - announced_at >= timedelta(days=NOTICE_DAYS):
        return ALLOWED
    if reason.strip():
        return ALLOWED
    return Verdict(
        False,
        _(
            "A meeting must be announced at least %(days)s days ahead. For a shorter "
            "notice, record the special reason."
        )
        % {"days": NOTICE_DAYS},
    )


def representatives_due_by(last_held: date | None, today: date) -> date | None:
    """The date by which the next representatives' assembly must be held (six months after
    the last one); None when it has never met (then it is due now)."""
    if last_held is None:
        return None
    month = last_held.month - 1 + REPRESENTATIVES_EVERY_MONTHS
    year, month = last_held.year + month // 12, month % 12 + 1
    day = min(last_held.day, _days_in_month(year, month))
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def representatives_composition_ok(*, committee_members: int, representatives: int) -> Verdict:
    """Representatives are at least 4/5 of the representatives' assembly."""
    total = committee_members + representatives
    if total > 0 and representatives * REPRESENTATIVES_MIN_SHARE.denominator >= (
        total * REPRESENTATIVES_MIN_SHARE.numerator
    ):
        return ALLOWED
    return Verdict(
        False,
        _(
            "Representatives must be at least 4/5 of the representatives' assembly "
            "(%(reps)s representatives, %(members)s committee members)."
        )
        % {"reps": representatives, "members": committee_members},
    )


def may_amend_charter(*, body: str, authorised: bool) -> Verdict:
    """The charter and the convention are amended by the residents' assembly, or by a
    representatives' assembly it has authorised."""
    if body == Body.ASSEMBLY or authorised:
        return ALLOWED
    return Verdict(
        False,
        _(
            "Only the residents' assembly, or a representatives' assembly it has "
            "authorised, may amend the charter or the convention."
        ),
    )

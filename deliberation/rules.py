"""The rules of opinion collection and topic discussion, as pure functions of counts and
states. No ORM here: services count and ask; these decide and say why.

Law: the statutory share that obliges the committee (1/10 of adult residents or of
households, or 1/3 of representatives: Organic Law Art 26). Local policy: the seconds
threshold that flags an opinion (settings, default 30 or 1/10 of the grid's households).
"""

from fractions import Fraction

from django.utils.translation import gettext as _

from townhall.community.rules import ALLOWED, Verdict

from .opinions.models import Status
from .topics.models import Origin, PartyReview, TopicStatus

# Art 26: the shares of residents, households or representatives whose request obliges
# the committee to convene the residents' assembly.
RESIDENT_SHARE = Fraction(1, 10)
HOUSEHOLD_SHARE = Fraction(1, 10)
REPRESENTATIVE_SHARE = Fraction(1, 3)


def at_least_share(count: int, base: int, share: Fraction) -> bool:
    """count ≥ share × base, exactly; an empty base is never reached (no one to ask)."""
    return base > 0 and count * share.denominator >= base * share.numerator


def seconds_threshold(*, grid_households: int, fixed: int, household_share: Fraction) -> int:
    """Seconds needed to flag an opinion: the fixed number, or the share of the grid's
    households, whichever is lower; at least one."""
    by_households = -(-grid_households * household_share.numerator // household_share.denominator)
    return max(1, min(fixed, by_households))


def joint_proposal_reaches_threshold(
    *,
    adult_residents: int,
    households: int,
    representatives: int,
    resident_signers: int,
    household_signers: int,
    representative_signers: int,
) -> Verdict:
    """Any one of the three statutory shares is enough."""
    if at_least_share(resident_signers, adult_residents, RESIDENT_SHARE):
        return Verdict(True, _("Signed by at least 1/10 of adult residents."))
    if at_least_share(household_signers, households, HOUSEHOLD_SHARE):
        return Verdict(True, _("Signed by at least 1/10 of households."))
    if at_least_share(representative_signers, representatives, REPRESENTATIVE_SHARE):
        return Verdict(True, _("Signed by at least 1/3 of representatives."))
    return Verdict(False, _("Not yet signed by the share the law requires."))


def signatures_needed(*, adult_residents: int, households: int, representatives: int) -> dict:
    """The smallest count that reaches each share, for showing progress (None: no base)."""

    def smallest(base: int, share: Fraction) -> int | None:
        if base <= 0:
            return None
        return -(-base * share.numerator // share.denominator)

    return {
        "residents": smallest(adult_residents, RESIDENT_SHARE),
        "households": smallest(households, HOUSEHOLD_SHARE),
        "representatives": smallest(representatives, REPRESENTATIVE_SHARE),
    }


# Where an opinion may go from each status. Answered, declined, referred and merged are
# final: the committee has said what happened, and the history must not be rewritten.
OPINION_NEXT: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset(
        {Status.CONSIDERING, Status.MERGED, Status.ANSWERED, Status.DECLINED, Status.REFERRED}
    ),
    Status.CONSIDERING: frozenset(
        {Status.MERGED, Status.ANSWERED, Status.DECLINED, Status.REFERRED}
    ),
    Status.MERGED: frozenset(),
    Status.ANSWERED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.REFERRED: frozenset(),
}


def opinion_may_change(*, current: str, to: str, text: str, has_topic: bool) -> Verdict:
    if to not in OPINION_NEXT[current]:
        return Verdict(False, _("This opinion can no longer change to that status."))
    if to == Status.ANSWERED and not text.strip():
        return Verdict(False, _("Write the reply the resident will read."))
    if to == Status.DECLINED and not text.strip():
        return Verdict(False, _("Give the reason for declining: the resident will read it."))
    if to == Status.MERGED and not has_topic:
        return Verdict(False, _("Choose the topic it is merged into."))
    return ALLOWED


TOPIC_NEXT: dict[str, frozenset[str]] = {
    TopicStatus.PROPOSED: frozenset({TopicStatus.DISCUSSION}),
    TopicStatus.DISCUSSION: frozenset(
        {TopicStatus.CONSULTED, TopicStatus.SETTLED, TopicStatus.CLOSED}
    ),
    TopicStatus.CONSULTED: frozenset(
        {TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED, TopicStatus.DISCUSSION}
    ),
    # A topic sent to a decision moves on only when its decision is recorded (topic_decided),
    # never by the committee's hand: the vote decides, not the committee.
    TopicStatus.TO_DECISION: frozenset(),
    TopicStatus.DECIDED: frozenset(),
    TopicStatus.SETTLED: frozenset(),
    TopicStatus.CLOSED: frozenset(),
}


def topic_may_change(
    *,
    current: str,
    to: str,
    origin: str,
    threshold_reached: bool,
    note: str,
    consultation_opinion: str,
    party_review: str | None,
) -> Verdict:
    """`party_review` is the outcome of the latest party organisation review, if any."""
    if to not in TOPIC_NEXT[current]:
        return Verdict(False, _("This topic can no longer change to that status."))
    if to == TopicStatus.DISCUSSION and current == TopicStatus.PROPOSED and not threshold_reached:
        return Verdict(False, _("The joint proposal has not reached the share the law requires."))
    statutory = origin == Origin.JOINT_PROPOSAL and threshold_reached
    if statutory and to in (TopicStatus.SETTLED, TopicStatus.CLOSED):
        return Verdict(
            False,
            _(
                "A joint proposal that reached the statutory share must go to a decision "
                "meeting: the committee cannot settle or close it."
            ),
        )
    if to == TopicStatus.CONSULTED and not consultation_opinion.strip():
        return Verdict(False, _("Record the consultation opinion first."))
    if to in (TopicStatus.SETTLED, TopicStatus.CLOSED) and not note.strip():
        return Verdict(False, _("Say how it was settled, or why it is closed."))
    if to == TopicStatus.TO_DECISION:
        return ready_for_decision(
            consultation_opinion=consultation_opinion, party_review=party_review
        )
    return ALLOWED


def topic_may_be_decided(current: str) -> bool:
    """A decision recorded on a motion moves its topic on only from "sent to a decision":
    a second motion on the same topic, or a revision, leaves it as it is."""
    return current == TopicStatus.TO_DECISION


def ready_for_decision(*, consultation_opinion: str, party_review: str | None) -> Verdict:
    """The gate the decision stage checks (Art 30): a consultation outcome exists and the
    community party organisation's latest review agreed."""
    if not consultation_opinion.strip():
        return Verdict(False, _("The topic has no consultation opinion yet."))
    if party_review is None:
        return Verdict(False, _("The party organisation's review has not been recorded."))
    if party_review == PartyReview.Outcome.RETURNED:
        return Verdict(False, _("The party organisation returned the topic for more discussion."))
    return ALLOWED

"""The rules of opinion collection and topic discussion, read against the statute (Organic
Law Art 26, Art 30) and the local policy on seconds."""

import math
from fractions import Fraction
from itertools import product

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from deliberation.opinions.models import Status
from deliberation.rules import (
    at_least_share,
    joint_proposal_reaches_threshold,
    opinion_may_change,
    ready_for_decision,
    seconds_threshold,
    signatures_needed,
    topic_may_be_decided,
    topic_may_change,
)
from deliberation.topics.models import Origin, PartyReview, TopicStatus

TENTH = Fraction(1, 10)
THIRD = Fraction(1, 3)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# Local policy: an opinion is flagged to the committee at 30 seconds, or at 1/10 of its
# grid's households, whichever is lower; never at zero.
@pytest.mark.parametrize(
    ("households", "needed"),
    [
        (0, 1),  # an empty grid still needs one second
        (1, 1),
        (9, 1),  # 0.9 rounds up: a tenth is reached by one household
        (10, 1),
        (11, 2),  # 1.1 rounds up
        (299, 30),  # 29.9 rounds up to the fixed 30
        (300, 30),
        (301, 30),  # 30.1 would need 31: the fixed 30 is lower
        (1000, 30),
    ],
)
def test_seconds_threshold_by_default_is_30_or_a_tenth_of_households(households, needed):
    assert seconds_threshold(grid_households=households, fixed=30, household_share=TENTH) == needed


@pytest.mark.parametrize(
    ("households", "fixed", "share", "needed"),
    [
        (1000, 50, TENTH, 50),  # a committee that sets 50
        (400, 50, TENTH, 40),
        (100, 30, Fraction(1, 5), 20),  # a fifth of households
        (101, 30, Fraction(1, 5), 21),
        (1000, 0, TENTH, 1),  # a fixed 0 still needs one second
        (1000, 1, TENTH, 1),
        (7, 30, Fraction(1, 1), 7),  # every household
    ],
)
def test_seconds_threshold_follows_other_configured_values(households, fixed, share, needed):
    assert (
        seconds_threshold(grid_households=households, fixed=fixed, household_share=share) == needed
    )


@pytest.mark.parametrize(
    ("count", "base", "share", "reached"),
    [
        (10, 100, TENTH, True),  # exactly a tenth
        (9, 100, TENTH, False),  # one short
        (11, 100, TENTH, True),
        (1, 9, TENTH, True),  # a tenth of 9 is 0.9
        (0, 9, TENTH, False),
        (2, 11, TENTH, True),  # a tenth of 11 is 1.1
        (1, 11, TENTH, False),
        (1, 3, THIRD, True),  # exactly a third
        (0, 3, THIRD, False),
        (34, 100, THIRD, True),  # a third of 100 is 33.3…
        (33, 100, THIRD, False),
        (0, 0, TENTH, False),  # no one to ask: never reached
        (5, 0, TENTH, False),
    ],
)
def test_at_least_share_is_exact_at_every_boundary(count, base, share, reached):
    assert at_least_share(count, base, share) is reached


BASES = dict(adult_residents=2000, households=800, representatives=30)
NOBODY = dict(resident_signers=0, household_signers=0, representative_signers=0)


@pytest.mark.parametrize(
    ("signers", "reached", "reason"),
    [
        ({"resident_signers": 200}, True, "Signed by at least 1/10 of adult residents."),
        ({"resident_signers": 199}, False, "Not yet signed by the share the law requires."),
        ({"household_signers": 80}, True, "Signed by at least 1/10 of households."),
        ({"household_signers": 79}, False, "Not yet signed by the share the law requires."),
        ({"representative_signers": 10}, True, "Signed by at least 1/3 of representatives."),
        ({"representative_signers": 9}, False, "Not yet signed by the share the law requires."),
        # Shares do not add up: each basis is counted on its own (Art 26 says "or").
        (
            {"resident_signers": 199, "household_signers": 79, "representative_signers": 9},
            False,
            "Not yet signed by the share the law requires.",
        ),
        ({}, False, "Not yet signed by the share the law requires."),
    ],
)
def test_joint_proposal_reaches_threshold_on_any_one_statutory_share(signers, reached, reason):
    verdict = joint_proposal_reaches_threshold(**BASES, **(NOBODY | signers))

    assert verdict.ok is reached
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("bases", "signers", "reached"),
    [
        # A committee with no representatives recorded: only residents or households count.
        (dict(adult_residents=2000, households=800, representatives=0), {}, False),
        (
            dict(adult_residents=2000, households=800, representatives=0),
            {"household_signers": 80},
            True,
        ),
        # No bases recorded at all: nothing reaches a share of nobody.
        (
            dict(adult_residents=0, households=0, representatives=0),
            {"resident_signers": 5, "household_signers": 5, "representative_signers": 5},
            False,
        ),
        # Only the representatives' basis exists.
        (
            dict(adult_residents=0, households=0, representatives=3),
            {"representative_signers": 1},
            True,
        ),
    ],
)
def test_joint_proposal_with_an_empty_basis_counts_only_the_others(bases, signers, reached):
    assert joint_proposal_reaches_threshold(**bases, **(NOBODY | signers)).ok is reached


@pytest.mark.parametrize(
    ("bases", "needed"),
    [
        (
            dict(adult_residents=2000, households=800, representatives=30),
            {"residents": 200, "households": 80, "representatives": 10},
        ),
        (
            dict(adult_residents=2001, households=801, representatives=31),
            {"residents": 201, "households": 81, "representatives": 11},
        ),
        (
            dict(adult_residents=1, households=9, representatives=1),
            {"residents": 1, "households": 1, "representatives": 1},
        ),
        (
            dict(adult_residents=0, households=0, representatives=0),
            {"residents": None, "households": None, "representatives": None},
        ),
    ],
)
def test_signatures_needed_is_the_smallest_count_that_reaches_each_share(bases, needed):
    assert signatures_needed(**bases) == needed


# Brute force against the rules: the share read as rational numbers, and the smallest
# count found by trying every count from zero.
shares = st.sampled_from([TENTH, THIRD, Fraction(1, 5), Fraction(1, 2), Fraction(1, 1)])
bases = st.integers(min_value=0, max_value=5000)


def reference_reached(count: int, base: int, share: Fraction) -> bool:
    return base > 0 and Fraction(count, base) >= share


@given(count=st.integers(min_value=0, max_value=6000), base=bases, share=shares)
def test_at_least_share_agrees_with_rational_arithmetic(count, base, share):
    assert at_least_share(count, base, share) is reference_reached(count, base, share)


@given(count=st.integers(min_value=0, max_value=6000), base=bases, share=shares)
def test_reaching_a_share_never_stops_with_one_more_signer(count, base, share):
    if at_least_share(count, base, share):
        assert at_least_share(count + 1, base, share)


@given(residents=bases, households=bases, representatives=st.integers(0, 300))
def test_signatures_needed_is_exactly_the_boundary(residents, households, representatives):
    needed = signatures_needed(
        adult_residents=residents, households=households, representatives=representatives
    )

    for key, base, share in (
        ("residents", residents, TENTH),
        ("households", households, TENTH),
        ("representatives", representatives, THIRD),
    ):
        if base == 0:
            assert needed[key] is None
            continue
        smallest = next(n for n in range(base + 1) if reference_reached(n, base, share))
        assert needed[key] == smallest


@given(
    residents=bases,
    households=bases,
    representatives=st.integers(0, 300),
    resident_signers=st.integers(0, 6000),
    household_signers=st.integers(0, 6000),
    representative_signers=st.integers(0, 400),
)
def test_joint_proposal_is_reached_exactly_when_one_basis_is(
    residents,
    households,
    representatives,
    resident_signers,
    household_signers,
    representative_signers,
):
    verdict = joint_proposal_reaches_threshold(
        adult_residents=residents,
        households=households,
        representatives=representatives,
        resident_signers=resident_signers,
        household_signers=household_signers,
        representative_signers=representative_signers,
    )

    assert verdict.ok is (
        reference_reached(resident_signers, residents, TENTH)
        or reference_reached(household_signers, households, TENTH)
        or reference_reached(representative_signers, representatives, THIRD)
    )


@given(households=st.integers(0, 10_000), fixed=st.integers(0, 500), share=shares)
def test_seconds_threshold_is_the_lower_of_fixed_and_share_and_at_least_one(
    households, fixed, share
):
    by_share = math.ceil(households * share)

    assert seconds_threshold(grid_households=households, fixed=fixed, household_share=share) == max(
        1, min(fixed, by_share)
    )


# Where an opinion may go, given the text each move needs. Answered, declined, referred and
# merged are final: the committee has said what happened.
OPINION_ALLOWED = {
    (Status.SUBMITTED, Status.CONSIDERING),
    (Status.SUBMITTED, Status.MERGED),
    (Status.SUBMITTED, Status.ANSWERED),
    (Status.SUBMITTED, Status.DECLINED),
    (Status.SUBMITTED, Status.REFERRED),
    (Status.CONSIDERING, Status.MERGED),
    (Status.CONSIDERING, Status.ANSWERED),
    (Status.CONSIDERING, Status.DECLINED),
    (Status.CONSIDERING, Status.REFERRED),
}


@pytest.mark.parametrize(("current", "to"), list(product(Status, Status)))
def test_opinion_may_change_only_along_the_table(current, to):
    verdict = opinion_may_change(current=current, to=to, text="已安排维修。", has_topic=True)

    assert verdict.ok is ((current, to) in OPINION_ALLOWED)
    if not verdict.ok:
        assert verdict.reason == "This opinion can no longer change to that status."


@pytest.mark.parametrize(
    ("to", "text", "has_topic", "reason"),
    [
        (Status.ANSWERED, "", False, "Write the reply the resident will read."),
        (Status.ANSWERED, "   ", False, "Write the reply the resident will read."),
        (
            Status.DECLINED,
            "",
            False,
            "Give the reason for declining: the resident will read it.",
        ),
        (
            Status.DECLINED,
            "\n",
            False,
            "Give the reason for declining: the resident will read it.",
        ),
        (Status.MERGED, "重复意见", False, "Choose the topic it is merged into."),
    ],
)
def test_opinion_change_needs_its_text_or_topic(to, text, has_topic, reason):
    verdict = opinion_may_change(current=Status.SUBMITTED, to=to, text=text, has_topic=has_topic)

    assert not verdict.ok
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("to", "text", "has_topic"),
    [
        (Status.CONSIDERING, "", False),
        (Status.REFERRED, "", False),  # the referral note is optional
        (Status.MERGED, "", True),
        (Status.ANSWERED, "已安排维修。", False),
        (Status.DECLINED, "属于物业维修范围。", False),
    ],
)
def test_opinion_change_with_what_it_needs_is_allowed(to, text, has_topic):
    assert opinion_may_change(current=Status.SUBMITTED, to=to, text=text, has_topic=has_topic)


# Where a topic may go when everything each move needs is there: the consultation
# opinion, a note, an agreeing party review, a reached threshold.
TOPIC_ALLOWED = {
    (TopicStatus.PROPOSED, TopicStatus.DISCUSSION),
    (TopicStatus.DISCUSSION, TopicStatus.CONSULTED),
    (TopicStatus.DISCUSSION, TopicStatus.SETTLED),
    (TopicStatus.DISCUSSION, TopicStatus.CLOSED),
    (TopicStatus.CONSULTED, TopicStatus.TO_DECISION),
    (TopicStatus.CONSULTED, TopicStatus.SETTLED),
    (TopicStatus.CONSULTED, TopicStatus.CLOSED),
    (TopicStatus.CONSULTED, TopicStatus.DISCUSSION),  # back for more discussion
}

EVERYTHING_THERE = dict(
    origin=Origin.COMMITTEE,
    threshold_reached=True,
    note="由居委会协调物业办理。",
    consultation_opinion="先改造3栋。",
    party_review=PartyReview.Outcome.AGREED,
)


@pytest.mark.parametrize(("current", "to"), list(product(TopicStatus, TopicStatus)))
def test_topic_may_change_only_along_the_table(current, to):
    verdict = topic_may_change(current=current, to=to, **EVERYTHING_THERE)

    assert verdict.ok is ((current, to) in TOPIC_ALLOWED)
    if not verdict.ok:
        assert verdict.reason == "This topic can no longer change to that status."


# A recorded decision moves its topic on from "sent to a decision" only; "decided" is never
# the committee's to choose, and nothing moves a decided topic by hand.
DECIDED_FROM = {TopicStatus.TO_DECISION}


@pytest.mark.parametrize("current", list(TopicStatus))
def test_a_recorded_decision_decides_only_a_topic_sent_to_a_decision(current):
    assert topic_may_be_decided(current) is (current in DECIDED_FROM)


@pytest.mark.parametrize("current", list(TopicStatus))
def test_no_topic_is_decided_or_leaves_decided_by_the_committees_hand(current):
    assert not topic_may_change(current=current, to=TopicStatus.DECIDED, **EVERYTHING_THERE)
    assert not topic_may_change(current=TopicStatus.DECIDED, to=current, **EVERYTHING_THERE)


def topic_change(current, to, **changes):
    return topic_may_change(current=current, to=to, **(EVERYTHING_THERE | changes))


def test_joint_proposal_short_of_the_share_cannot_go_to_discussion():
    verdict = topic_change(
        TopicStatus.PROPOSED,
        TopicStatus.DISCUSSION,
        origin=Origin.JOINT_PROPOSAL,
        threshold_reached=False,
    )

    assert not verdict.ok
    assert verdict.reason == "The joint proposal has not reached the share the law requires."


def test_joint_proposal_that_reached_the_share_goes_to_discussion():
    assert topic_change(
        TopicStatus.PROPOSED, TopicStatus.DISCUSSION, origin=Origin.JOINT_PROPOSAL
    ).ok


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (TopicStatus.DISCUSSION, TopicStatus.SETTLED),
        (TopicStatus.DISCUSSION, TopicStatus.CLOSED),
        (TopicStatus.CONSULTED, TopicStatus.SETTLED),
        (TopicStatus.CONSULTED, TopicStatus.CLOSED),
    ],
)
def test_statutory_joint_proposal_cannot_be_settled_or_closed_by_the_committee(current, to):
    verdict = topic_change(current, to, origin=Origin.JOINT_PROPOSAL)

    assert not verdict.ok
    assert verdict.reason.startswith("A joint proposal that reached the statutory share")


def test_statutory_joint_proposal_can_go_to_a_decision():
    assert topic_change(
        TopicStatus.CONSULTED, TopicStatus.TO_DECISION, origin=Origin.JOINT_PROPOSAL
    ).ok


def test_topic_reaches_consulted_only_with_a_consultation_opinion():
    verdict = topic_change(TopicStatus.DISCUSSION, TopicStatus.CONSULTED, consultation_opinion=" ")

    assert not verdict.ok
    assert verdict.reason == "Record the consultation opinion first."


@pytest.mark.parametrize("to", [TopicStatus.SETTLED, TopicStatus.CLOSED])
def test_settling_or_closing_a_topic_needs_a_note(to):
    verdict = topic_change(TopicStatus.DISCUSSION, to, note="  ")

    assert not verdict.ok
    assert verdict.reason == "Say how it was settled, or why it is closed."


@pytest.mark.parametrize(
    ("consultation_opinion", "party_review", "ok", "reason"),
    [
        ("先改造3栋。", PartyReview.Outcome.AGREED, True, ""),
        ("先改造3栋。", PartyReview.Outcome.AGREED_WITH_CHANGES, True, ""),
        (
            "先改造3栋。",
            PartyReview.Outcome.RETURNED,
            False,
            "The party organisation returned the topic for more discussion.",
        ),
        (
            "先改造3栋。",
            None,
            False,
            "The party organisation's review has not been recorded.",
        ),
        ("", PartyReview.Outcome.AGREED, False, "The topic has no consultation opinion yet."),
        ("  ", None, False, "The topic has no consultation opinion yet."),
    ],
)
def test_ready_for_decision_needs_a_consultation_opinion_and_an_agreeing_party_review(
    consultation_opinion, party_review, ok, reason
):
    verdict = ready_for_decision(
        consultation_opinion=consultation_opinion, party_review=party_review
    )

    assert verdict.ok is ok
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("party_review", "ok"),
    [
        (PartyReview.Outcome.AGREED, True),
        (PartyReview.Outcome.AGREED_WITH_CHANGES, True),
        (PartyReview.Outcome.RETURNED, False),
        (None, False),
    ],
)
def test_topic_goes_to_a_decision_only_through_the_party_review_gate(party_review, ok):
    verdict = topic_change(
        TopicStatus.CONSULTED, TopicStatus.TO_DECISION, party_review=party_review
    )

    assert verdict.ok is ok


def test_topic_without_consultation_opinion_cannot_go_to_a_decision():
    verdict = topic_change(TopicStatus.CONSULTED, TopicStatus.TO_DECISION, consultation_opinion="")

    assert not verdict.ok
    assert verdict.reason == "The topic has no consultation opinion yet."


def test_returned_topic_may_go_back_to_discussion():
    assert topic_change(
        TopicStatus.CONSULTED, TopicStatus.DISCUSSION, party_review=PartyReview.Outcome.RETURNED
    ).ok

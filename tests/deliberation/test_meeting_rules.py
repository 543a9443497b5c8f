"""The law of the two deciding bodies, read against its wording (Organic Law Arts 26-30):
quorum and majority tables, petitions to convene, notice, the six-month cadence, the
representatives' share and who may amend the charter; hypothesis checks the arithmetic
against a brute-force reference in exact fractions."""

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from deliberation.meetings.models import Body
from deliberation.meetings.rules import (
    may_amend_charter,
    motion_result,
    notice_ok,
    petition_reaches_share,
    quorum_met,
    quorum_needed,
    representatives_composition_ok,
    representatives_due_by,
)

A = Body.ASSEMBLY  # Art 27: quorum more than half of members; more than half of present
R = Body.REPRESENTATIVES  # Art 29: quorum at least 2/3 of members; more than half present
HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# Quorum and majority -------------------------------------------------------------------

# body, members, present, yes, no, abstain → decided, passed. `present` counts members of
# the roll who are checked in at the vote: observers never appear in these numbers, and a
# member who checked out before the vote is no longer present.
CASES = [
    # Residents' assembly quorum: "more than half of its members".
    pytest.param(A, 100, 50, 50, 0, 0, False, False, id="assembly-exactly-half-no-quorum"),
    pytest.param(A, 100, 51, 51, 0, 0, True, True, id="assembly-51-of-100-quorum"),
    pytest.param(A, 101, 50, 50, 0, 0, False, False, id="assembly-odd-roll-50-of-101"),
    pytest.param(A, 101, 51, 26, 25, 0, True, True, id="assembly-odd-roll-51-of-101"),
    pytest.param(A, 1, 1, 1, 0, 0, True, True, id="assembly-roll-of-one"),
    pytest.param(A, 1, 0, 0, 0, 0, False, False, id="assembly-roll-of-one-absent"),
    pytest.param(A, 2, 1, 1, 0, 0, False, False, id="assembly-one-of-two-is-half"),
    # Residents' assembly majority: "more than half of those present".
    pytest.param(A, 100, 60, 30, 30, 0, True, False, id="assembly-tie-fails"),
    pytest.param(A, 100, 60, 31, 29, 0, True, True, id="assembly-one-more-than-half"),
    pytest.param(A, 100, 61, 30, 31, 0, True, False, id="assembly-odd-present-30-of-61"),
    pytest.param(A, 100, 61, 31, 30, 0, True, True, id="assembly-odd-present-31-of-61"),
    pytest.param(A, 100, 60, 30, 10, 20, True, False, id="assembly-abstentions-count-against"),
    pytest.param(A, 100, 60, 29, 0, 0, True, False, id="assembly-silent-members-count-against"),
    pytest.param(A, 100, 60, 31, 0, 0, True, True, id="assembly-majority-of-present-not-voters"),
    pytest.param(A, 100, 60, 0, 0, 60, True, False, id="assembly-all-abstain"),
    pytest.param(A, 100, 60, 0, 0, 0, True, False, id="assembly-nobody-votes"),
    pytest.param(A, 100, 100, 100, 0, 0, True, True, id="assembly-unanimous-full-house"),
    pytest.param(A, 100, 50, 50, 0, 0, False, False, id="assembly-checkouts-leave-half"),
    pytest.param(A, 1000, 501, 251, 250, 0, True, True, id="assembly-large-roll-boundary"),
    pytest.param(A, 1000, 500, 500, 0, 0, False, False, id="assembly-large-roll-half"),
    # Representatives' assembly quorum: "at least 2/3 of its members".
    pytest.param(R, 30, 20, 11, 9, 0, True, True, id="reps-20-of-30-is-two-thirds"),
    pytest.param(R, 30, 19, 19, 0, 0, False, False, id="reps-19-of-30-short"),
    pytest.param(R, 31, 21, 11, 10, 0, True, True, id="reps-odd-roll-21-of-31"),
    pytest.param(R, 31, 20, 20, 0, 0, False, False, id="reps-odd-roll-20-of-31"),
    pytest.param(R, 3, 2, 2, 0, 0, True, True, id="reps-two-of-three"),
    pytest.param(R, 3, 1, 1, 0, 0, False, False, id="reps-one-of-three"),
    pytest.param(R, 1, 1, 1, 0, 0, True, True, id="reps-roll-of-one"),
    # Representatives' assembly majority: "more than half of the members present".
    pytest.param(R, 30, 20, 10, 10, 0, True, False, id="reps-tie-fails"),
    pytest.param(R, 30, 20, 10, 5, 5, True, False, id="reps-abstentions-count-against"),
    pytest.param(R, 30, 21, 11, 0, 0, True, True, id="reps-11-of-21-present"),
    pytest.param(R, 30, 21, 10, 0, 0, True, False, id="reps-silent-members-count-against"),
    pytest.param(R, 30, 30, 15, 15, 0, True, False, id="reps-full-house-tie"),
    pytest.param(R, 30, 19, 19, 0, 0, False, False, id="reps-checkout-loses-quorum-no-pass"),
    # Zero roll: nobody to decide; never a pass.
    pytest.param(A, 0, 0, 0, 0, 0, False, False, id="assembly-zero-roll"),
    pytest.param(R, 0, 0, 0, 0, 0, False, False, id="reps-zero-roll"),
]


@pytest.mark.parametrize(
    ("body", "members", "present", "yes", "no", "abstain", "decided", "passed"), CASES
)
def test_motion_result_follows_the_law(body, members, present, yes, no, abstain, decided, passed):
    result = motion_result(
        body=body, members=members, present=present, yes=yes, no=no, abstain=abstain
    )

    assert (result.decided, result.passed) == (decided, passed)
    assert bool(result) is passed
    assert result.reason


def test_table_has_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("observers", [0, 1, 50, 500])
def test_observers_change_nothing(observers):
    """Observers attend but are on no roll: the same members and present whatever their
    number. The platform leaves them out of the counts; the result stays the same."""
    members, present = 100, 51

    result = motion_result(body=A, members=members, present=present, yes=26, no=25, abstain=0)

    assert (result.decided, result.passed) == (True, True)
    assert not quorum_met(body=A, members=members, present=50)  # observers do not top it up


def test_member_who_checks_out_before_the_vote_can_cost_the_quorum():
    at_opening = motion_result(body=R, members=30, present=20, yes=20, no=0, abstain=0)
    after_one_left = motion_result(body=R, members=30, present=19, yes=19, no=0, abstain=0)

    assert at_opening.passed
    assert not after_one_left.decided
    assert not after_one_left.passed
    assert "Quorum not met" in after_one_left.reason


def test_no_quorum_reason_names_the_roll():
    result = motion_result(body=A, members=100, present=50, yes=50, no=0, abstain=0)

    assert result.reason == ("Quorum not met: more than half of the 100 members must take part.")


def test_tie_is_explained():
    result = motion_result(body=A, members=10, present=6, yes=3, no=3, abstain=0)

    assert "tie" in result.reason


@pytest.mark.parametrize("body", [A, R])
def test_more_present_than_members_is_an_error(body):
    with pytest.raises(ValueError):
        quorum_met(body=body, members=10, present=11)
    with pytest.raises(ValueError):
        motion_result(body=body, members=10, present=11, yes=6, no=0, abstain=0)


@pytest.mark.parametrize(
    ("yes", "no", "abstain"), [(6, 5, 0), (4, 4, 3), (-1, 0, 0), (0, -1, 0), (0, 0, -1)]
)
def test_impossible_vote_counts_are_errors(yes, no, abstain):
    with pytest.raises(ValueError):
        motion_result(body=A, members=20, present=10, yes=yes, no=no, abstain=abstain)


@pytest.mark.parametrize(
    ("body", "members", "needed"),
    [
        (A, 100, 51),
        (A, 101, 51),
        (A, 1, 1),
        (A, 2, 2),
        (R, 30, 20),
        (R, 31, 21),
        (R, 3, 2),
        (R, 1, 1),
        (R, 4, 3),
    ],
)
def test_quorum_needed(body, members, needed):
    assert quorum_needed(body=body, members=members) == needed


def _reference(body, members, present, yes):
    """The law read literally, in exact fractions."""
    if members == 0:
        return False, False
    share = Fraction(present, members)
    quorum = share > HALF if body == A else share >= TWO_THIRDS
    if not quorum:
        return False, False
    return True, Fraction(yes, present) > HALF


@st.composite
def votes(draw):
    body = draw(st.sampled_from([A, R]))
    members = draw(st.integers(0, 300))
    present = draw(st.integers(0, members))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return body, members, present, yes, no, abstain


@given(votes())
def test_motion_result_matches_reference(vote):
    body, members, present, yes, no, abstain = vote
    with translation.override("en"):
        result = motion_result(
            body=body, members=members, present=present, yes=yes, no=no, abstain=abstain
        )

    assert (result.decided, result.passed) == _reference(body, members, present, yes)
    assert not (result.passed and not result.decided)


@given(votes())
def test_result_needed_is_the_pass_mark(vote):
    body, members, present, yes, no, abstain = vote
    with translation.override("en"):
        result = motion_result(
            body=body, members=members, present=present, yes=yes, no=no, abstain=abstain
        )

    if result.decided:
        assert result.passed == (yes >= result.needed)


@given(st.sampled_from([A, R]), st.integers(1, 500))
def test_quorum_needed_is_the_exact_boundary(body, members):
    needed = quorum_needed(body=body, members=members)

    assert 1 <= needed <= members
    with translation.override("en"):
        assert quorum_met(body=body, members=members, present=needed)
        assert not quorum_met(body=body, members=members, present=needed - 1)


@given(votes())
def test_one_more_yes_never_turns_a_pass_into_a_fail(vote):
    body, members, present, yes, no, abstain = vote
    if no == 0:
        return
    with translation.override("en"):
        before = motion_result(
            body=body, members=members, present=present, yes=yes, no=no, abstain=abstain
        )
        after = motion_result(
            body=body, members=members, present=present, yes=yes + 1, no=no - 1, abstain=abstain
        )

    assert after.decided == before.decided
    assert after.passed >= before.passed


@given(st.sampled_from([A, R]), st.integers(1, 300), st.data())
def test_more_present_never_loses_the_quorum(body, members, data):
    present = data.draw(st.integers(0, members - 1))
    with translation.override("en"):
        if quorum_met(body=body, members=members, present=present):
            assert quorum_met(body=body, members=members, present=present + 1)


# Petitions to convene (Art 26, Art 29) -------------------------------------------------


def _petition(body, *, residents=0, households=0, reps=0, rs=0, hs=0, ps=0):
    return petition_reaches_share(
        body=body,
        adult_residents=residents,
        households=households,
        representatives=reps,
        resident_signers=rs,
        household_signers=hs,
        representative_signers=ps,
    )


@pytest.mark.parametrize(
    ("body", "counts", "reached"),
    [
        # Residents' assembly: 1/10 of adult residents ...
        (A, {"residents": 100, "rs": 10}, True),
        (A, {"residents": 100, "rs": 9}, False),
        (A, {"residents": 101, "rs": 10}, False),
        (A, {"residents": 101, "rs": 11}, True),
        (A, {"residents": 5, "rs": 1}, True),
        # ... or 1/10 of households ...
        (A, {"households": 40, "hs": 4}, True),
        (A, {"households": 40, "hs": 3}, False),
        (A, {"households": 41, "hs": 4}, False),
        # ... or 1/3 of representatives.
        (A, {"reps": 30, "ps": 10}, True),
        (A, {"reps": 30, "ps": 9}, False),
        (A, {"reps": 10, "ps": 4}, True),
        (A, {"reps": 10, "ps": 3}, False),
        # Any one basis is enough.
        (A, {"residents": 100, "rs": 1, "households": 40, "hs": 4}, True),
        # Representatives' assembly: 1/5 of representatives, and nothing else.
        (R, {"reps": 30, "ps": 6}, True),
        (R, {"reps": 30, "ps": 5}, False),
        (R, {"reps": 11, "ps": 3}, True),
        (R, {"reps": 11, "ps": 2}, False),
        (R, {"residents": 100, "rs": 100, "households": 40, "hs": 40}, False),
        # Nobody to count against: never reached.
        (A, {}, False),
        (R, {}, False),
    ],
)
def test_petition_reaches_share(body, counts, reached):
    verdict = _petition(body, **counts)

    assert bool(verdict) is reached
    assert verdict.reason


def test_petition_reason_names_the_share():
    assert _petition(A, reps=30, ps=10).reason == "Asked by at least 1/3 of representatives."
    assert _petition(R, reps=30, ps=6).reason == "Asked by at least 1/5 of representatives."
    assert _petition(A, households=10, hs=1).reason == "Asked by at least 1/10 of households."


# Notice: at least 10 days ahead, or a recorded special reason -------------------------

ANNOUNCED = datetime(2025, 3, 1, 9, 0)


@pytest.mark.parametrize(
    ("ahead", "reason", "ok"),
    [
        (timedelta(days=10), "", True),
        (timedelta(days=10) - timedelta(seconds=1), "", False),
        (timedelta(days=10) - timedelta(seconds=1), "暴雨抢修，需立即决定", True),
        (timedelta(days=30), "", True),
        (timedelta(hours=2), "", False),
        (timedelta(hours=2), "Burst pipe must be decided today", True),
        (timedelta(days=3), "   ", False),
        (timedelta(0), "urgent", False),
        (-timedelta(days=1), "urgent", False),
    ],
)
def test_notice(ahead, reason, ok):
    verdict = notice_ok(announced_at=ANNOUNCED, starts_at=ANNOUNCED + ahead, reason=reason)

    assert bool(verdict) is ok
    if not ok:
        assert verdict.reason


# The representatives' assembly meets at least every six months -----------------------


@pytest.mark.parametrize(
    ("last_held", "due_by"),
    [
        (date(2025, 1, 15), date(2025, 7, 15)),
        (date(2025, 7, 1), date(2026, 1, 1)),
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),  # leap year
        (date(2023, 8, 29), date(2024, 2, 29)),
        (date(2024, 8, 29), date(2025, 2, 28)),
        (date(2024, 12, 31), date(2025, 6, 30)),
        (date(2025, 3, 31), date(2025, 9, 30)),
        (date(2025, 6, 30), date(2025, 12, 30)),
        (date(2025, 10, 31), date(2026, 4, 30)),
        (date(2024, 2, 29), date(2024, 8, 29)),
    ],
)
def test_representatives_due_by(last_held, due_by):
    assert representatives_due_by(last_held, date(2025, 1, 1)) == due_by


def test_representatives_never_held_are_due_now():
    assert representatives_due_by(None, date(2025, 1, 1)) is None


# Composition: representatives are at least 4/5 of the representatives' assembly -------


@pytest.mark.parametrize(
    ("committee_members", "representatives", "ok"),
    [
        (5, 20, True),  # exactly 4/5
        (5, 19, False),
        (5, 21, True),
        (7, 28, True),
        (7, 27, False),
        (0, 1, True),
        (1, 0, False),
        (0, 0, False),
    ],
)
def test_representatives_composition(committee_members, representatives, ok):
    verdict = representatives_composition_ok(
        committee_members=committee_members, representatives=representatives
    )

    assert bool(verdict) is ok
    if not ok:
        assert "4/5" in verdict.reason


# Amending the charter or the convention ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "authorised", "ok"),
    [(A, False, True), (A, True, True), (R, False, False), (R, True, True)],
)
def test_may_amend_charter(body, authorised, ok):
    assert bool(may_amend_charter(body=body, authorised=authorised)) is ok

"""The rules of a poll, read like the statute: the voting window to the microsecond, what
a ballot may contain, written proxies (at most three, no chains, never for
representatives), named votes only for representatives, the majority base of each body,
and outcomes where a tie and a missed quorum are never a pass. Hypothesis checks the
arithmetic against brute-force references in exact fractions."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import combinations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from deliberation.meetings.models import Body
from deliberation.meetings.rules import Result
from voting.models import Poll
from voting.rules import (
    MAX_PROXIES,
    base_allowed,
    choice_outcome,
    content_verdict,
    graded_outcome,
    named_allowed,
    proxy_verdict,
    second_official_verdict,
    window_state,
    window_verdict,
    yes_no_outcome,
)

A = Body.ASSEMBLY
R = Body.REPRESENTATIVES
CONSULTATION = ""
M = Poll.Method
E = Poll.Electorate
B = Poll.Base
HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
US = timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# The window ----------------------------------------------------------------------------

# 12:00 UTC is 20:00 in the site's time zone (Asia/Shanghai), which the voter reads.
OPENS = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
CLOSES = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def window(now, *, opens_at=OPENS, closes_at=CLOSES, closed_at=None):
    return window_verdict(now=now, opens_at=opens_at, closes_at=closes_at, closed_at=closed_at)


@pytest.mark.parametrize(
    ("now", "opens_at", "closed_at", "ok"),
    [
        pytest.param(OPENS - US, OPENS, None, False, id="a-microsecond-before-opening"),
        pytest.param(OPENS, OPENS, None, True, id="at-the-opening-instant"),
        pytest.param(CLOSES - US, OPENS, None, True, id="a-microsecond-before-closing"),
        pytest.param(CLOSES, OPENS, None, False, id="at-the-closing-instant"),
        pytest.param(CLOSES + timedelta(seconds=1), OPENS, None, False, id="a-second-late"),
        pytest.param(OPENS + timedelta(hours=1), None, None, False, id="never-opened"),
        pytest.param(
            OPENS + timedelta(hours=2), OPENS, OPENS + timedelta(hours=1), False, id="closed-early"
        ),
    ],
)
def test_ballots_are_taken_from_opening_until_just_before_closing(now, opens_at, closed_at, ok):
    assert bool(window(now, opens_at=opens_at, closed_at=closed_at)) is ok


def test_a_ballot_a_second_late_is_told_when_voting_closed_in_local_time():
    verdict = window(CLOSES + timedelta(seconds=1))
    assert not verdict
    assert verdict.reason == (
        "Voting closed at 2026-03-01 20:00. Your ballot arrived too late and was not counted."
    )


def test_an_early_close_names_the_moment_it_was_closed():
    verdict = window(OPENS + timedelta(hours=3), closed_at=OPENS + timedelta(hours=2, seconds=5))
    assert "Voting closed at 2026-03-01 10:00:05." in verdict.reason


def test_a_count_after_the_closing_time_still_says_voting_closed_on_time():
    # The lazy count stamps closed_at when the poll is first read after closes_at.
    verdict = window(CLOSES + timedelta(hours=1), closed_at=CLOSES + timedelta(minutes=30))
    assert "Voting closed at 2026-03-01 20:00." in verdict.reason


def test_an_early_voter_is_told_when_voting_opens():
    verdict = window(OPENS - US)
    assert verdict.reason == "Voting has not opened yet: it opens at 2026-03-01 08:00."
    assert window(OPENS, opens_at=None).reason == "Voting has not opened yet."


def test_window_state_names_the_refusal_for_the_service():
    assert window_state(now=OPENS - US, opens_at=OPENS, closes_at=CLOSES, closed_at=None) == (
        "not_open"
    )
    assert window_state(now=OPENS, opens_at=OPENS, closes_at=CLOSES, closed_at=None) == "open"
    assert window_state(now=CLOSES, opens_at=OPENS, closes_at=CLOSES, closed_at=None) == "closed"
    # A poll past its closing time is closed even if it never opened.
    assert window_state(now=CLOSES, opens_at=None, closes_at=CLOSES, closed_at=None) == "closed"


@given(
    now=st.datetimes(timezones=st.just(UTC)),
    opens_offset=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    length=st.timedeltas(min_value=US, max_value=timedelta(days=30)),
    early=st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))),
)
def test_a_ballot_counts_exactly_inside_the_half_open_window(now, opens_offset, length, early):
    opens_at = datetime(2026, 1, 1, tzinfo=UTC) + opens_offset
    closes_at = opens_at + length
    closed_at = None if early is None else opens_at + early
    with translation.override("en"):
        verdict = window_verdict(
            now=now, opens_at=opens_at, closes_at=closes_at, closed_at=closed_at
        )
    assert bool(verdict) is (opens_at <= now < closes_at and closed_at is None)


# What a ballot may contain ------------------------------------------------------------

OPTIONS = {11, 12, 13, 14}
SUBJECTS = {21, 22}


def ballot(method, content, *, min_choices=1, max_choices=1, paper=False):
    return content_verdict(
        method=method,
        content=content,
        option_ids=OPTIONS,
        subject_ids=SUBJECTS,
        min_choices=min_choices,
        max_choices=max_choices,
        paper=paper,
    )


@pytest.mark.parametrize(
    ("method", "content", "ok"),
    [
        pytest.param(M.YES_NO, {"options": [11]}, True, id="yes-no-one-option"),
        pytest.param(M.YES_NO, {"options": []}, False, id="yes-no-nothing-chosen"),
        pytest.param(M.YES_NO, {"options": [11, 12]}, False, id="yes-no-two-options"),
        pytest.param(M.YES_NO, {"options": [99]}, False, id="yes-no-unknown-option"),
        pytest.param(M.SINGLE, {"options": [14]}, True, id="single-one-option"),
        pytest.param(M.SINGLE, {"options": ["14"]}, False, id="single-id-as-text"),
        pytest.param(M.SINGLE, {"options": [True]}, False, id="single-json-true-is-no-id"),
        pytest.param(M.SINGLE, {"options": 14}, False, id="single-not-a-list"),
        pytest.param(M.SINGLE, {"options": [14], "note": "x"}, False, id="single-extra-key"),
        pytest.param(M.SINGLE, {}, False, id="single-empty-ballot"),
        pytest.param(M.SINGLE, [14], False, id="single-not-a-mapping"),
        pytest.param(M.SINGLE, {"grades": {"21": 11}}, False, id="single-given-grades"),
        pytest.param(M.GRADED, {"grades": {"21": 11, "22": 14}}, True, id="graded-all-rated"),
        pytest.param(M.GRADED, {"grades": {21: 11, 22: 14}}, True, id="graded-int-keys"),
        pytest.param(M.GRADED, {"grades": {"21": 11}}, False, id="graded-one-missing"),
        pytest.param(
            M.GRADED, {"grades": {"21": 11, "22": 12, "23": 13}}, False, id="graded-unknown-subject"
        ),
        pytest.param(
            M.GRADED, {"grades": {"21": 11, 21: 12, "22": 13}}, False, id="graded-rated-twice"
        ),
        pytest.param(M.GRADED, {"grades": {"21": 11, "22": 99}}, False, id="graded-unknown-grade"),
        pytest.param(M.GRADED, {"grades": {"21": 11, "x": 12}}, False, id="graded-bad-key"),
        pytest.param(M.GRADED, {"grades": [11, 12]}, False, id="graded-not-a-mapping"),
        pytest.param(M.GRADED, {"options": [11]}, False, id="graded-given-options"),
        pytest.param(
            M.GRADED, {"grades": {"21": 11, "22": 12}, "x": 1}, False, id="graded-extra-key"
        ),
    ],
)
def test_ballot_content_must_fit_the_method(method, content, ok):
    assert bool(ballot(method, content)) is ok


@pytest.mark.parametrize(
    ("chosen", "ok"),
    [
        pytest.param([], False, id="none-below-the-fewest"),
        pytest.param([11], False, id="one-below-the-fewest"),
        pytest.param([11, 12], True, id="two-the-fewest"),
        pytest.param([11, 12, 13], True, id="three-the-most"),
        pytest.param([11, 12, 13, 14], False, id="four-above-the-most"),
        pytest.param([11, 11, 12], False, id="an-option-twice"),
        pytest.param([11, 12, 99], False, id="an-unknown-option"),
    ],
)
def test_multiple_choice_takes_between_the_fewest_and_the_most_distinct_options(chosen, ok):
    assert bool(ballot(M.MULTIPLE, {"options": chosen}, min_choices=2, max_choices=3)) is ok


def test_the_voter_is_told_how_many_options_to_choose():
    verdict = ballot(M.MULTIPLE, {"options": [11, 12, 13, 14]}, min_choices=2, max_choices=3)
    assert verdict.reason == "Choose between 2 and 3 options; you chose 4."
    assert ballot(M.MULTIPLE, {"options": [11]}, min_choices=2, max_choices=2).reason == (
        "Choose exactly 2 options."
    )
    assert ballot(M.SINGLE, {"options": [11, 12]}).reason == "Choose exactly one option."
    assert ballot(M.SINGLE, {"options": [11, 11]}).reason == "The same option was chosen twice."
    assert ballot(M.GRADED, {"grades": {"21": 11}}).reason == (
        "Give a grade to everyone rated on this ballot."
    )


@pytest.mark.parametrize("method", [M.YES_NO, M.SINGLE, M.MULTIPLE, M.GRADED])
def test_an_invalid_ballot_exists_only_on_paper(method):
    assert ballot(method, {"invalid": True}, paper=True)
    online = ballot(method, {"invalid": True})
    assert not online
    assert online.reason == "Only a paper ballot can be recorded as invalid."
    assert not ballot(method, {"invalid": True, "options": [11]}, paper=True)
    assert not ballot(method, {"invalid": False}, paper=True)
    assert not ballot(method, {"invalid": 1}, paper=True)


def test_a_paper_ballot_that_is_valid_is_checked_like_any_other():
    assert ballot(M.SINGLE, {"options": [12]}, paper=True)
    assert not ballot(M.SINGLE, {"options": [12, 13]}, paper=True)


@given(
    chosen=st.lists(st.integers(min_value=10, max_value=15), max_size=6),
    bounds=st.tuples(st.integers(0, 5), st.integers(0, 5)).map(sorted),
)
def test_multiple_choice_accepts_exactly_the_known_subsets_within_bounds(chosen, bounds):
    low, high = bounds
    with translation.override("en"):
        verdict = ballot(M.MULTIPLE, {"options": chosen}, min_choices=low, max_choices=high)
    is_subset = len(set(chosen)) == len(chosen) and set(chosen) <= OPTIONS
    assert bool(verdict) is (is_subset and low <= len(chosen) <= high)


def test_every_subset_within_bounds_is_accepted_and_no_other():
    accepted = {
        subset
        for size in range(len(OPTIONS) + 1)
        for subset in combinations(sorted(OPTIONS), size)
        if ballot(M.MULTIPLE, {"options": list(subset)}, min_choices=1, max_choices=2)
    }
    assert accepted == {subset for size in (1, 2) for subset in combinations(sorted(OPTIONS), size)}


# Written proxies ------------------------------------------------------------------------


def proxy(**changes):
    facts = {
        "allowed": True,
        "representatives_vote": False,
        "same_person": False,
        "holder_carries": 0,
        "grantor_holds": 0,
        "holder_has_granted": False,
    }
    return proxy_verdict(**(facts | changes))


@pytest.mark.parametrize(
    ("changes", "ok"),
    [
        pytest.param({}, True, id="a-first-proxy"),
        pytest.param({"holder_carries": 2}, True, id="the-third-proxy"),
        pytest.param({"holder_carries": 3}, False, id="a-fourth-proxy"),
        pytest.param({"allowed": False}, False, id="poll-does-not-allow-proxies"),
        pytest.param({"representatives_vote": True}, False, id="representatives-vote-in-person"),
        pytest.param({"same_person": True}, False, id="not-to-oneself"),
        pytest.param({"grantor_holds": 1}, False, id="chain-grantor-carries-proxies"),
        pytest.param({"holder_has_granted": True}, False, id="chain-holder-gave-their-vote"),
    ],
)
def test_a_voter_carries_at_most_three_written_proxies_and_no_chains(changes, ok):
    assert bool(proxy(**changes)) is ok


def test_the_fourth_proxy_is_refused_with_the_limit():
    assert MAX_PROXIES == 3
    assert proxy(holder_carries=3).reason == (
        "The proxy holder already carries 3 proxies, the most allowed."
    )
    assert proxy(representatives_vote=True, allowed=True).reason == (
        "Representatives vote in person: proxies are not allowed."
    )


# Named votes and the majority base -------------------------------------------------------


@pytest.mark.parametrize(
    ("electorate", "body", "ok"),
    [
        pytest.param(E.REPRESENTATIVES, R, True, id="representatives-online"),
        pytest.param(E.REPRESENTATIVES, CONSULTATION, True, id="representatives-consulted"),
        pytest.param(E.MEETING, R, True, id="representatives-at-their-meeting"),
        pytest.param(E.MEETING, A, False, id="residents-at-their-assembly"),
        pytest.param(E.RESIDENTS, A, False, id="residents-online"),
        pytest.param(E.RESIDENTS, CONSULTATION, False, id="residents-consulted"),
        pytest.param(E.HOUSEHOLDS, A, False, id="households"),
    ],
)
def test_only_representatives_votes_may_be_named(electorate, body, ok):
    assert bool(named_allowed(electorate=electorate, body=body)) is ok


@pytest.mark.parametrize(
    ("body", "base", "ok"),
    [
        pytest.param(A, B.PRESENT, True, id="assembly-over-members-present"),
        pytest.param(A, B.CAST, True, id="assembly-online-over-those-taking-part"),
        pytest.param(A, B.VALID, False, id="assembly-valid-only-laxer-than-law"),
        pytest.param(A, B.MEMBERS, False, id="assembly-all-members-stricter-than-law"),
        pytest.param(R, B.PRESENT, True, id="reps-over-members-present"),
        pytest.param(R, B.CAST, True, id="reps-online"),
        pytest.param(R, B.VALID, False, id="reps-valid-only"),
        pytest.param(R, B.MEMBERS, False, id="reps-all-members"),
        pytest.param(CONSULTATION, B.CAST, True, id="consultation-cast"),
        pytest.param(CONSULTATION, B.VALID, True, id="consultation-valid"),
        pytest.param(CONSULTATION, B.PRESENT, True, id="consultation-present"),
        pytest.param(CONSULTATION, B.MEMBERS, True, id="consultation-members"),
        pytest.param(CONSULTATION, "turnout", False, id="unknown-base"),
        pytest.param("council", B.CAST, False, id="unknown-body"),
    ],
)
def test_a_bodys_majority_is_counted_over_those_present(body, base, ok):
    assert bool(base_allowed(body=body, base=base)) is ok


def test_the_second_official_is_another_person():
    assert second_official_verdict(entered_by_id=1, confirmer_id=2)
    refused = second_official_verdict(entered_by_id=1, confirmer_id=1)
    assert not refused
    assert "cannot confirm" in refused.reason


# Yes / no / abstain ----------------------------------------------------------------------


def yes_no(body, base, *, members, cast, valid=None, present=None, yes, no=0, abstain=0):
    return yes_no_outcome(
        body=body,
        base=base,
        members=members,
        cast=cast,
        valid=yes + no + abstain if valid is None else valid,
        present=cast if present is None else present,
        yes=yes,
        no=no,
        abstain=abstain,
    )


# body, base, members, cast, present, yes, no, abstain → decided, passed
YES_NO_CASES = [
    # Residents' assembly online: taking part = casting a ballot (Art 27).
    pytest.param(A, B.CAST, 100, 51, 51, 26, 25, 0, True, True, id="assembly-online-26-of-51"),
    pytest.param(A, B.CAST, 100, 50, 50, 50, 0, 0, False, False, id="assembly-online-no-quorum"),
    pytest.param(A, B.CAST, 100, 60, 60, 30, 30, 0, True, False, id="assembly-online-tie"),
    pytest.param(A, B.CAST, 100, 60, 60, 30, 0, 30, True, False, id="assembly-abstain-against"),
    # At a meeting the members present count, voting or not.
    pytest.param(A, B.PRESENT, 100, 40, 60, 31, 9, 0, True, True, id="assembly-31-of-60-present"),
    pytest.param(A, B.PRESENT, 100, 40, 60, 30, 10, 0, True, False, id="assembly-silent-count"),
    pytest.param(A, B.PRESENT, 100, 50, 50, 50, 0, 0, False, False, id="assembly-half-present"),
    # Representatives' assembly: two thirds present (Art 29).
    pytest.param(R, B.PRESENT, 30, 20, 20, 11, 9, 0, True, True, id="reps-20-of-30-11-yes"),
    pytest.param(R, B.PRESENT, 30, 19, 19, 19, 0, 0, False, False, id="reps-19-of-30-no-quorum"),
    pytest.param(R, B.PRESENT, 30, 20, 20, 10, 10, 0, True, False, id="reps-tie"),
    pytest.param(R, B.CAST, 30, 20, 20, 11, 0, 9, True, True, id="reps-online-11-of-20"),
    # A committee's consultation: no quorum; more than half of the stated base.
    pytest.param(CONSULTATION, B.CAST, 1000, 3, 3, 2, 1, 0, True, True, id="consult-2-of-3-cast"),
    pytest.param(CONSULTATION, B.CAST, 1000, 4, 4, 2, 2, 0, True, False, id="consult-tie"),
    pytest.param(CONSULTATION, B.MEMBERS, 10, 10, 10, 5, 5, 0, True, False, id="consult-half"),
    pytest.param(CONSULTATION, B.MEMBERS, 10, 6, 6, 6, 0, 0, True, True, id="consult-6-of-10"),
    pytest.param(CONSULTATION, B.MEMBERS, 10, 5, 5, 5, 0, 0, True, False, id="consult-5-of-10"),
    pytest.param(CONSULTATION, B.CAST, 10, 0, 0, 0, 0, 0, True, False, id="consult-no-ballots"),
]


@pytest.mark.parametrize(
    ("body", "base", "members", "cast", "present", "yes", "no", "abstain", "decided", "passed"),
    YES_NO_CASES,
)
def test_yes_no_outcome_follows_the_bodys_law(
    body, base, members, cast, present, yes, no, abstain, decided, passed
):
    result = yes_no(
        body, base, members=members, cast=cast, present=present, yes=yes, no=no, abstain=abstain
    )
    assert isinstance(result, Result)
    assert (result.decided, result.passed) == (decided, passed)
    assert bool(result) is passed


def test_a_consultation_counted_over_valid_ballots_leaves_out_invalid_ones():
    # 4 ballots, 1 of them an invalid paper ballot: 2 yes of 3 valid passes, of 4 cast ties.
    over_valid = yes_no(CONSULTATION, B.VALID, members=50, cast=4, valid=3, yes=2, no=1)
    over_cast = yes_no(CONSULTATION, B.CAST, members=50, cast=4, valid=3, yes=2, no=1)
    assert over_valid.passed
    assert not over_cast.passed
    assert over_cast.reason == "Not passed: a tie, 2 of 4 (ballots cast), is not more than half."


def test_tie_and_missed_quorum_are_reported_as_such():
    tie = yes_no(R, B.PRESENT, members=30, cast=20, yes=10, no=10)
    assert tie.reason == "Not passed: a tie, 10 of 20, is not more than half."
    no_quorum = yes_no(A, B.CAST, members=100, cast=50, yes=50)
    assert not no_quorum.decided
    assert no_quorum.reason.startswith("Quorum not met")
    passed = yes_no(CONSULTATION, B.CAST, members=100, cast=3, yes=2, no=1)
    assert passed.reason == "Passed: 2 of 3 (ballots cast) voted for it, more than half."
    assert passed.needed == 2


def test_a_body_cannot_be_counted_over_a_base_the_law_does_not_know():
    with pytest.raises(ValueError):
        yes_no(A, B.VALID, members=100, cast=60, yes=40)


def test_more_votes_than_the_base_is_a_counting_error_not_a_result():
    with pytest.raises(ValueError):
        yes_no(CONSULTATION, B.VALID, members=100, cast=60, valid=10, yes=40)


def quorum_reference(body, members, present):
    share = Fraction(present, members)
    return share > HALF if body == A else share >= TWO_THIRDS


@st.composite
def body_vote(draw):
    members = draw(st.integers(1, 400))
    present = draw(st.integers(0, members))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    return members, present, yes, no, abstain


@given(body=st.sampled_from([A, R]), base=st.sampled_from([B.PRESENT, B.CAST]), vote=body_vote())
def test_a_body_never_passes_without_quorum_nor_with_half(body, base, vote):
    members, counted, yes, no, abstain = vote
    with translation.override("en"):
        result = yes_no(
            body,
            base,
            members=members,
            cast=counted,
            present=counted,
            yes=yes,
            no=no,
            abstain=abstain,
        )
    quorum = quorum_reference(body, members, counted)
    assert result.decided is quorum
    assert result.passed is (quorum and Fraction(yes, counted) > HALF)


@given(
    base=st.sampled_from([B.CAST, B.VALID, B.PRESENT, B.MEMBERS]),
    counts=st.tuples(*[st.integers(0, 300)] * 5),
)
def test_a_consultation_passes_iff_yes_is_more_than_half_of_its_base(base, counts):
    yes, no, abstain, invalid, absent = counts
    valid = yes + no + abstain
    cast = valid + invalid
    members = cast + absent
    with translation.override("en"):
        result = yes_no(
            CONSULTATION,
            base,
            members=members,
            cast=cast,
            valid=valid,
            present=cast,
            yes=yes,
            no=no,
            abstain=abstain,
        )
    over = {B.CAST: cast, B.VALID: valid, B.PRESENT: cast, B.MEMBERS: members}[base]
    assert result.decided
    assert result.passed is (over > 0 and Fraction(yes, over) > HALF)
    assert result.needed == min(n for n in range(over + 2) if Fraction(n, max(over, 1)) > HALF)
    if result.passed:
        assert result.reason.startswith("Passed")
    else:
        assert result.reason.startswith("Not passed")


# Single and multiple choice --------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "base_count", "winner", "tie", "majority"),
    [
        pytest.param({1: 6, 2: 3, 3: 1}, 10, 1, [], True, id="six-of-ten-wins-with-majority"),
        pytest.param({1: 5, 2: 3, 3: 2}, 10, 1, [], False, id="five-of-ten-wins-without"),
        pytest.param({1: 4, 2: 4, 3: 2}, 10, None, [1, 2], False, id="tie-at-the-top"),
        pytest.param({3: 2, 1: 2, 2: 2}, 6, None, [1, 2, 3], False, id="three-way-tie"),
        pytest.param({1: 0, 2: 0}, 0, None, [], False, id="no-votes"),
        pytest.param({}, 0, None, [], False, id="no-options"),
        pytest.param({1: 1}, 1, 1, [], True, id="a-single-ballot"),
    ],
)
def test_choice_outcome_the_unique_most_voted_option_wins(
    counts, base_count, winner, tie, majority
):
    outcome = choice_outcome(counts=counts, base_count=base_count)
    assert (outcome["winner"], outcome["tie"], outcome["majority"]) == (winner, tie, majority)
    assert outcome["reason"]


def test_choice_outcome_reasons():
    assert choice_outcome(counts={1: 4, 2: 4}, base_count=8)["reason"] == (
        "A tie: 2 options have 4 votes each; no option wins."
    )
    assert choice_outcome(counts={1: 5, 2: 4}, base_count=10)["reason"] == (
        "One option has the most votes: 5 of 10, not more than half."
    )


@given(
    counts=st.dictionaries(st.integers(1, 50), st.integers(0, 100), max_size=8),
    extra=st.integers(0, 100),
)
def test_the_winner_has_strictly_the_most_votes(counts, extra):
    base_count = sum(counts.values()) + extra
    with translation.override("en"):
        outcome = choice_outcome(counts=counts, base_count=base_count)
    top = max(counts.values(), default=0)
    leaders = sorted(option for option, votes in counts.items() if votes == top and top > 0)
    if len(leaders) == 1:
        (winner,) = leaders
        assert outcome["winner"] == winner
        assert all(votes < top for option, votes in counts.items() if option != winner)
        assert outcome["tie"] == []
        assert outcome["majority"] is (Fraction(top, base_count) > HALF)
    else:
        assert outcome["winner"] is None
        assert outcome["tie"] == leaders
        assert outcome["majority"] is False


# Graded ballots --------------------------------------------------------------------------

EXCELLENT, COMPETENT, FAIR, INCOMPETENT = 31, 32, 33, 34  # 优秀 称职 基本称职 不称职
SCALE = [EXCELLENT, COMPETENT, FAIR, INCOMPETENT]


@pytest.mark.parametrize(
    ("counts", "grade", "tie"),
    [
        pytest.param({EXCELLENT: 3, COMPETENT: 5, FAIR: 1, INCOMPETENT: 0}, COMPETENT, [],
                     id="plurality-not-majority"),
        pytest.param({EXCELLENT: 4, COMPETENT: 1, FAIR: 1, INCOMPETENT: 4}, None,
                     [EXCELLENT, INCOMPETENT], id="tie-listed-best-first"),
        pytest.param({INCOMPETENT: 2, FAIR: 2}, None, [FAIR, INCOMPETENT], id="tie-in-scale-order"),
        pytest.param(dict.fromkeys(SCALE, 0), None, [], id="nobody-graded"),
    ],
)  # fmt: skip
def test_each_person_rated_gets_the_grade_given_most_often(counts, grade, tie):
    outcome = graded_outcome(counts=counts, order=SCALE)
    assert (outcome["grade"], outcome["tie"]) == (grade, tie)
    assert outcome["reason"]


def test_a_graded_tie_is_reported():
    outcome = graded_outcome(counts={EXCELLENT: 4, INCOMPETENT: 4}, order=SCALE)
    assert outcome["reason"] == "A tie: 2 grades were each given 4 times."

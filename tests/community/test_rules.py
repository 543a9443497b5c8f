"""The 2025 Organic Law's eligibility rules, read as a table: counts in, verdict out."""

from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from townhall.community import rules

counts = st.integers(min_value=0, max_value=200)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- Art 36: the supervision committee is separate from the residents' committee ---


@pytest.mark.parametrize(
    ("is_committee_member", "relatives_on_committee", "allowed", "reason_fragment"),
    [
        pytest.param(False, 0, True, "", id="unrelated-resident-may-supervise"),
        pytest.param(
            True, 0, False, "committee member cannot sit", id="committee-member-may-not-supervise"
        ),
        pytest.param(
            False, 1, False, "close relative", id="relative-of-a-member-may-not-supervise"
        ),
        pytest.param(
            False, 3, False, "close relative", id="relative-of-several-members-may-not-supervise"
        ),
        pytest.param(
            True,
            2,
            False,
            "committee member cannot sit",
            id="member-with-relatives-refused-as-member-first",
        ),
    ],
)
def test_supervision_committee_membership_follows_art_36(
    is_committee_member, relatives_on_committee, allowed, reason_fragment
):
    verdict = rules.may_join_supervision(
        is_committee_member=is_committee_member, relatives_on_committee=relatives_on_committee
    )

    assert bool(verdict) is allowed
    assert reason_fragment in verdict.reason
    assert (verdict.reason == "") is allowed


@pytest.mark.parametrize(
    ("is_supervisor", "relatives_on_supervision", "current_members", "allowed", "reason_fragment"),
    [
        pytest.param(False, 0, 0, True, "", id="first-member-of-an-empty-committee"),
        pytest.param(False, 0, 4, True, "", id="fifth-member"),
        pytest.param(False, 0, 8, True, "", id="ninth-member-fills-the-committee"),
        pytest.param(False, 0, 9, False, "at most 9", id="tenth-member-exceeds-the-ceiling"),
        pytest.param(False, 0, 12, False, "at most 9", id="already-over-the-ceiling"),
        pytest.param(
            True,
            0,
            3,
            False,
            "supervision committee member cannot also",
            id="supervisor-may-not-join-the-committee",
        ),
        pytest.param(
            False,
            1,
            3,
            False,
            "close relative sits on the supervision committee",
            id="relative-of-a-supervisor-may-not-join",
        ),
        pytest.param(
            True,
            1,
            9,
            False,
            "supervision committee member cannot also",
            id="separation-is-named-before-the-ceiling",
        ),
    ],
)
def test_residents_committee_membership_follows_art_36_and_the_ceiling(
    is_supervisor, relatives_on_supervision, current_members, allowed, reason_fragment
):
    verdict = rules.may_join_committee(
        is_supervisor=is_supervisor,
        relatives_on_supervision=relatives_on_supervision,
        current_members=current_members,
    )

    assert bool(verdict) is allowed
    assert reason_fragment in verdict.reason
    assert (verdict.reason == "") is allowed


@pytest.mark.parametrize(
    ("one_on_committee", "other_on_supervision", "allowed"),
    [
        pytest.param(False, False, True, id="neither-holds-office"),
        pytest.param(True, False, True, id="only-one-on-the-committee"),
        pytest.param(False, True, True, id="only-one-on-supervision"),
        pytest.param(True, True, False, id="member-and-supervisor-cannot-be-close-relatives"),
    ],
)
def test_recording_close_relatives_cannot_hide_a_conflict(
    one_on_committee, other_on_supervision, allowed
):
    verdict = rules.may_record_relatives(
        one_on_committee=one_on_committee, other_on_supervision=other_on_supervision
    )

    assert bool(verdict) is allowed
    assert (verdict.reason == "") is allowed


# --- Art 17: 5 to 9 members, at least one woman ---


@pytest.mark.parametrize(
    ("members", "women", "ok", "reason_fragment"),
    [
        pytest.param(0, 0, False, "at least 5", id="empty-committee-warned"),
        pytest.param(4, 2, False, "has 4 members; the law asks for at least 5", id="4-too-few"),
        pytest.param(5, 1, True, "", id="5-with-a-woman-ok"),
        pytest.param(7, 3, True, "", id="7-with-women-ok"),
        pytest.param(9, 1, True, "", id="9-is-the-most-allowed"),
        pytest.param(10, 4, False, "has 10 members; the law allows at most 9", id="10-too-many"),
        pytest.param(7, 0, False, "no woman member", id="7-with-no-woman-warned"),
        pytest.param(5, 0, False, "no woman member", id="5-with-no-woman-warned"),
    ],
)
def test_committee_composition_follows_art_17(members, women, ok, reason_fragment):
    verdict = rules.committee_composition(members=members, women=women)

    assert bool(verdict) is ok
    assert reason_fragment in verdict.reason
    assert (verdict.reason == "") is ok


# --- Art 29: representatives are at least four fifths of the representatives' assembly ---


@pytest.mark.parametrize(
    ("representatives", "committee_members", "ok"),
    [
        pytest.param(20, 5, True, id="20-reps-5-members-exactly-four-fifths"),
        pytest.param(19, 5, False, id="19-reps-5-members-just-short"),
        pytest.param(21, 5, True, id="21-reps-5-members-above"),
        pytest.param(4, 1, True, id="4-reps-1-member-exactly-four-fifths"),
        pytest.param(3, 1, False, id="3-reps-1-member-three-quarters"),
        pytest.param(36, 9, True, id="36-reps-full-committee-exactly"),
        pytest.param(35, 9, False, id="35-reps-full-committee-short"),
        pytest.param(0, 0, False, id="no-assembly-at-all"),
        pytest.param(0, 5, False, id="committee-without-representatives"),
        pytest.param(10, 0, True, id="representatives-only"),
    ],
)
def test_representatives_make_up_four_fifths_of_the_assembly(
    representatives, committee_members, ok
):
    verdict = rules.representatives_share(
        representatives=representatives, committee_members=committee_members
    )

    assert bool(verdict) is ok
    assert (verdict.reason == "") is ok


def test_representatives_share_refusal_names_the_counts():
    verdict = rules.representatives_share(representatives=19, committee_members=5)

    assert "19 of 24" in verdict.reason
    assert "four fifths" in verdict.reason


# --- Properties against references written another way ---


def reference_representatives_share(representatives: int, committee_members: int) -> bool:
    total = representatives + committee_members
    return total > 0 and Fraction(representatives, total) >= Fraction(4, 5)


def reference_composition(members: int, women: int) -> bool:
    return members in range(5, 10) and women > 0


@given(representatives=counts, committee_members=counts)
def test_representatives_share_agrees_with_fraction_reference(representatives, committee_members):
    verdict = rules.representatives_share(
        representatives=representatives, committee_members=committee_members
    )

    assert bool(verdict) is reference_representatives_share(representatives, committee_members)


@given(data=st.data(), members=st.integers(min_value=0, max_value=30))
def test_committee_composition_agrees_with_reference(data, members):
    women = data.draw(st.integers(min_value=0, max_value=members), label="women")

    verdict = rules.committee_composition(members=members, women=women)

    assert bool(verdict) is reference_composition(members, women)


@given(
    is_committee_member=st.booleans(),
    relatives_on_committee=counts,
    is_supervisor=st.booleans(),
    relatives_on_supervision=counts,
    current_members=counts,
    one_on_committee=st.booleans(),
    other_on_supervision=st.booleans(),
    members=counts,
    women=counts,
    representatives=counts,
)
def test_every_refusal_says_why_and_every_approval_is_silent(
    is_committee_member,
    relatives_on_committee,
    is_supervisor,
    relatives_on_supervision,
    current_members,
    one_on_committee,
    other_on_supervision,
    members,
    women,
    representatives,
):
    verdicts = [
        rules.may_join_supervision(
            is_committee_member=is_committee_member,
            relatives_on_committee=relatives_on_committee,
        ),
        rules.may_join_committee(
            is_supervisor=is_supervisor,
            relatives_on_supervision=relatives_on_supervision,
            current_members=current_members,
        ),
        rules.may_record_relatives(
            one_on_committee=one_on_committee, other_on_supervision=other_on_supervision
        ),
        rules.committee_composition(members=members, women=women),
        rules.representatives_share(representatives=representatives, committee_members=members),
    ]

    for verdict in verdicts:
        if verdict:
            assert verdict.reason == ""
        else:
            assert verdict.reason.strip()


@given(
    is_committee_member=st.booleans(),
    relatives_on_committee=counts,
)
def test_supervision_is_allowed_only_for_an_unrelated_non_member(
    is_committee_member, relatives_on_committee
):
    verdict = rules.may_join_supervision(
        is_committee_member=is_committee_member, relatives_on_committee=relatives_on_committee
    )

    assert bool(verdict) is (not is_committee_member and relatives_on_committee == 0)


@given(is_supervisor=st.booleans(), relatives_on_supervision=counts, current_members=counts)
def test_committee_is_open_only_below_nine_and_free_of_supervision_ties(
    is_supervisor, relatives_on_supervision, current_members
):
    verdict = rules.may_join_committee(
        is_supervisor=is_supervisor,
        relatives_on_supervision=relatives_on_supervision,
        current_members=current_members,
    )

    expected = not is_supervisor and relatives_on_supervision == 0 and current_members + 1 <= 9
    assert bool(verdict) is expected

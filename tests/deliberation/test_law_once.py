"""Art 26's shares serve twice: a joint proposal becomes a topic, and a petition obliges
the committee to convene the residents' assembly, at the same point."""

from hypothesis import given
from hypothesis import strategies as st

from deliberation import rules
from deliberation.meetings import rules as meeting_rules
from deliberation.meetings.models import Body

counts = st.integers(min_value=0, max_value=400)


@given(counts, counts, counts, counts, counts, counts)
def test_a_joint_proposal_and_an_assembly_petition_reach_the_share_together(
    residents, households, representatives, resident_signers, household_signers, rep_signers
):
    bases = {
        "adult_residents": residents,
        "households": households,
        "representatives": representatives,
        "resident_signers": min(resident_signers, residents),
        "household_signers": min(household_signers, households),
        "representative_signers": min(rep_signers, representatives),
    }
    assert bool(rules.joint_proposal_reaches_threshold(**bases)) == bool(
        meeting_rules.petition_reaches_share(body=Body.ASSEMBLY, **bases)
    )

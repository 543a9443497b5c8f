"""Who may do what with a committee's disclosures: the gatekeeper for this app."""

from enum import StrEnum

from townhall.community.models import ResidentsCommittee, Role
from townhall.community.permissions import Decision, check_grant


class Action(StrEnum):
    REVIEW = "review"  # approve or send back a disclosure before publication
    QUERY = "query"  # ask about a published disclosure
    ANSWER = "answer"  # answer residents' queries


GRANTS: dict[Action, frozenset[str]] = {
    # Local practice: the supervision committee reviews and signs each disclosure.
    Action.REVIEW: frozenset({Role.SUPERVISOR}),
    # Art 34: residents may query; verified residents of that committee, that is.
    Action.QUERY: frozenset({Role.RESIDENT}),
    # The committee vouches for what it discloses, so it answers.
    Action.ANSWER: frozenset({Role.STAFF, Role.CHAIR, Role.MEMBER}),
}


def check(user, action: Action, committee: ResidentsCommittee) -> Decision:
    return check_grant(user, GRANTS[action], committee)

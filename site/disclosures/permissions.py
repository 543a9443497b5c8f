"""Who may do what with a committee's disclosures: the gatekeeper for this app."""

from enum import StrEnum

from townhall.community.models import Role
from townhall.community.permissions import Gate


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


_GATE = Gate(GRANTS)
check, may_try = _GATE.check, _GATE.may_try

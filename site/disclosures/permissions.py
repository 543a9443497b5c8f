"""Who may do what with a committee's disclosures: the gatekeeper for this app."""

from enum import StrEnum

from townhall.community.models import ResidentsCommittee, Role
from townhall.community.permissions import Decision, check_grant


class Action(StrEnum):
    REVIEW = "review"  # approve or send back a disclosure before publication


GRANTS: dict[Action, frozenset[str]] = {
    # Local practice: the supervision committee reviews and signs each disclosure.
    Action.REVIEW: frozenset({Role.SUPERVISOR}),
}


def check(user, action: Action, committee: ResidentsCommittee) -> Decision:
    return check_grant(user, GRANTS[action], committee)

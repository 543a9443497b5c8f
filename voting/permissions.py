"""Who may do what with polls: the gatekeeper for this app.

Voting itself is not a role: it is a row in the poll's frozen electorate
(`voting.selectors.elector_for`). Everything else is granted here; views, services and
templates call `check` or `require`, and the matrix test reads `GRANTS`.
"""

from enum import StrEnum

from townhall.community.models import Role
from townhall.community.permissions import Gate


class Action(StrEnum):
    CREATE_POLL = "create_poll"  # draft a poll, set its window, options and electorate
    RUN_POLL = "run_poll"  # open it, close it early with a reason, enter paper ballots
    CONFIRM_ENTRY = "confirm_entry"  # the second official who confirms a paper entry
    RECORD_PROXY = "record_proxy"  # type in a written authorisation handed in on paper
    AUDIT = "audit"  # the electorate snapshot, proxies and who voted (never what)


OFFICIALS = frozenset({Role.STAFF, Role.CHAIR, Role.MEMBER})

GRANTS: dict[Action, frozenset[str]] = {
    Action.CREATE_POLL: frozenset({Role.STAFF, Role.CHAIR}),
    Action.RUN_POLL: frozenset({Role.STAFF, Role.CHAIR}),
    # Any committee member or supervisor other than the one who typed it (the service
    # refuses the same person).
    Action.CONFIRM_ENTRY: OFFICIALS | {Role.SUPERVISOR},
    Action.RECORD_PROXY: frozenset({Role.STAFF, Role.CHAIR}),
    # Art 36: the supervision committee audits; the committee answers for its polls.
    Action.AUDIT: OFFICIALS | {Role.SUPERVISOR},
}


_GATE = Gate(GRANTS)
check, may_try, require = _GATE.check, _GATE.may_try, _GATE.require

"""Who may do what in the supervision workspace: the gatekeeper for the audit app.

Auditors read every record of their committee and change nothing but their own
reviews (disclosures app) and findings (here); staff answer findings, never close them.
"""

from enum import StrEnum

from townhall.community.models import Role
from townhall.community.permissions import Gate


class Action(StrEnum):
    OPEN_WORKSPACE = "open_workspace"
    RAISE_FINDING = "raise_finding"
    RESPOND_TO_FINDING = "respond_to_finding"
    CLOSE_FINDING = "close_finding"


GRANTS: dict[Action, frozenset[str]] = {
    Action.OPEN_WORKSPACE: frozenset({Role.SUPERVISOR, Role.STAFF, Role.CHAIR}),
    Action.RAISE_FINDING: frozenset({Role.SUPERVISOR}),
    Action.RESPOND_TO_FINDING: frozenset({Role.STAFF, Role.CHAIR, Role.MEMBER}),
    Action.CLOSE_FINDING: frozenset({Role.SUPERVISOR}),
}


_GATE = Gate(GRANTS)
check, may_try = _GATE.check, _GATE.may_try

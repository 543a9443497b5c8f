"""Who may do what in opinion collection and topic discussion: the gatekeeper for this app.

Views, consumers and templates call `check`; the matrix test reads `GRANTS`.
"""

from enum import StrEnum

from townhall.community.models import ResidentsCommittee, Role
from townhall.community.permissions import Decision, check_grant

COMMITTEE = frozenset({Role.STAFF, Role.CHAIR, Role.MEMBER})


class Action(StrEnum):
    SUBMIT = "submit"  # an opinion or a proposal of one's own
    SECOND = "second"  # 附议
    REPORT = "report"  # ask moderators to look at an opinion or comment
    COMMENT = "comment"  # in a topic's discussion
    SIGN = "sign"  # a joint proposal
    RECORD_ON_BEHALF = "record_on_behalf"  # an opinion told to a grid worker or staff
    SEE_RECORDER = "see_recorder"  # who recorded an opinion for whom
    HANDLE_OPINION = "handle_opinion"  # status, reply, merge
    MODERATE = "moderate"  # hide with a reason, decide appeals
    RUN_COLLECTION_MEETING = "run_collection_meeting"
    MANAGE_TOPIC = "manage_topic"  # create, stakeholders, meetings, minutes, outcome
    RECORD_PARTY_REVIEW = "record_party_review"


GRANTS: dict[Action, frozenset[str]] = {
    # Taking part is for verified residents of the committee (their resident role).
    Action.SUBMIT: frozenset({Role.RESIDENT}),
    Action.SECOND: frozenset({Role.RESIDENT}),
    Action.REPORT: frozenset({Role.RESIDENT}),
    Action.COMMENT: frozenset({Role.RESIDENT}),
    # Art 26 counts representatives' requests on their own (1/3 of them).
    Action.SIGN: frozenset({Role.RESIDENT, Role.REPRESENTATIVE}),
    # Grid workers gather opinions on home visits; staff at the front desk and meetings.
    Action.RECORD_ON_BEHALF: frozenset({Role.GRID_WORKER, Role.STAFF}),
    # The supervision committee audits the records, including who typed in what.
    Action.SEE_RECORDER: frozenset({Role.GRID_WORKER, Role.SUPERVISOR} | COMMITTEE),
    Action.HANDLE_OPINION: COMMITTEE,
    Action.MODERATE: frozenset({Role.STAFF}),
    Action.RUN_COLLECTION_MEETING: COMMITTEE,
    Action.MANAGE_TOPIC: COMMITTEE,
    # The party organisation sits outside the platform; the committee's office records
    # what it decided.
    Action.RECORD_PARTY_REVIEW: frozenset({Role.STAFF, Role.CHAIR}),
}


def check(user, action: Action, committee: ResidentsCommittee) -> Decision:
    return check_grant(user, GRANTS[action], committee)

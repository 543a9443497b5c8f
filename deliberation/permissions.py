"""Who may do what in opinion collection and topic discussion: the gatekeeper for this app.

Views, consumers and templates call `check`; the matrix test reads `GRANTS`.
"""

from enum import StrEnum

from townhall.community.models import Role
from townhall.community.permissions import Gate

COMMITTEE = frozenset({Role.STAFF, Role.CHAIR, Role.MEMBER})
# The committee dashboard (pending work and warnings): the committee and its watchdog.
DASHBOARD_ROLES = COMMITTEE | {Role.SUPERVISOR}


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
    # Decision meetings, decisions and their execution.
    PETITION = "petition"  # start or sign a petition to convene a body
    CONVENE = "convene"  # announce a meeting of a deciding body
    RUN_MEETING = "run_meeting"  # open, check people in, put motions, count, close
    WRITE_MINUTES = "write_minutes"
    APPROVE_MINUTES_AS_CHAIR = "approve_minutes_as_chair"
    SUPERVISE = "supervise"  # approve minutes, comment on and sign off execution
    ASSIGN_EXECUTION = "assign_execution"  # name the responsible member and the due date
    REPORT_PROGRESS = "report_progress"


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
    # Art 26/29: residents ask for the assembly, representatives for either body.
    Action.PETITION: frozenset({Role.RESIDENT, Role.REPRESENTATIVE}),
    # The residents' committee convenes both bodies; the chair presides.
    Action.CONVENE: frozenset({Role.STAFF, Role.CHAIR}),
    Action.RUN_MEETING: frozenset({Role.STAFF, Role.CHAIR}),
    Action.WRITE_MINUTES: COMMITTEE,
    Action.APPROVE_MINUTES_AS_CHAIR: frozenset({Role.CHAIR}),
    # Art 36: the supervision committee watches the records and their execution.
    Action.SUPERVISE: frozenset({Role.SUPERVISOR}),
    Action.ASSIGN_EXECUTION: frozenset({Role.STAFF, Role.CHAIR}),
    Action.REPORT_PROGRESS: COMMITTEE,
}


_GATE = Gate(GRANTS)
check, may_try, require = _GATE.check, _GATE.may_try, _GATE.require

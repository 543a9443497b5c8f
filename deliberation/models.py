"""The deliberation app's models live by sub-domain; Django finds them here."""

from .collection.models import CollectionMeeting
from .decisions.models import Decision, ProgressUpdate, SupervisionNote
from .meetings.models import (
    Attendance,
    Meeting,
    Minutes,
    Motion,
    Petition,
    PetitionSignature,
    RollMember,
)
from .moderation.models import Appeal, ModerationEvent, Report
from .opinions.models import Opinion, OpinionPhoto, OpinionStatusChange, Second
from .topics.models import (
    Comment,
    DiscussionMeeting,
    PartyReview,
    Signature,
    Stakeholder,
    Topic,
    TopicDocument,
    TopicStatusChange,
)

__all__ = [
    "Appeal",
    "Attendance",
    "CollectionMeeting",
    "Comment",
    "Decision",
    "DiscussionMeeting",
    "Meeting",
    "Minutes",
    "ModerationEvent",
    "Motion",
    "Opinion",
    "OpinionPhoto",
    "OpinionStatusChange",
    "PartyReview",
    "Petition",
    "PetitionSignature",
    "ProgressUpdate",
    "Report",
    "RollMember",
    "Second",
    "Signature",
    "Stakeholder",
    "SupervisionNote",
    "Topic",
    "TopicDocument",
    "TopicStatusChange",
]

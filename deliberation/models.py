"""The deliberation app's models live by sub-domain; Django finds them here."""

from .collection.models import CollectionMeeting
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
    "CollectionMeeting",
    "Comment",
    "DiscussionMeeting",
    "ModerationEvent",
    "Opinion",
    "OpinionPhoto",
    "OpinionStatusChange",
    "PartyReview",
    "Report",
    "Second",
    "Signature",
    "Stakeholder",
    "Topic",
    "TopicDocument",
    "TopicStatusChange",
]

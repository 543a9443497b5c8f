"""A topic's discussion: stakeholders invited (6+X), documents, comments, discussion
meetings (议题讨论会), the consultation opinion (协商意见) and the party organisation's
review."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import Membership, Role

from ..notify import notify
from ..permissions import Action, require
from .models import (
    Comment,
    DiscussionMeeting,
    PartyReview,
    Stakeholder,
    StakeholderKind,
    Topic,
    TopicDocument,
    TopicStatus,
)
from .services import (
    FINISHED,
    _require_open,
    _required_text,
    _topic_url,
    topic_followers,
    topic_record,
    topic_status_change,
)


def stakeholder_add(
    *, topic: Topic, by, kind: str, name: str, social_organization=None
) -> Stakeholder:
    """Invite a party to the discussion (the "6+X" practice); ledger
    `topic.stakeholder_added`."""
    require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_open(topic)
    if kind not in StakeholderKind.values:
        raise ValidationError(_("Choose who this stakeholder is."))
    if social_organization is not None:
        if social_organization.community_id != topic.committee.community_id:
            raise ValidationError(_("That social organisation works in another community."))
        name = (name or "").strip() or social_organization.name
    name = _required_text(name, _("Name who is invited."))
    with transaction.atomic():
        stakeholder = Stakeholder.objects.create(
            topic=topic, kind=kind, name=name, social_organization=social_organization
        )
        topic_record(
            topic=topic, kind="topic.stakeholder_added", by=by, stakeholder=kind, name=name
        )
    return stakeholder


def topic_document_add(*, topic: Topic, by, title: str, file) -> TopicDocument:
    """Attach a document (a Wagtail document in the root collection, so the CMS lists it
    too); the file type must be one of WAGTAILDOCS_EXTENSIONS."""
    from wagtail.documents import get_document_model

    require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_open(topic)
    title = _required_text(title, _("Give the document a title."))
    document = get_document_model()(title=title, file=file, uploaded_by_user=by)
    try:
        document.clean()
    except ValidationError as error:
        raise ValidationError(
            _("That file type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
        ) from error
    document.file_size = file.size
    with transaction.atomic():
        document.save()
        attached = TopicDocument.objects.create(topic=topic, document=document, added_by=by)
        topic_record(topic=topic, kind="topic.document_added", by=by, document=document.pk)
    return attached


def comment_post(*, topic: Topic, author, body: str, parent: Comment | None = None) -> Comment:
    """A verified resident's comment, or a reply under another comment of the topic."""
    require(author, Action.COMMENT, topic.committee)
    if topic.status in FINISHED:
        raise ValidationError(_("Comments are closed: this topic's discussion is over."))
    body = _required_text(body, _("Write your comment."))
    if len(body) > 2000:
        raise ValidationError(_("Keep a comment under 2000 characters."))
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError(_("You can only reply to a comment on this topic."))
    return Comment.objects.create(topic=topic, author=author, body=body, parent=parent)


# Discussion meetings (议题讨论会) and the consultation opinion ------------------------------


def _require_in_discussion(topic: Topic) -> None:
    if topic.status not in (TopicStatus.DISCUSSION, TopicStatus.CONSULTED):
        raise ValidationError(_("Meetings are held while the topic is in discussion."))


def discussion_meeting_schedule(
    *, topic: Topic, by, held_at: datetime, place: str
) -> DiscussionMeeting:
    """Schedule a topic discussion meeting; ledger `topic.meeting_scheduled`; the people
    who brought the topic are invited."""
    require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_in_discussion(topic)
    place = _required_text(place, _("Say where the meeting is held, or that it is online."))
    with transaction.atomic():
        meeting = DiscussionMeeting.objects.create(
            topic=topic, held_at=held_at, place=place, created_by=by
        )
        topic_record(
            topic=topic,
            kind="topic.meeting_scheduled",
            by=by,
            meeting=meeting.pk,
            held_at=held_at.isoformat(),
            place=place,
        )
        notify(
            recipients=topic_followers(topic),
            url=_topic_url(topic),
            message=gettext_lazy(
                "A discussion meeting on the topic “%(title)s” is held on %(when)s at %(place)s."
            ),
            title=topic.title,
            when=timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
            place=place,
        )
    return meeting


def discussion_meeting_record(
    *, meeting: DiscussionMeeting, by, attendee_count: int, attendees, minutes: str
) -> DiscussionMeeting:
    """Record who came (a count, and the verified residents among them by name) and the
    minutes; ledger `topic.meeting_recorded`."""
    topic = meeting.topic
    require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_in_discussion(topic)
    if meeting.held_at > timezone.now():
        raise ValidationError(_("The meeting has not been held yet."))
    minutes = _required_text(minutes, _("Write the minutes."))
    attendees = list(attendees)
    residents = set(
        Membership.objects.current()
        .filter(committee=topic.committee, role=Role.RESIDENT, person__in=attendees)
        .values_list("person_id", flat=True)
    )
    if strangers := [p for p in attendees if p.pk not in residents]:
        raise ValidationError(
            _("Not verified residents of this committee: %(names)s.")
            % {"names": "、".join(str(p) for p in strangers)}
        )
    if attendee_count < len(attendees):
        raise ValidationError(
            _("%(count)s people present, but %(named)s named: count everyone who came.")
            % {"count": attendee_count, "named": len(attendees)}
        )
    with transaction.atomic():
        meeting.attendee_count = attendee_count
        meeting.minutes = minutes
        meeting.save(update_fields=["attendee_count", "minutes"])
        meeting.attendees.set(attendees)
        topic_record(
            topic=topic,
            kind="topic.meeting_recorded",
            by=by,
            meeting=meeting.pk,
            attendee_count=attendee_count,
            residents_named=len(attendees),
        )
    return meeting


def consultation_opinion_record(*, topic: Topic, by, text: str) -> Topic:
    """Record the consultation opinion (协商意见) that a recorded meeting reached; the
    topic becomes CONSULTED (ledger `topic.consultation_recorded`, then the status change)."""
    require(by, Action.MANAGE_TOPIC, topic.committee)
    text = _required_text(text, _("Write the consultation opinion."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != TopicStatus.DISCUSSION:
            raise ValidationError(_("A consultation opinion is recorded while in discussion."))
        if not topic.meetings.exclude(minutes="").exists():
            raise ValidationError(_("Record a discussion meeting's minutes first."))
        topic.consultation_opinion = text
        topic.save(update_fields=["consultation_opinion"])
        topic_record(topic=topic, kind="topic.consultation_recorded", by=by)
        topic = topic_status_change(topic=topic, by=by, to=TopicStatus.CONSULTED)
    return topic


# The party organisation's review and the outcome ---------------------------------------


def party_review_record(
    *, topic: Topic, by, reviewed_on: date, reviewed_by: str, outcome: str, note: str = ""
) -> PartyReview:
    """Record the community party organisation's review (Art 30). Ledger
    `topic.party_review_recorded`. A topic returned for more discussion goes back to it."""
    require(by, Action.RECORD_PARTY_REVIEW, topic.committee)
    reviewed_by = _required_text(reviewed_by, _("Say who reviewed it."))
    note = (note or "").strip()
    if outcome not in PartyReview.Outcome.values:
        raise ValidationError(_("Choose the review's outcome."))
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("The review date cannot be in the future."))
    if outcome == PartyReview.Outcome.RETURNED and not note:
        raise ValidationError(_("Say why the topic was returned: residents will read it."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != TopicStatus.CONSULTED:
            raise ValidationError(
                _("The party organisation reviews a topic once it has a consultation opinion.")
            )
        review = PartyReview.objects.create(
            topic=topic,
            reviewed_on=reviewed_on,
            reviewed_by=reviewed_by,
            outcome=outcome,
            note=note,
            recorded_by=by,
        )
        topic_record(
            topic=topic,
            kind="topic.party_review_recorded",
            by=by,
            reviewed_on=reviewed_on.isoformat(),
            reviewed_by=reviewed_by,
            outcome=outcome,
            note=note,
        )
        if outcome == PartyReview.Outcome.RETURNED:
            topic_status_change(topic=topic, by=by, to=TopicStatus.DISCUSSION)
    return review

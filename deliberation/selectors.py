"""Reads across the deliberation app: what is open now for residents to join."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voting.models import Poll

from .collection.models import CollectionMeeting
from .meetings.models import Meeting, Petition
from .topics.models import Topic, TopicStatus


@dataclass(frozen=True)
class OpenItem:
    title: str
    url: str
    label: str
    committee: str
    when: datetime | None = None


def open_now(committees, limit: int = 10) -> list[OpenItem]:
    """Polls open for ballots (closing soonest first), decision meetings and collection
    meetings coming up (soonest first), then petitions and joint proposals collecting
    signatures and topics still open to comments (newest first). Five queries."""
    now = timezone.now()
    items = [
        OpenItem(
            title=poll.title,
            url=reverse("voting:poll_detail", args=[poll.pk]),
            label=_("Poll open: vote before it closes"),
            committee=poll.committee.name,
            when=poll.closes_at,
        )
        for poll in Poll.objects.filter(
            committee__in=committees,
            status=Poll.Status.OPEN,
            closes_at__gt=now,
            closed_at__isnull=True,
        )
        .select_related("committee")
        .order_by("closes_at")[:limit]
    ]
    items += [
        OpenItem(
            title=meeting.title,
            url=reverse("deliberation:meeting_detail", args=[meeting.pk]),
            label=meeting.get_body_display(),
            committee=meeting.committee.name,
            when=meeting.starts_at,
        )
        for meeting in Meeting.objects.filter(
            committee__in=committees, status=Meeting.Status.SCHEDULED, starts_at__gte=now
        )
        .select_related("committee")
        .order_by("starts_at")[: max(0, limit - len(items))]
    ]
    items += [
        OpenItem(
            title=meeting.title,
            url=reverse("deliberation:collection_detail", args=[meeting.pk]),
            label=_("Opinion collection meeting"),
            committee=meeting.committee.name,
            when=meeting.held_at,
        )
        for meeting in CollectionMeeting.objects.filter(committee__in=committees, held_at__gte=now)
        .select_related("committee")
        .order_by("held_at")[: max(0, limit - len(items))]
    ]
    items += [
        OpenItem(
            title=petition.title,
            url=reverse("deliberation:petition_detail", args=[petition.pk]),
            label=_("Petition to convene: collecting signatures"),
            committee=petition.committee.name,
        )
        for petition in Petition.objects.filter(committee__in=committees, reached_at__isnull=True)
        .select_related("committee")
        .order_by("-created_at")[: max(0, limit - len(items))]
    ]
    labels = {
        TopicStatus.PROPOSED: _("Joint proposal: collecting signatures"),
        TopicStatus.DISCUSSION: _("Topic in discussion"),
        TopicStatus.CONSULTED: _("Topic: consultation opinion reached"),
    }
    topics = (
        Topic.objects.filter(committee__in=committees, status__in=list(labels))
        .select_related("committee")
        .order_by("-created_at")[: max(0, limit - len(items))]
    )
    items += [
        OpenItem(
            title=topic.title,
            url=reverse("deliberation:topic_detail", args=[topic.pk]),
            label=labels[topic.status],
            committee=topic.committee.name,
        )
        for topic in topics
    ]
    return items

"""What happened to what a resident said: every opinion they wrote or seconded, and every
joint proposal they signed, with its path through topics, meetings and decisions."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from ..opinions.models import Opinion, OpinionStatusChange, Second
from ..topics.models import (
    DiscussionMeeting,
    Origin,
    PartyReview,
    Signature,
    Topic,
    TopicStatus,
    TopicStatusChange,
)


class Relation(StrEnum):
    """How the person took part in the item."""

    AUTHORED = "authored"  # wrote it, or a grid worker or staff recorded it for them
    SECONDED = "seconded"
    SIGNED = "signed"  # a joint proposal


@dataclass(frozen=True)
class Step:
    """One step of a topic's path, in the order it happened. `kind` is "status" (a
    TopicStatusChange), "meeting" (a DiscussionMeeting), "consultation" (the topic, for its
    consultation opinion) or "review" (a PartyReview)."""

    kind: str
    at: datetime
    item: object


@dataclass
class Trace:
    """One item on the person's page: an opinion (and the topic it went into, if any), or a
    joint proposal they signed. `at` is when the person took part."""

    relation: Relation
    at: datetime
    opinion: Opinion | None = None
    topic: Topic | None = None
    topic_steps: list[Step] = field(default_factory=list)
    decisions: list = field(default_factory=list)


def decisions_for_topics(topic_ids) -> dict[int, list]:
    """The decisions taken on each topic, oldest first, with their execution state and
    percent done, by topic id; topics with no decision are left out. One query."""
    from ..decisions.models import Decision

    if not topic_ids:
        return {}
    found: dict[int, list] = {}
    decisions = (
        Decision.objects.filter(motion__topic_id__in=topic_ids)
        .select_related("motion__meeting")
        .order_by("decided_at", "pk")
    )
    for decision in decisions:
        found.setdefault(decision.motion.topic_id, []).append(decision)
    return found


def trace_list(*, person) -> list[Trace]:
    """Everything `person` authored, seconded or signed, newest first (by when they took
    part), with what the page shows already loaded. Eight queries, however many items."""
    signed = dict(
        Signature.objects.filter(person=person, topic__origin=Origin.JOINT_PROPOSAL).values_list(
            "topic_id", "at"
        )
    )
    my_second = Second.objects.filter(opinion=OuterRef("pk"), person=person).values("at")[:1]
    opinions = list(
        Opinion.objects.filter(Q(author=person) | Q(seconds__person=person))
        .distinct()
        .annotate(seconded_at=Subquery(my_second))
        .select_related("author", "recorded_by", "grid", "collection_meeting", "committee")
        .prefetch_related(Prefetch("history", queryset=OpinionStatusChange.objects.all()))
    )
    topics = _topics_by_id({o.topic_id for o in opinions if o.topic_id} | set(signed))
    steps = {topic_id: topic_steps(topic) for topic_id, topic in topics.items()}
    decisions = decisions_for_topics(list(topics))

    traces = []
    for opinion in opinions:
        authored = opinion.author_id == person.pk
        traces.append(
            Trace(
                relation=Relation.AUTHORED if authored else Relation.SECONDED,
                at=opinion.submitted_at if authored else opinion.seconded_at,
                opinion=opinion,
                topic=topics.get(opinion.topic_id),
                topic_steps=steps.get(opinion.topic_id, []),
                decisions=decisions.get(opinion.topic_id, []),
            )
        )
    for topic_id, at in signed.items():
        traces.append(
            Trace(
                relation=Relation.SIGNED,
                at=at,
                topic=topics[topic_id],
                topic_steps=steps[topic_id],
                decisions=decisions.get(topic_id, []),
            )
        )
    traces.sort(key=lambda trace: trace.at, reverse=True)
    return traces


def _topics_by_id(ids: set[int]) -> dict[int, Topic]:
    if not ids:
        return {}
    topics = (
        Topic.objects.filter(pk__in=ids)
        .select_related("created_by")
        .annotate(signature_count=Count("signatures"))
        .prefetch_related(
            Prefetch("history", queryset=TopicStatusChange.objects.all()),
            Prefetch("meetings", queryset=DiscussionMeeting.objects.all()),
            Prefetch("party_reviews", queryset=PartyReview.objects.all()),
        )
    )
    return {topic.pk: topic for topic in topics}


def topic_steps(topic: Topic) -> list[Step]:
    """The topic's status changes, discussion meetings, consultation opinion and party
    reviews in the order they happened, from what `_topics_by_id` prefetched (no query).
    The consultation opinion has no date of its own: it stands where the topic reached
    "consultation opinion reached", or last if that step is missing."""
    steps = [
        Step("status", change.at, change)
        for change in topic.history.all()
        # The first row is the topic's creation, which the page shows on its own.
        if change.from_status
    ]
    steps += [Step("meeting", meeting.held_at, meeting) for meeting in topic.meetings.all()]
    steps += [Step("review", review.recorded_at, review) for review in topic.party_reviews.all()]
    steps.sort(key=lambda step: step.at)
    if topic.consultation_opinion.strip():
        consulted = [
            i
            for i, step in enumerate(steps)
            if step.kind == "status" and step.item.to_status == TopicStatus.CONSULTED
        ]
        where = consulted[-1] + 1 if consulted else len(steps)
        at = steps[where - 1].at if where else topic.created_at
        steps.insert(where, Step("consultation", at, topic))
    return steps


def opinions_recorded_by(person, committees):
    """The opinions this grid worker or staff member recorded on residents' behalf, newest
    first, with what each row shows in the same query."""
    return (
        Opinion.objects.filter(recorded_by=person, committee__in=committees)
        .select_related("committee", "grid", "author")
        .order_by("-submitted_at", "-pk")
    )

"""Reads for moderation: a committee's queue, an item's history, and what one person has
already reported or appealed (for the controls beside every item on a page)."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse

from townhall.community.models import ResidentsCommittee

from ..opinions.models import Opinion
from ..topics.models import Comment
from .models import Appeal, ModerationEvent, Report

Item = Opinion | Comment


def item_kind(item: Item) -> str:
    return "opinion" if isinstance(item, Opinion) else "comment"


def item_committee(item: Item) -> ResidentsCommittee:
    return item.committee if isinstance(item, Opinion) else item.topic.committee


def item_title(item: Item) -> str:
    """What messages call the item: an opinion's title, or the topic a comment is on."""
    return item.title if isinstance(item, Opinion) else item.topic.title


def item_url(item: Item) -> str:
    """The page where the item is read (a comment: its place on the topic's page)."""
    if isinstance(item, Opinion):
        return reverse("deliberation:opinion_detail", args=[item.pk])
    return reverse("deliberation:topic_detail", args=[item.topic_id]) + f"#comment-{item.pk}"


def item_target(item: Item) -> dict:
    """The keyword that points a Report, Appeal or ModerationEvent at the item."""
    return {item_kind(item): item}


def _of_committee(committee: ResidentsCommittee) -> Q:
    return Q(opinion__committee=committee) | Q(comment__topic__committee=committee)


@dataclass
class ReportedItem:
    """One item in the queue with the open reports about it."""

    item: object
    reports: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return item_kind(self.item)


def reported_items(committee: ResidentsCommittee) -> list[ReportedItem]:
    """Items of the committee with reports not yet handled, most reported first, in one
    query."""
    reports = (
        Report.objects.filter(_of_committee(committee), handled_at=None)
        .select_related("opinion", "comment__topic", "comment__author")
        .order_by("at", "pk")
    )
    grouped: dict[tuple[str, int], ReportedItem] = {}
    for report in reports:
        item = report.opinion or report.comment
        key = ("opinion" if report.opinion_id else "comment", item.pk)
        grouped.setdefault(key, ReportedItem(item=item)).reports.append(report)
    return sorted(grouped.values(), key=lambda entry: (-len(entry.reports), entry.reports[0].at))


def appeals_pending(committee: ResidentsCommittee) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(_of_committee(committee), decision=Appeal.Decision.PENDING)
        .select_related("opinion", "comment__topic", "author")
        .order_by("at", "pk")
    )


def item_events(item) -> QuerySet[ModerationEvent]:
    """The moderation history of one item, oldest first."""
    return ModerationEvent.objects.filter(**item_target(item)).select_related("by")


@dataclass(frozen=True)
class PersonModeration:
    """What one person has reported and appealed, by item kind and pk."""

    reported: frozenset[tuple[str, int]]
    appeals: dict[tuple[str, int], Appeal]


def person_moderation(person) -> PersonModeration:
    """Two queries, whatever the number of items on the page: a person reports and
    appeals few things."""
    if not person.is_authenticated:
        return PersonModeration(reported=frozenset(), appeals={})
    reported = frozenset(
        ("opinion", opinion_id) if opinion_id else ("comment", comment_id)
        for opinion_id, comment_id in Report.objects.filter(reporter=person).values_list(
            "opinion_id", "comment_id"
        )
    )
    appeals = {
        ("opinion", appeal.opinion_id) if appeal.opinion_id else ("comment", appeal.comment_id): (
            appeal
        )
        for appeal in Appeal.objects.filter(author=person)
    }
    return PersonModeration(reported=reported, appeals=appeals)

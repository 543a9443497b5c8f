"""Reads about topics: the support a joint proposal has gathered, the committee's list,
and everything the topic page shows, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from townhall.community.models import ResidentsCommittee

from .. import rules
from ..meetings.models import Body
from ..meetings.support import NO_SIGNATURES, committee_bases, signature_counts
from ..meetings.support import Support as SignatureSupport
from ..opinions.models import Opinion, Status
from .models import (
    Comment,
    DiscussionMeeting,
    Origin,
    Signature,
    StakeholderKind,
    Topic,
    TopicStatus,
)

STAKEHOLDER_ORDER = {kind: n for n, kind in enumerate(StakeholderKind.values)}


class Support(SignatureSupport):
    """A joint proposal's signatures against Art 26's bases: the shares that oblige the
    committee to convene the residents' assembly make it a topic."""

    @property
    def verdict(self) -> rules.Verdict:
        return rules.joint_proposal_reaches_threshold(**self.counts)


def proposal_supports(committee: ResidentsCommittee, topics) -> dict[int, Support]:
    """Support for each of `topics` (of `committee`), by topic pk: three queries,
    whatever the number of topics or signatures."""
    pks = [topic.pk for topic in topics]
    if not pks:
        return {}
    bases = committee_bases(committee)
    found = signature_counts(Signature.objects.filter(topic_id__in=pks), "topic_id", committee)
    return {
        pk: Support(body=Body.ASSEMBLY, **bases, **{**NO_SIGNATURES, **found.get(pk, {})})
        for pk in pks
    }


def proposal_support(topic: Topic) -> Support:
    return proposal_supports(topic.committee, [topic])[topic.pk]


def topics_of(committee: ResidentsCommittee, status: str | None = None) -> QuerySet[Topic]:
    """The committee's topics, newest first, with how many opinions each gathered."""
    topics = committee.topics.annotate(opinion_count=Count("opinions")).order_by(
        "-created_at", "-pk"
    )
    if status:
        topics = topics.filter(status=status)
    return topics


def proposals_collecting(committee: ResidentsCommittee) -> list[Topic]:
    """Joint proposals still collecting signatures, each with `.support` (four queries)."""
    proposals = list(
        committee.topics.filter(origin=Origin.JOINT_PROPOSAL, status=TopicStatus.PROPOSED)
    )
    supports = proposal_supports(committee, proposals)
    for proposal in proposals:
        proposal.support = supports[proposal.pk]
    return proposals


def open_opinions(committee: ResidentsCommittee, query: str = "") -> QuerySet[Opinion]:
    """Opinions the committee may still merge into a topic, matching `query` if given."""
    opinions = Opinion.objects.filter(
        committee=committee, status__in=[Status.SUBMITTED, Status.CONSIDERING]
    ).select_related("grid")
    if query := query.strip():
        opinions = opinions.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return opinions.order_by("-seconds_count", "-submitted_at")


@dataclass
class TopicPage:
    topic: Topic
    history: list = field(default_factory=list)
    stakeholders: list = field(default_factory=list)
    opinions: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    comments: list = field(default_factory=list)  # top-level, each with `.thread`
    comment_count: int = 0
    meetings: list = field(default_factory=list)
    party_reviews: list = field(default_factory=list)
    support: Support | None = None
    signed: bool = False


def _threads(topic: Topic, comments: list[Comment]) -> list[Comment]:
    """Hang each reply under its parent (`.thread`); the topic is set on each so that
    moderation checks need no further query."""
    by_pk = {}
    for comment in comments:
        comment.topic = topic
        comment.thread = []
        by_pk[comment.pk] = comment
    roots = []
    for comment in comments:
        parent = by_pk.get(comment.parent_id)
        (parent.thread if parent else roots).append(comment)
    return roots


def topic_page(topic: Topic, user) -> TopicPage:
    """Everything the topic page shows, in a fixed number of queries whatever the number
    of comments, opinions, documents or meetings."""
    committee = topic.committee
    page = TopicPage(topic=topic)
    page.history = list(topic.history.select_related("by"))
    # In the order of the 6+X practice: the party organisation first, the X last.
    page.stakeholders = sorted(
        topic.stakeholders.select_related("social_organization"),
        key=lambda s: (STAKEHOLDER_ORDER[s.kind], s.pk),
    )
    page.opinions = list(topic.opinions.select_related("author", "grid").order_by("submitted_at"))
    for opinion in page.opinions:
        opinion.committee = committee
    page.documents = list(topic.documents.select_related("document"))
    comments = list(topic.comments.select_related("author"))
    page.comment_count = len(comments)
    page.comments = _threads(topic, comments)
    page.meetings = list(
        DiscussionMeeting.objects.filter(topic=topic).prefetch_related("attendees")
    )
    page.party_reviews = list(topic.party_reviews.all())
    if topic.origin == Origin.JOINT_PROPOSAL:
        page.support = proposal_support(topic)
        page.signed = user.is_authenticated and topic.signatures.filter(person=user).exists()
    return page


def topic_decisions(topic: Topic) -> list:
    """The decisions taken on motions about this topic, oldest first: one query."""
    from ..decisions.models import Decision

    return list(
        Decision.objects.filter(motion__topic=topic)
        .select_related("motion__meeting")
        .order_by("decided_at", "pk")
    )

"""Reads about topics: the support a joint proposal has gathered, the committee's list,
and everything the topic page shows, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from townhall.community.models import Household, Membership, ResidentsCommittee, Role

from .. import rules
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


@dataclass(frozen=True)
class Support:
    """A joint proposal's signatures against the three statutory bases (Art 26)."""

    adult_residents: int
    households: int
    representatives: int
    resident_signers: int
    household_signers: int
    representative_signers: int
    signatures: int

    @property
    def counts(self) -> dict:
        return {
            "adult_residents": self.adult_residents,
            "households": self.households,
            "representatives": self.representatives,
            "resident_signers": self.resident_signers,
            "household_signers": self.household_signers,
            "representative_signers": self.representative_signers,
        }

    @property
    def verdict(self) -> rules.Verdict:
        return rules.joint_proposal_reaches_threshold(**self.counts)

    @property
    def needed(self) -> dict:
        return rules.signatures_needed(
            adult_residents=self.adult_residents,
            households=self.households,
            representatives=self.representatives,
        )

    @property
    def progress(self) -> list[dict]:
        """One row per basis that has anyone in it: (label, have, need)."""
        from django.utils.translation import gettext as _

        needed = self.needed
        rows = [
            (_("adult residents"), self.resident_signers, needed["residents"]),
            (_("households"), self.household_signers, needed["households"]),
            (_("representatives"), self.representative_signers, needed["representatives"]),
        ]
        return [
            {"label": label, "have": min(have, need), "need": need, "signed": have}
            for label, have, need in rows
            if need
        ]


def _committee_bases(committee: ResidentsCommittee) -> dict:
    """Adult residents, representatives (one query) and households (one query)."""
    people = (
        Membership.objects.current()
        .filter(committee=committee)
        .aggregate(
            adult_residents=Count("person", filter=Q(role=Role.RESIDENT), distinct=True),
            representatives=Count("person", filter=Q(role=Role.REPRESENTATIVE), distinct=True),
        )
    )
    households = Household.objects.filter(grid__committee=committee).count()
    return {**people, "households": households}


def proposal_supports(committee: ResidentsCommittee, topics) -> dict[int, Support]:
    """Support for each of `topics` (of `committee`), by topic pk: three queries,
    whatever the number of topics or signatures."""
    pks = [topic.pk for topic in topics]
    if not pks:
        return {}
    bases = _committee_bases(committee)
    holds_resident = Exists(
        Membership.objects.current().filter(
            committee=committee, role=Role.RESIDENT, person=OuterRef("person")
        )
    )
    rows = (
        Signature.objects.filter(topic_id__in=pks)
        .values("topic_id")
        .annotate(
            signatures=Count("pk"),
            resident_signers=Count("pk", filter=holds_resident),
            household_signers=Count("household", distinct=True),
            representative_signers=Count("pk", filter=Q(as_representative=True)),
        )
        .order_by()
    )
    found = {row.pop("topic_id"): row for row in rows}
    empty = {"signatures": 0, "resident_signers": 0, "household_signers": 0}
    return {
        pk: Support(**bases, **{"representative_signers": 0, **empty, **found.get(pk, {})})
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

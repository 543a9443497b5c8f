"""Every write about a topic's life: status changes, creating it from opinions, merging
more, and its outcome; each with its history, ledger entry and notice to the people who
brought it. Joint proposals are in `proposals.py`, the discussion in `discussion.py`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import Membership, ResidentsCommittee
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import rules
from ..notify import notify
from ..opinions.models import Opinion, Status
from ..opinions.services import opinion_status_change
from ..permissions import COMMITTEE, Action, require
from .models import (
    ConsultationForm,
    Origin,
    Topic,
    TopicStatus,
    TopicStatusChange,
)

# Once a topic has gone to a decision, been settled or closed, its discussion is over:
# no more opinions, comments, stakeholders or meetings.
FINISHED = frozenset(
    {TopicStatus.TO_DECISION, TopicStatus.DECIDED, TopicStatus.SETTLED, TopicStatus.CLOSED}
)
MERGEABLE_OPINION = frozenset({Status.SUBMITTED, Status.CONSIDERING})
OUTCOMES = frozenset({TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED})

STATUS_MESSAGES = {
    TopicStatus.DISCUSSION: gettext_lazy("The topic “%(title)s” is in discussion."),
    TopicStatus.CONSULTED: gettext_lazy(
        "A consultation opinion was reached on the topic “%(title)s”."
    ),
    TopicStatus.TO_DECISION: gettext_lazy("The topic “%(title)s” goes to a decision meeting."),
    TopicStatus.SETTLED: gettext_lazy("The committee settled the topic “%(title)s”: %(note)s"),
    TopicStatus.CLOSED: gettext_lazy("The topic “%(title)s” was closed: %(note)s"),
}
# To the committee, and to the signers, when a joint proposal becomes a topic.
PROMOTED_MESSAGE = gettext_lazy(
    "The joint proposal “%(title)s” reached the share the law requires: the committee "
    "must now take it up."
)


def topic_content(topic: Topic) -> dict:
    """What the ledger vouches for: every field that only a recorded step may change."""
    return {
        "committee": topic.committee_id,
        "title": topic.title,
        "description": topic.description,
        "origin": topic.origin,
        "status": topic.status,
        "consultation_form": topic.consultation_form,
        "consultation_opinion": topic.consultation_opinion,
        "outcome_note": topic.outcome_note,
        "threshold_reached": topic.threshold_reached_at is not None,
    }


def topic_load(pk: str) -> dict | None:
    topic = Topic.objects.filter(pk=pk).first()
    return topic_content(topic) if topic else None


def topic_record(*, topic: Topic, kind: str, by, **details) -> None:
    """Write the ledger entry for a step that changed the topic (inside its transaction)."""
    ledger_append(
        kind=kind,
        subject=subject_of(topic),
        actor=by,
        content=topic_content(topic),
        details=details,
    )


def latest_party_review(topic: Topic) -> str | None:
    """The outcome of the party organisation's latest review of the consultation opinion
    as it now stands: a review recorded before the topic last reached its consultation
    opinion judged an earlier text, and does not count."""
    consulted = (
        topic.history.filter(to_status=TopicStatus.CONSULTED)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    reviews = topic.party_reviews.order_by("-recorded_at", "-pk")
    if consulted is not None:
        reviews = reviews.filter(recorded_at__gte=consulted)
    review = reviews.first()
    return review.outcome if review else None


def _topic_url(topic: Topic) -> str:
    return reverse("deliberation:topic_detail", args=[topic.pk])


def topic_followers(topic: Topic) -> list:
    """The people who brought the topic: authors of its merged opinions and signers."""
    from townhall.accounts.models import User

    return list(
        User.objects.filter(Q(opinions__topic=topic) | Q(topic_signatures__topic=topic)).distinct()
    )


def _committee_people(committee: ResidentsCommittee) -> list:
    from townhall.accounts.models import User

    people = Membership.objects.current().filter(committee=committee, role__in=COMMITTEE)
    return list(User.objects.filter(pk__in=people.values("person_id")))


def _may_change_or_raise(topic: Topic, *, to: str, note: str) -> None:
    verdict = rules.topic_may_change(
        current=topic.status,
        to=to,
        origin=topic.origin,
        threshold_reached=topic.threshold_reached_at is not None,
        note=note,
        consultation_opinion=topic.consultation_opinion,
        party_review=latest_party_review(topic),
    )
    if not verdict:
        raise ValidationError(verdict.reason)


def topic_status_change(*, topic: Topic, by, to: str, note: str = "") -> Topic:
    """Move the topic to `to` if the rules allow (raises ValidationError with the reason
    otherwise). Locks the row; history row and ledger entry in the same transaction;
    the people who brought the topic are told."""
    note = note.strip()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        _may_change_or_raise(topic, to=to, note=note)
        before = topic.status
        topic.status = to
        if note:
            topic.outcome_note = note
        topic.save(update_fields=["status", "outcome_note"])
        TopicStatusChange.objects.create(
            topic=topic, from_status=before, to_status=to, by=by, note=note
        )
        topic_record(topic=topic, kind="topic.status_changed", by=by, **{"from": before, "to": to})
        notify(
            recipients=topic_followers(topic),
            url=_topic_url(topic),
            message=PROMOTED_MESSAGE if before == TopicStatus.PROPOSED else STATUS_MESSAGES[to],
            title=topic.title,
            note=note,
        )
    return topic


def topic_decided(*, topic: Topic, decision, by) -> Topic:
    """The topic's decision is recorded: "sent to a decision" becomes "decided", with its
    history row and ledger entry, in the caller's transaction (decision_record's). A
    topic already decided, or never sent, is left as it is. Nobody is told here: the
    decision's own notice tells the topic's followers the outcome."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if not rules.topic_may_be_decided(topic.status):
            return topic
        before = topic.status
        topic.status = TopicStatus.DECIDED
        topic.save(update_fields=["status"])
        TopicStatusChange.objects.create(
            topic=topic, from_status=before, to_status=TopicStatus.DECIDED, by=by
        )
        topic_record(
            topic=topic,
            kind="topic.status_changed",
            by=by,
            **{"from": before, "to": TopicStatus.DECIDED, "decision": decision.pk},
        )
    return topic


def topic_ready_for_decision(topic: Topic) -> rules.Verdict:
    """The gate the decision-meetings stage checks before putting a topic to a vote."""
    return rules.ready_for_decision(
        consultation_opinion=topic.consultation_opinion, party_review=latest_party_review(topic)
    )


def _require_open(topic: Topic) -> None:
    if topic.status in FINISHED:
        raise ValidationError(
            _("This topic is %(status)s: its discussion is over.")
            % {"status": topic.get_status_display()}
        )


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# Creating topics and merging opinions ------------------------------------------------


def topic_create(
    *,
    committee: ResidentsCommittee,
    by,
    title: str,
    description: str,
    consultation_form: str,
    opinions: list[Opinion] = (),
) -> Topic:
    """The committee takes up a topic, merging the given opinions into it. One
    transaction: the topic, its first history row, ledger `topic.created`, and each
    opinion's merge (its own history, ledger entry and notice to its author)."""
    require(by, Action.MANAGE_TOPIC, committee)
    title = _required_text(title, _("Give the topic a title."))
    description = _required_text(description, _("Describe the topic."))
    if consultation_form not in ConsultationForm.values:
        raise ValidationError(_("Choose the form of consultation."))
    with transaction.atomic():
        topic = Topic.objects.create(
            committee=committee,
            title=title,
            description=description,
            consultation_form=consultation_form,
            origin=Origin.COMMITTEE,
            status=TopicStatus.DISCUSSION,
            created_by=by,
        )
        TopicStatusChange.objects.create(topic=topic, to_status=topic.status, by=by)
        topic_record(topic=topic, kind="topic.created", by=by)
        if opinions:
            topic_opinions_merge(topic=topic, by=by, opinions=opinions)
    return topic


def topic_opinions_merge(*, topic: Topic, by, opinions: list[Opinion]) -> list[Opinion]:
    """Merge opinions (of the topic's committee, submitted or under consideration) into
    the topic: all or none. Each goes through `opinion_status_change`, which records it
    and tells its author; ledger `topic.opinions_merged` lists them."""
    require(by, Action.MANAGE_TOPIC, topic.committee)
    if not opinions:
        raise ValidationError(_("Choose at least one opinion."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        _require_open(topic)
        merged = []
        for opinion in opinions:
            if opinion.committee_id != topic.committee_id:
                raise ValidationError(
                    _("“%(title)s” was sent to another committee.") % {"title": opinion.title}
                )
            if opinion.status not in MERGEABLE_OPINION:
                raise ValidationError(
                    _("“%(title)s” is already %(status)s: it cannot be merged.")
                    % {"title": opinion.title, "status": opinion.get_status_display()}
                )
            merged.append(
                opinion_status_change(opinion=opinion, by=by, to=Status.MERGED, topic=topic)
            )
        topic_record(
            topic=topic, kind="topic.opinions_merged", by=by, opinions=[o.pk for o in merged]
        )
    return merged


# Joint proposals (联名提议) ---------------------------------------------------------------


def _settlement_body(topic: Topic, note: str) -> str:
    return format_html(
        "<h2>{}</h2>{}<h2>{}</h2>{}<h2>{}</h2>{}",
        _("Topic"),
        linebreaks(topic.description, autoescape=True),
        _("Consultation opinion"),
        linebreaks(topic.consultation_opinion or "—", autoescape=True),
        _("How the committee settled it"),
        linebreaks(note, autoescape=True),
    )


def topic_outcome_set(*, topic: Topic, by, to: str, note: str = "") -> Topic:
    """Send the topic to a decision meeting (the party review gate), settle it (a draft
    disclosure item on the committee's board, Art 32; no board, no change) or close it
    with a reason. A joint proposal that reached the statutory share can only go to a
    decision: the rules refuse the rest."""
    require(by, Action.MANAGE_TOPIC, topic.committee)
    if to not in OUTCOMES:
        raise ValidationError(_("Choose what happens to the topic."))
    note = (note or "").strip()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        # Ask the rules first: a refused settlement must leave no draft behind.
        _may_change_or_raise(topic, to=to, note=note)
        draft = None
        if to == TopicStatus.SETTLED:
            from townhall.disclosures.services import disclosure_draft_create

            # The disclosure is written in the site's language; errors in the reader's.
            with translation.override(settings.LANGUAGE_CODE):
                title = _("Consultation outcome: %(title)s") % {"title": topic.title}
                body = _settlement_body(topic, note)
            draft = disclosure_draft_create(
                committee=topic.committee,
                title=title,
                category="consultations",
                body_html=body,
                period_start=timezone.localdate(topic.created_at),
                period_end=timezone.localdate(),
                by=by,
            )
        topic = topic_status_change(topic=topic, by=by, to=to, note=note)
        if draft is not None:
            topic.settlement_disclosure = draft
            topic.save(update_fields=["settlement_disclosure"])
    return topic

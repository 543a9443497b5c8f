"""Every write about a topic: status changes with their history, ledger entry and notice
to the people who brought it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import rules
from .models import Topic, TopicStatusChange


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
    review = topic.party_reviews.order_by("-recorded_at", "-pk").first()
    return review.outcome if review else None


def topic_status_change(*, topic: Topic, by, to: str, note: str = "") -> Topic:
    """Move the topic to `to` if the rules allow (raises ValidationError with the reason
    otherwise). Locks the row; history row and ledger entry in the same transaction."""
    note = note.strip()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
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
        before = topic.status
        topic.status = to
        if note:
            topic.outcome_note = note
        topic.save(update_fields=["status", "outcome_note"])
        TopicStatusChange.objects.create(
            topic=topic, from_status=before, to_status=to, by=by, note=note
        )
        topic_record(topic=topic, kind="topic.status_changed", by=by, **{"from": before, "to": to})
    return topic


def topic_ready_for_decision(topic: Topic) -> rules.Verdict:
    """The gate the decision-meetings stage checks before putting a topic to a vote."""
    return rules.ready_for_decision(
        consultation_opinion=topic.consultation_opinion, party_review=latest_party_review(topic)
    )

"""Every write about an opinion: status changes with their history, ledger entry and
notice to the author."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import rules
from ..notify import notify
from .models import Opinion, OpinionStatusChange, Status

STATUS_MESSAGES = {
    Status.CONSIDERING: _("The committee is now considering your opinion “%(title)s”."),
    Status.MERGED: _("Your opinion “%(title)s” was merged into the topic “%(topic)s”."),
    Status.ANSWERED: _("The committee answered your opinion “%(title)s”: %(text)s"),
    Status.DECLINED: _("The committee declined your opinion “%(title)s”: %(text)s"),
    Status.REFERRED: _(
        "Your opinion “%(title)s” was referred to the public service centre. %(text)s"
    ),
}


def opinion_content(opinion: Opinion) -> dict:
    """What the ledger vouches for: every field that only a recorded step may change."""
    return {
        "committee": opinion.committee_id,
        "grid": opinion.grid_id,
        "author": opinion.author_id,
        "recorded_by": opinion.recorded_by_id,
        "kind": opinion.kind,
        "title": opinion.title,
        "body": opinion.body,
        "category": opinion.category,
        "status": opinion.status,
        "topic": opinion.topic_id,
        "reply": opinion.reply,
        "hidden": opinion.hidden_at is not None,
        "hidden_reason": opinion.hidden_reason,
    }


def opinion_load(pk: str) -> dict | None:
    opinion = Opinion.objects.filter(pk=pk).first()
    return opinion_content(opinion) if opinion else None


def opinion_record(*, opinion: Opinion, kind: str, by, **details) -> None:
    """Write the ledger entry for a step that changed the opinion (inside its transaction)."""
    ledger_append(
        kind=kind,
        subject=subject_of(opinion),
        actor=by,
        content=opinion_content(opinion),
        details=details,
    )


def opinion_status_change(*, opinion: Opinion, by, to: str, text: str = "", topic=None) -> Opinion:
    """Move the opinion to `to` if the rules allow (raises ValidationError with the reason
    otherwise). Locks the row, appends the history row and a ledger entry in the same
    transaction, and notifies the author once committed."""
    text = text.strip()
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        verdict = rules.opinion_may_change(
            current=opinion.status, to=to, text=text, has_topic=topic is not None
        )
        if not verdict:
            raise ValidationError(verdict.reason)
        before = opinion.status
        opinion.status = to
        if to == Status.MERGED:
            opinion.topic = topic
        if text:
            opinion.reply = text
        opinion.save(update_fields=["status", "topic", "reply"])
        OpinionStatusChange.objects.create(
            opinion=opinion,
            from_status=before,
            to_status=to,
            by=by,
            note=text,
            topic=topic if to == Status.MERGED else None,
        )
        opinion_record(
            opinion=opinion,
            kind="opinion.status_changed",
            by=by,
            **{"from": before, "to": to},
        )
        notify(
            recipients=[opinion.author],
            url=reverse("deliberation:opinion_detail", args=[opinion.pk]),
            message=STATUS_MESSAGES[to],
            title=opinion.title,
            topic=topic.title if topic else "",
            text=text,
        )
    return opinion

"""What the ledger hashes about a poll: its content when opened and when counted."""

import hashlib

from townhall.ledger import canonical

from ..models import (
    Elector,
    Poll,
)


def electorate_digest(poll: Poll) -> str:
    """SHA-256 of the frozen electorate: every row as [id, person, household, basis], in
    id order. Auditors recompute it from the exported snapshot."""
    rows = Elector.objects.filter(poll=poll).order_by("pk")
    listed = [list(row) for row in rows.values_list("pk", "person_id", "household_id", "basis")]
    return hashlib.sha256(canonical.canonical_json(listed).encode()).hexdigest()


def poll_opened_content(poll: Poll) -> dict:
    """What `poll.opened` vouches for: the question, its options, the rules of the count
    and the electorate (size and digest). None of it changes once the poll is open."""
    return {
        "committee": poll.committee_id,
        "title": poll.title,
        "description": poll.description,
        "method": poll.method,
        "min_choices": poll.min_choices,
        "max_choices": poll.max_choices,
        "electorate": poll.electorate,
        "body": poll.body,
        "base": poll.base,
        "named": poll.named,
        "proxies_allowed": poll.proxies_allowed,
        "meeting": poll.meeting_id,
        "motion": poll.motion_id,
        "opens_at": poll.opens_at.isoformat() if poll.opens_at else None,
        "closes_at": poll.closes_at.isoformat(),
        "options": [
            list(row)
            for row in poll.options.order_by("order", "pk").values_list("pk", "label", "code")
        ],
        "subjects": [
            list(row)
            for row in poll.subjects.order_by("order", "pk").values_list("pk", "label", "person_id")
        ],
        "eligible": poll.eligible,
        "electorate_sha256": electorate_digest(poll),
    }


def poll_content(poll: Poll) -> dict:
    """The content the ledger holds for a poll now: its published result once counted
    (what `poll.counted` hashed), before that what `poll.opened` hashed. Any other entry
    about a poll (paper entries, proxies) carries this content, or none."""
    if poll.result is not None:
        return poll.result
    return poll_opened_content(poll)


def poll_load(pk: str) -> dict | None:
    poll = Poll.objects.filter(pk=pk).first()
    return poll_content(poll) if poll else None

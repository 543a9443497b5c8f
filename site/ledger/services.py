"""Writing to the ledger. Call `ledger_append` inside the transaction of the change it
records: both are committed together or not at all."""

from django.db import connection, transaction
from django.utils import timezone

from . import canonical
from .models import LedgerEntry, LedgerHead


def _head() -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _created = LedgerHead.objects.get_or_create(
            pk=1, defaults={"last_seq": 0, "last_hash": canonical.GENESIS}
        )
        head = LedgerHead.objects.select_for_update().get(pk=1)
    return head


def ledger_append(
    *,
    kind: str,
    subject: str,
    actor=None,
    content: dict | None = None,
    details: dict | None = None,
) -> LedgerEntry:
    """Append one entry: `kind` is a dotted name (`disclosure.published`), `subject`
    the record (`ledger.subjects.subject_of(obj)`), `content` the record's content as it
    now stands (hashed, not stored), `details` what else an auditor should read.

    Guarantees: must run inside a transaction (raises otherwise); entries are numbered
    without gaps and chained by SHA-256, under a lock on the ledger head.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_append must run inside the transaction of the change.")
    with transaction.atomic():
        head = _head()
        seq = head.last_seq + 1
        recorded_at = timezone.now()
        hashed = canonical.content_hash(content) if content is not None else ""
        payload = canonical.canonical_json(
            {
                "seq": seq,
                "kind": kind,
                "subject": subject,
                "actor": actor.pk if actor is not None else None,
                "at": recorded_at.isoformat(),
                "content_hash": hashed,
                "details": details or {},
            }
        )
        entry = LedgerEntry.objects.create(
            seq=seq,
            kind=kind,
            subject=subject,
            actor=actor,
            recorded_at=recorded_at,
            content_hash=hashed,
            payload=payload,
            prev_hash=head.last_hash,
            entry_hash=canonical.entry_hash(head.last_hash, payload),
        )
        head.last_seq = seq
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry

"""Re-checking the ledger: the chain itself, then every referenced record's content."""

import json
from dataclasses import dataclass

from . import canonical, subjects
from .models import LedgerEntry, LedgerHead


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    fingerprint: str = ""  # the last entry's hash: what printed notices carry


def _entry_problem(entry: LedgerEntry, expected_seq: int, prev_hash: str) -> str:
    if entry.seq != expected_seq:
        return f"expected entry #{expected_seq} here, found #{entry.seq} (missing or moved)"
    if entry.prev_hash != prev_hash:
        return "does not point at the entry before it"
    if canonical.entry_hash(entry.prev_hash, entry.payload) != entry.entry_hash:
        return "its hash does not match its content"
    try:
        payload = json.loads(entry.payload)
    except ValueError:
        return "its payload is not readable JSON"
    stated = {
        "seq": entry.seq,
        "kind": entry.kind,
        "subject": entry.subject,
        "actor": entry.actor_id,
        "at": entry.recorded_at.isoformat(),
        "content_hash": entry.content_hash,
    }
    for key, value in stated.items():
        if payload.get(key) != value:
            return f"its {key} column differs from what was recorded"
    return ""


def _subject_problems(latest: dict[str, LedgerEntry]) -> tuple[LedgerEntry, str] | None:
    for subject, entry in sorted(latest.items(), key=lambda item: item[1].seq):
        if not entry.content_hash:
            continue
        known, content = subjects.current_content(subject)
        if not known:
            continue
        if content is None:
            return entry, f"{subject} no longer exists"
        if canonical.content_hash(content) != entry.content_hash:
            return entry, f"{subject} was changed after this entry recorded it"
    return None


def ledger_verify() -> Verification:
    """Walk every entry in order; the first one that does not hold is named."""
    prev_hash = canonical.GENESIS
    expected = 1
    latest: dict[str, LedgerEntry] = {}
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if problem := _entry_problem(entry, expected, prev_hash):
            return Verification(False, expected - 1, entry.seq, problem)
        latest[entry.subject] = entry
        prev_hash = entry.entry_hash
        expected += 1
    checked = expected - 1
    head = LedgerHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (checked, prev_hash):
        return Verification(
            False,
            checked,
            checked + 1,
            f"the ledger head says {head.last_seq} entries; entries after #{checked} are gone",
        )
    if bad := _subject_problems(latest):
        entry, problem = bad
        return Verification(False, checked, entry.seq, problem)
    return Verification(True, checked, fingerprint=prev_hash if checked else "")


def ledger_export_lines():
    """The ledger as JSON lines, for anyone to verify offline (offline_verify.py)."""
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        yield (
            canonical.canonical_json(
                {
                    "seq": entry.seq,
                    "payload": entry.payload,
                    "prev_hash": entry.prev_hash,
                    "entry_hash": entry.entry_hash,
                }
            )
            + "\n"
        )

"""Canonical JSON and hashes: the one way the ledger turns content into bytes.

No Django here, so that `offline_verify.py` can mirror it with the standard library.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in the ledger")


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same content always gives the same text."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(content) -> str:
    return sha256_text(canonical_json(content))


def entry_hash(prev_hash: str, payload: str) -> str:
    """Each entry's hash covers the previous hash and its own payload: the chain."""
    return sha256_text(prev_hash + payload)

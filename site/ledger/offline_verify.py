#!/usr/bin/env python3
"""Verify an exported Townhall ledger with nothing but Python's standard library.

    python offline_verify.py ledger.jsonl [fingerprint]

Each line of the export holds one entry: its number, its payload (the canonical JSON
of what happened), the previous entry's hash and its own hash, where

    entry_hash = sha256(prev_hash + payload)   (hex, UTF-8; the first prev_hash is 64 zeros)

The script recomputes every hash, checks the numbering has no gaps and that each entry
points at the one before, and prints the last hash. A printed notice carries the hash
of its own entry (its fingerprint, often shortened to the first 16 characters): give
it as the second argument to find that entry in the verified export.
Exit status 0 when everything holds, 1 otherwise.
"""

import hashlib
import json
import sys

GENESIS = "0" * 64


def verify(lines):
    """(True, [entry hashes in order]) or (False, what is wrong)."""
    prev_hash, expected, hashes = GENESIS, 1, []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        payload = entry["payload"]
        if entry["seq"] != expected or json.loads(payload)["seq"] != expected:
            return False, f"line {number}: expected entry #{expected}, found #{entry['seq']}"
        if entry["prev_hash"] != prev_hash:
            return False, f"entry #{expected}: does not point at the entry before it"
        recomputed = hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()
        if recomputed != entry["entry_hash"]:
            return False, f"entry #{expected}: its hash does not match its content"
        prev_hash, expected = entry["entry_hash"], expected + 1
        hashes.append(prev_hash)
    return True, hashes


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as export:
        ok, result = verify(export)
    if not ok:
        print("NOT VERIFIED:", result)
        return 1
    print(f"verified: {len(result)} entries; last hash {result[-1] if result else '-'}")
    if len(argv) == 3:
        wanted = argv[2].replace(" ", "").lower()
        found = [
            n for n, h in enumerate(result, start=1) if len(wanted) >= 16 and h.startswith(wanted)
        ]
        if not found:
            print("NOT FOUND: no entry in this export has the fingerprint", argv[2])
            return 1
        print(f"the fingerprint is entry #{found[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

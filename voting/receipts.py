"""Receipt codes: what a voter keeps to find their ballot on the public board.

A receipt is the ballot's primary key, drawn at random (no serial order to follow), from
an alphabet without the characters people confuse when copying from a phone or a slip
of paper: no 0/O, no 1/I/L. Twelve of its 31 characters carry about 59.4 bits, so
guessing another voter's receipt or two ballots drawing the same one is out of reach.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4

_TYPED = re.compile(r"[\s\-_.]+")


def receipt_new() -> str:
    """A fresh receipt, e.g. `7KQF-M2XH-9RTB`."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _grouped(code)


def receipt_normalize(typed: str) -> str | None:
    """A receipt as someone typed it (lower case, spaces, missing dashes) in its stored
    form, or None when it cannot be one: the board's search says "not found" then,
    instead of searching for something no ballot can carry."""
    code = _TYPED.sub("", typed or "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return _grouped(code)


def _grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))

"""What changed between two texts of a charter, article by article, for people to read.

Pure functions: no Django. Lines (articles) are matched first; a line that was edited
rather than replaced shows which characters changed. Chinese has no spaces between
words, so inside a line each CJK character is its own token, while runs of Latin
letters or digits stay whole (a changed year reads "2025" → "2026", not "5" → "6").
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "added", "removed", "changed"]

# Two lines sharing at least this share of their characters are one article edited;
# below it, one article removed and another added. Chinese articles that differ by a
# number or a phrase score well above it; unrelated articles well below.
SIMILAR = 0.5

_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool = False  # removed (on the old side) or added (on the new side)


@dataclass(frozen=True)
class Row:
    kind: Kind
    old: tuple[Piece, ...] = ()
    new: tuple[Piece, ...] = ()
    # For a changed row: the line as read, each change showing what went, then what came.
    inline: tuple[tuple[str, str], ...] = ()

    @property
    def old_text(self) -> str:
        return "".join(piece.text for piece in self.old)

    @property
    def new_text(self) -> str:
        return "".join(piece.text for piece in self.new)

    @property
    def stretches(self) -> list[tuple[str, str]]:
        """(text, "same" | "removed" | "added") stretches: how a phone shows the row."""
        if self.kind == "changed":
            return list(self.inline)
        return [(self.old_text or self.new_text, self.kind)]


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].marked == piece.marked:
            merged[-1] = Piece(merged[-1].text + piece.text, piece.marked)
        else:
            merged.append(piece)
    return tuple(merged)


def line_diff(old: str, new: str) -> Row:
    """One edited line: the unchanged stretches plain, the changed ones marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_pieces: list[Piece] = []
    new_pieces: list[Piece] = []
    inline: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        went, came = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            old_pieces.append(Piece(went))
            new_pieces.append(Piece(came))
            inline.append((went, "same"))
            continue
        old_pieces.append(Piece(went, marked=True))
        new_pieces.append(Piece(came, marked=True))
        inline += [(text, state) for text, state in ((went, "removed"), (came, "added")) if text]
    return Row("changed", _merge(old_pieces), _merge(new_pieces), tuple(inline))


def _plain(kind: Kind, line: str) -> Row:
    piece = (Piece(line, kind != "same"),)
    return Row(kind, old=piece if kind != "added" else (), new=piece if kind != "removed" else ())


def _replaced(old: list[str], new: list[str]) -> list[Row]:
    """Lines replaced by others: pair the most similar two as an edit and recurse on
    either side of them (difflib.Differ's approach), the rest removed then added."""
    best: tuple[float, int, int] | None = None
    cutoff = SIMILAR
    for j, new_line in enumerate(new):
        for i, old_line in enumerate(old):
            matcher = SequenceMatcher(None, old_line, new_line, autojunk=False)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or ratio > best[0]):
                best, cutoff = (ratio, i, j), ratio
    if best is None:
        return [_plain("removed", line) for line in old] + [_plain("added", line) for line in new]
    _ratio, best_i, best_j = best
    return [
        *_replaced(old[:best_i], new[:best_j]),
        line_diff(old[best_i], new[best_j]),
        *_replaced(old[best_i + 1 :], new[best_j + 1 :]),
    ]


def text_diff(old: str, new: str) -> list[Row]:
    """Rows from the old text to the new, in reading order."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [_plain("same", line) for line in a[i1:i2]]
        elif tag == "delete":
            rows += [_plain("removed", line) for line in a[i1:i2]]
        elif tag == "insert":
            rows += [_plain("added", line) for line in b[j1:j2]]
        else:
            rows += _replaced(a[i1:i2], b[j1:j2])
    return rows


@dataclass(frozen=True)
class Block:
    rows: list[Row]
    folded: bool  # a long unchanged stretch, shown collapsed


def diff_blocks(rows: list[Row], context: int = 1) -> list[Block]:
    """Rows grouped for reading: changes with `context` unchanged rows around them, and
    longer unchanged stretches folded (a charter of sixty articles with one amended)."""
    blocks: list[Block] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].kind == "same":
            j += 1
        if j == i:  # a change: gather it with any changes right after
            while j < len(rows) and rows[j].kind != "same":
                j += 1
            _append(blocks, rows[i:j], folded=False)
            i = j
            continue
        same = rows[i:j]
        keep_before = context if i > 0 else 0
        keep_after = context if j < len(rows) else 0
        if len(same) <= keep_before + keep_after + 1:
            _append(blocks, same, folded=False)
        else:
            _append(blocks, same[:keep_before], folded=False)
            blocks.append(Block(same[keep_before : len(same) - keep_after], folded=True))
            _append(blocks, same[len(same) - keep_after :], folded=False)
        i = j
    return blocks


def _append(blocks: list[Block], rows: list[Row], *, folded: bool) -> None:
    if not rows:
        return
    if blocks and not folded and not blocks[-1].folded:
        blocks[-1] = Block([*blocks[-1].rows, *rows], folded=False)
    else:
        blocks.append(Block(list(rows), folded))


def diff_summary(rows: list[Row]) -> dict[str, int]:
    return {kind: sum(row.kind == kind for row in rows) for kind in ("changed", "added", "removed")}


def diff_as_text(rows: list[Row]) -> list[str]:
    """The rows as plain lines, word-diff style: `  same`, `- removed`, `+ added`,
    `~ 第三条 每年召开[-两-]{+一+}次`. For tests, logs and text messages."""
    prefix = {"same": "  ", "removed": "- ", "added": "+ ", "changed": "~ "}
    wrap = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    out = []
    for row in rows:
        if row.kind == "changed":
            body = "".join(wrap[state].format(text) for text, state in row.stretches)
        else:
            body = row.old_text or row.new_text
        out.append(prefix[row.kind] + body)
    return out

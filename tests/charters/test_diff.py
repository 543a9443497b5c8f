"""The diff between two texts of a charter, read as tables: old text, new text, what a
reader sees (`  ` same, `-` removed, `+` added, `~` changed with [-went-]{+came+})."""

import pytest

from townhall.charters.diff import (
    Piece,
    Row,
    diff_as_text,
    diff_blocks,
    diff_summary,
    line_diff,
    text_diff,
)

ART1 = "第一条 本章程依据法律制定。"
ART2 = "第二条 居民会议每年至少召开两次。"
ART3 = "第三条 本章程自通过之日起施行。"
CHARTER = [ART1, ART2, ART3]

# name: (old lines, new lines, what the reader sees)
TABLE = {
    "identical": (CHARTER, CHARTER, [f"  {ART1}", f"  {ART2}", f"  {ART3}"]),
    "one character in one article": (
        CHARTER,
        [ART1, ART2.replace("两次", "一次"), ART3],
        [f"  {ART1}", "~ 第二条 居民会议每年至少召开[-两-]{+一+}次。", f"  {ART3}"],
    ),
    "an article added": (
        CHARTER,
        [ART1, ART2, "第二条之一 居民代表会议每季度召开一次。", ART3],
        [f"  {ART1}", f"  {ART2}", "+ 第二条之一 居民代表会议每季度召开一次。", f"  {ART3}"],
    ),
    "an article removed": (
        CHARTER,
        [ART1, ART3],
        [f"  {ART1}", f"- {ART2}", f"  {ART3}"],
    ),
    "an article rewritten beyond recognition": (
        ["第二条 居民会议每年召开两次。"],
        ["第二条 业主大会另行规定。"],
        ["- 第二条 居民会议每年召开两次。", "+ 第二条 业主大会另行规定。"],
    ),
    "an article inserted before an edited one": (
        ["甲条 居民会议每年召开两次。", ART3],
        ["新条 居委会设立下属委员会。", "甲条 居民会议每年召开一次。", ART3],
        ["+ 新条 居委会设立下属委员会。", "~ 甲条 居民会议每年召开[-两-]{+一+}次。", f"  {ART3}"],
    ),
    "a phrase inserted": (
        ["第五条 居民应当遵守本公约。"],
        ["第五条 居民及租户应当遵守本公约。"],
        ["~ 第五条 居民{+及租户+}应当遵守本公约。"],
    ),
    "numbers and words change whole, not digit by digit": (
        ["Article 3: elections every 2025 years, monthly."],
        ["Article 3: elections every 2026 years, weekly."],
        ["~ Article 3: elections every [-2025-]{+2026+} years, [-monthly-]{+weekly+}."],
    ),
    "from nothing": ([], ["第一条 总则。"], ["+ 第一条 总则。"]),
    "to nothing": (["第一条 总则。"], [], ["- 第一条 总则。"]),
}


@pytest.mark.parametrize(("old", "new", "expected"), TABLE.values(), ids=TABLE.keys())
def test_diff_reads_as_the_table_says(old, new, expected):
    assert diff_as_text(text_diff("\n".join(old), "\n".join(new))) == expected


def test_changed_line_keeps_every_character_on_each_side():
    row = line_diff("居民会议每年至少召开两次", "居民代表会议每年召开一次")

    assert row.old_text == "居民会议每年至少召开两次"
    assert row.new_text == "居民代表会议每年召开一次"
    assert Piece("代表", marked=True) in row.new
    assert Piece("至少", marked=True) in row.old


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n".join(CHARTER), "\n".join(CHARTER).replace("两", "三")),
        ("甲\n乙\n丙", "丁\n乙"),
        ("", "x"),
        ("a\n\nb", "a\nb\n\nc"),
    ],
)
def test_rows_rebuild_both_texts(old, new):
    rows = text_diff(old, new)

    assert [r.old_text for r in rows if r.kind != "added"] == old.splitlines()
    assert [r.new_text for r in rows if r.kind != "removed"] == new.splitlines()


def same(n):
    return [Row("same", (Piece(f"第{i}条"),), (Piece(f"第{i}条"),)) for i in range(n)]


CHANGE = Row("changed", (Piece("旧", True),), (Piece("新", True),))

# name: (rows, what is shown: · unchanged, ~ changed, [n] n unchanged rows folded)
BLOCKS = {
    "long unchanged stretches fold, one row of context stays": (
        [*same(5), CHANGE, *same(5)],
        "[4]·~·[4]",
    ),
    "short stretches between changes stay open": ([CHANGE, *same(3), CHANGE], "~···~"),
    "a longer stretch between changes folds in the middle": (
        [CHANGE, *same(6), CHANGE],
        "~·[4]·~",
    ),
    "nothing changed: all folded": (same(3), "[3]"),
    "a single unchanged row never folds": ([*same(1), CHANGE], "·~"),
}


@pytest.mark.parametrize(("rows", "shown"), BLOCKS.values(), ids=BLOCKS.keys())
def test_unchanged_stretches_fold_around_the_changes(rows, shown):
    def show(block):
        if block.folded:
            return f"[{len(block.rows)}]"
        return "".join("·" if r.kind == "same" else "~" for r in block.rows)

    assert "".join(show(block) for block in diff_blocks(rows)) == shown
    assert [r for block in diff_blocks(rows) for r in block.rows] == rows


def test_summary_counts_paragraphs_by_kind():
    rows = text_diff("甲条 一\n乙条\n丙条", "甲条 二\n丙条\n丁条")

    assert diff_summary(rows) == {"changed": 1, "added": 1, "removed": 1}

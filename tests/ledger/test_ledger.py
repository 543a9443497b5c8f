"""The ledger: append-only, chained, and every kind of tampering is found."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townhall.community.models import Grid
from townhall.ledger import subjects
from townhall.ledger.models import LedgerEntry
from townhall.ledger.services import ledger_append
from townhall.ledger.verification import ledger_export_lines, ledger_verify

from ..factories import GridFactory, UserFactory

OFFLINE = Path(__file__).resolve().parents[2] / "site" / "ledger" / "offline_verify.py"


def grid_content(grid: Grid) -> dict:
    return {"name": grid.name, "area": grid.area}


@pytest.fixture
def grid_subjects():
    """Grids stand in for any record a module registers (disclosures, decisions…)."""

    def load(pk):
        grid = Grid.objects.filter(pk=pk).first()
        return grid_content(grid) if grid else None

    subjects.register("community.grid", load)
    yield
    subjects.unregister("community.grid")


def record(grid, kind="grid.named", actor=None):
    with transaction.atomic():
        return ledger_append(
            kind=kind,
            subject=subjects.subject_of(grid),
            actor=actor,
            content=grid_content(grid),
            details={"note": "测试"},
        )


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain(db, grid_subjects):
    worker = UserFactory()
    grids = [GridFactory(name=f"第{i}网格") for i in range(1, 6)]
    for grid in grids:
        record(grid, actor=worker)
    return grids


def test_entries_are_numbered_and_chained(chain):
    entries = list(LedgerEntry.objects.all())

    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    result = ledger_verify()
    assert result.ok and result.checked == 5
    assert result.fingerprint == entries[-1].entry_hash


@pytest.mark.django_db(transaction=True)
def test_an_entry_cannot_be_written_outside_a_transaction(grid_subjects):
    with pytest.raises(RuntimeError):
        ledger_append(kind="x", subject="community.grid:1", content={})


def test_the_model_refuses_to_change_or_delete_an_entry(chain):
    entry = LedgerEntry.objects.first()
    entry.kind = "forged"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_editing_an_entrys_payload_is_found_at_that_entry(chain):
    entry = LedgerEntry.objects.get(seq=3)
    forged = entry.payload.replace("测试", "篡改")
    raw("UPDATE ledger_ledgerentry SET payload = %s WHERE seq = 3", [forged])

    result = ledger_verify()

    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.checked == 2


def test_editing_a_column_beside_the_payload_is_found(chain):
    raw("UPDATE ledger_ledgerentry SET kind = 'grid.renamed' WHERE seq = 2")

    result = ledger_verify()

    assert (result.ok, result.first_bad_seq) == (False, 2)
    assert "kind" in result.reason


def test_rehashing_a_forged_entry_still_breaks_the_next_link(chain):
    from townhall.ledger import canonical

    entry = LedgerEntry.objects.get(seq=2)
    forged = entry.payload.replace("测试", "篡改")
    raw(
        "UPDATE ledger_ledgerentry SET payload = %s, entry_hash = %s WHERE seq = 2",
        [forged, canonical.entry_hash(entry.prev_hash, forged)],
    )

    result = ledger_verify()

    assert (result.ok, result.first_bad_seq) == (False, 3)


def test_deleting_an_entry_in_the_middle_is_found(chain):
    raw("DELETE FROM ledger_ledgerentry WHERE seq = 3")

    result = ledger_verify()

    assert (result.ok, result.first_bad_seq) == (False, 4)


def test_deleting_the_last_entries_is_found_by_the_head(chain):
    raw("DELETE FROM ledger_ledgerentry WHERE seq >= 4")

    result = ledger_verify()

    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert "gone" in result.reason


def test_swapping_two_entries_is_found(chain):
    raw("UPDATE ledger_ledgerentry SET seq = 1000 WHERE seq = 2")
    raw("UPDATE ledger_ledgerentry SET seq = 2 WHERE seq = 3")
    raw("UPDATE ledger_ledgerentry SET seq = 3 WHERE seq = 1000")

    result = ledger_verify()

    assert (result.ok, result.first_bad_seq) == (False, 2)


def test_changing_a_record_behind_the_ledgers_back_is_found(chain):
    Grid.objects.filter(pk=chain[1].pk).update(name="偷改的名字")

    result = ledger_verify()

    assert not result.ok
    assert result.first_bad_seq == 2
    assert "changed after" in result.reason


def test_a_later_entry_for_the_same_record_supersedes_the_earlier_content(chain):
    grid = chain[0]
    grid.name = "改名后的网格"
    grid.save()
    record(grid, kind="grid.renamed")

    assert ledger_verify().ok


def test_verify_ledger_command_names_the_first_bad_entry(chain):
    raw("DELETE FROM ledger_ledgerentry WHERE seq = 2")

    with pytest.raises(CommandError, match="entry #3"):
        call_command("verify_ledger")


def test_offline_script_verifies_an_export_and_its_fingerprint(chain, tmp_path):
    export = tmp_path / "ledger.jsonl"
    export.write_text("".join(ledger_export_lines()), encoding="utf-8")
    fingerprint = ledger_verify().fingerprint

    ok = subprocess.run(
        [sys.executable, str(OFFLINE), str(export), fingerprint], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout
    assert "entry #5" in ok.stdout

    # A notice prints its own entry's hash, shortened and grouped in fours.
    third = LedgerEntry.objects.get(seq=3).entry_hash
    grouped = " ".join(third[i : i + 4] for i in range(0, 16, 4))
    found = subprocess.run(
        [sys.executable, str(OFFLINE), str(export), grouped], capture_output=True, text=True
    )
    assert found.returncode == 0 and "entry #3" in found.stdout
    unknown = subprocess.run(
        [sys.executable, str(OFFLINE), str(export), "0" * 16], capture_output=True, text=True
    )
    assert unknown.returncode == 1

    lines = export.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["payload"] = entry["payload"].replace("测试", "篡改")
    lines[2] = json.dumps(entry, ensure_ascii=False)
    export.write_text("\n".join(lines), encoding="utf-8")
    forged = subprocess.run(
        [sys.executable, str(OFFLINE), str(export)], capture_output=True, text=True
    )
    assert forged.returncode == 1
    assert "entry #3" in forged.stdout


TAMPERINGS = ["edit_payload", "edit_kind", "delete", "swap", "truncate", "edit_record"]


@pytest.mark.django_db
# grid_subjects only registers a loader: nothing in it needs resetting per example.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    count=st.integers(min_value=2, max_value=8),
    victim=st.integers(min_value=1, max_value=8),
    how=st.sampled_from(TAMPERINGS),
)
def test_any_single_tampering_is_found_and_an_untouched_ledger_verifies(
    grid_subjects, count, victim, how
):
    with transaction.atomic():
        sid = transaction.savepoint()
        grids = [GridFactory() for _ in range(count)]
        for grid in grids:
            record(grid)
        assert ledger_verify().ok
        victim = min(victim, count)
        if how == "edit_payload":
            raw("UPDATE ledger_ledgerentry SET payload = payload || ' ' WHERE seq = %s", [victim])
        elif how == "edit_kind":
            raw("UPDATE ledger_ledgerentry SET kind = 'forged' WHERE seq = %s", [victim])
        elif how == "delete":
            raw("DELETE FROM ledger_ledgerentry WHERE seq = %s", [victim])
        elif how == "swap":
            other = victim - 1 if victim > 1 else 2
            raw("UPDATE ledger_ledgerentry SET seq = 0 WHERE seq = %s", [victim])
            raw("UPDATE ledger_ledgerentry SET seq = %s WHERE seq = %s", [victim, other])
            raw("UPDATE ledger_ledgerentry SET seq = %s WHERE seq = 0", [other])
        elif how == "truncate":
            raw("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [victim])
        else:
            Grid.objects.filter(pk=grids[victim - 1].pk).update(name="偷改")
        assert not ledger_verify().ok
        transaction.savepoint_rollback(sid)

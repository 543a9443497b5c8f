"""Recording versions: numbered, immutable, in the ledger, and refused when they make no sense."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from townhall.charters.models import CharterKind, CharterPage, CharterVersion
from townhall.ledger.canonical import content_hash
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

pytestmark = pytest.mark.django_db

TEXT = "第一条 为规范居民自治，制定本章程。\n第二条 居民会议每年至少召开两次。"


def test_adopting_writes_a_ledger_entry_that_verifies(charter, adopt, staff):
    version = adopt(
        charter,
        TEXT,
        effective_from=date(2026, 3, 1),
        adopted_on=date(2026, 2, 20),
        adoption_reference="2026年第2次居民会议决议",
    )

    entry = LedgerEntry.objects.get()
    assert entry.kind == "charter.version_adopted"
    assert entry.subject == f"charters.charterversion:{version.pk}"
    assert entry.actor == staff
    assert entry.content_hash == content_hash(
        {
            "page": charter.pk,
            "kind": "self_governance",
            "number": 1,
            "text": TEXT,
            "effective_from": "2026-03-01",
            "adopted_on": "2026-02-20",
            "adoption_reference": "2026年第2次居民会议决议",
        }
    )
    assert ledger_verify().ok


def test_editing_a_version_behind_the_ledgers_back_is_found(charter, adopt):
    version = adopt(charter, TEXT)
    adopt(charter, TEXT.replace("两次", "一次"), effective_from=date(2026, 6, 1))

    CharterVersion.objects.filter(pk=version.pk).update(text=TEXT.replace("两次", "四次"))

    result = ledger_verify()
    assert not result.ok
    assert result.first_bad_seq == 1
    assert f"charters.charterversion:{version.pk} was changed" in result.reason


def test_changing_the_charters_kind_behind_the_ledgers_back_is_found(charter, adopt):
    adopt(charter, TEXT)

    CharterPage.objects.filter(pk=charter.pk).update(kind=CharterKind.CONVENTION)

    assert not ledger_verify().ok


def test_versions_are_numbered_per_charter(make_charter, adopt):
    charter, convention = make_charter(), make_charter(CharterKind.CONVENTION, title="居民公约")

    numbers = [
        adopt(charter, "甲").number,
        adopt(convention, "乙").number,
        adopt(charter, "丙").number,
    ]

    assert numbers == [1, 1, 2]


def test_a_recorded_version_is_never_edited_or_deleted(charter, adopt):
    version = adopt(charter, TEXT)
    version.text = "第一条 另一个文本。"

    with pytest.raises(RuntimeError, match="never changed"):
        version.save()
    with pytest.raises(RuntimeError, match="never deleted"):
        version.delete()
    version.refresh_from_db()
    assert version.text == TEXT


def test_text_is_stored_without_browser_line_endings_and_trailing_spaces(charter, adopt):
    version = adopt(charter, "\r\n第一条 总则。  \r\n\r\n\r\n\r\n第二条 附则。\r\n")

    assert version.text == "第一条 总则。\n\n第二条 附则。"


def test_unchanged_text_is_refused(charter, adopt):
    adopt(charter, TEXT)

    with pytest.raises(ValidationError) as refused:
        adopt(charter, TEXT + "\r\n", effective_from=date(2026, 6, 1))

    assert "text" in refused.value.message_dict
    assert CharterVersion.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_in_force_before_adoption_is_refused(charter, adopt):
    with pytest.raises(ValidationError) as refused:
        adopt(charter, TEXT, effective_from=date(2026, 1, 1), adopted_on=date(2026, 1, 2))

    assert "effective_from" in refused.value.message_dict
    assert not CharterVersion.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_an_amendment_cannot_take_effect_before_the_version_it_amends(charter, adopt):
    adopt(charter, TEXT, effective_from=date(2026, 6, 1))

    with pytest.raises(ValidationError) as refused:
        adopt(charter, "新文本", effective_from=date(2026, 5, 1))

    assert "effective_from" in refused.value.message_dict


@pytest.mark.parametrize(
    ("text", "reference", "field"),
    [("  \n ", "决议", "text"), ("文本", "  ", "adoption_reference")],
)
def test_empty_text_or_reference_is_refused(charter, adopt, text, reference, field):
    with pytest.raises(ValidationError) as refused:
        adopt(charter, text, adoption_reference=reference)

    assert field in refused.value.message_dict


def test_the_database_itself_refuses_a_version_in_force_before_adoption(charter, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersion.objects.create(
            page=charter,
            number=1,
            text=TEXT,
            effective_from=date(2026, 1, 1),
            adopted_on=date(2026, 2, 1),
            adoption_reference="决议",
            adopted_by=staff,
        )


def test_kind_cannot_change_once_versions_are_recorded(charter, adopt):
    charter.kind = CharterKind.CONVENTION
    charter.full_clean()  # no versions yet: editors may still correct it

    adopt(CharterPage.objects.get(pk=charter.pk), TEXT)

    with pytest.raises(ValidationError) as refused:
        charter.full_clean()
    assert "kind" in refused.value.message_dict

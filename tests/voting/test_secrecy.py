"""The proof the issue asks for: after a secret poll is counted, nothing in the database
links a voter to a ballot. Who voted (participation) and what was voted (ballots) share
no key, no time, no serial number and no physical order; comments are apart from both;
no other table holds a receipt."""

import os
import random

import pytest
from django.db import connection, models

from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from voting import services
from voting.models import Ballot, BallotComment, Participation, Poll

from ..factories import CommitteeFactory, GridFactory
from .conftest import choose, in_hours, option_id

ON_POSTGRES = connection.vendor == "postgresql"


def physical_order(table: str, poll: Poll, column: str) -> list:
    """Rows as stored: SQLite's rowid, PostgreSQL's ctid (heap position)."""
    position = "ctid" if ON_POSTGRES else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE poll_id = %s ORDER BY {position}", [poll.pk]
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def voters(make_person, committee, grid):
    return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(12)]


@pytest.fixture
def review(open_poll, voters):
    return open_poll(
        title="居委会年度满意度测评",
        method=Poll.Method.GRADED,
        options=["满意", "基本满意", "不满意"],
        subjects=["居委会整体"],
    )


def vote_everyone(poll, voters) -> list[str]:
    """Each voter casts a random grade with a comment naming their turn; the receipts in
    the order of voting."""
    (subject,) = poll.subjects.values_list("pk", flat=True)
    grades = list(poll.options.values_list("pk", flat=True))
    receipts = []
    for turn, voter in enumerate(voters):
        receipts.append(
            services.ballot_cast(
                poll=poll,
                voter=voter,
                content={"grades": {str(subject): random.choice(grades)}},
                comment=f"第{turn}位的意见",
            )
        )
    return receipts


def all_text_values(skip: set[str]):
    """Every value of every column of every table, as text, with where it was found."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in skip:
                continue
            columns = [
                col.name for col in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, column, str(value)


def test_ballot_rows_carry_no_voter_no_time_and_no_serial_key(db):
    with connection.cursor() as cursor:
        columns = {
            col.name
            for col in connection.introspection.get_table_description(cursor, "voting_ballot")
        }
    # The elector column is filled only on named polls (checked below for secret ones).
    assert columns == {"receipt", "poll_id", "content", "channel", "elector_id"}
    assert Ballot._meta.pk.name == "receipt"
    assert not any(isinstance(f, models.DateField) for f in Ballot._meta.concrete_fields)
    with connection.cursor() as cursor:
        comment_columns = {
            col.name
            for col in connection.introspection.get_table_description(
                cursor, "voting_ballotcomment"
            )
        }
    assert comment_columns == {"id", "poll_id", "text"}


def test_after_the_count_nothing_links_a_voter_to_a_ballot(review, voters, chair):
    receipts = vote_everyone(review, voters)
    # While the poll runs, the ballots sit in the order of voting: that is what the count
    # must undo (and what this test would catch if it did not).
    assert physical_order("voting_ballot", review, "receipt") == receipts
    comment_ids_before = set(BallotComment.objects.values_list("pk", flat=True))

    services.poll_close(poll=review, by=chair, reason="全部居民已完成测评")

    ballots = Ballot.objects.filter(poll=review)
    assert ballots.count() == len(voters)
    assert not ballots.filter(elector__isnull=False).exists()
    # Physical order is receipt order, which is random: not the order of voting.
    assert physical_order("voting_ballot", review, "receipt") == sorted(receipts)
    # Comments were rewritten: the ids they had while the poll ran (in the order of
    # voting) are gone; the texts remain, and nothing points from them to anyone.
    texts = physical_order("voting_ballotcomment", review, "text")
    assert sorted(texts) == sorted(f"第{turn}位的意见" for turn in range(len(voters)))
    assert not comment_ids_before & set(BallotComment.objects.values_list("pk", flat=True))

    # No other table holds a receipt: no log, no ledger entry, no session, no cache row.
    found = [
        (table, column)
        for table, column, value in all_text_values(skip={"voting_ballot"})
        for receipt in receipts
        if receipt in value
    ]
    assert found == []

    # The ledger says the poll opened and was counted, nothing per ballot.
    assert list(
        LedgerEntry.objects.filter(subject=subject_of(review))
        .order_by("seq")
        .values_list("kind", flat=True)
    ) == ["poll.opened", "poll.closed_early", "poll.counted"]
    assert LedgerEntry.objects.count() == 3

    # Who voted is still known (turnout, the audit), but not what.
    assert Participation.objects.filter(poll=review).count() == len(voters)


def test_a_secret_yes_no_poll_keeps_no_elector_and_a_named_one_does(
    poll, residents, open_poll, make_person, committee
):
    for voter in residents:
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))
    representative = make_person(committee, Role.REPRESENTATIVE)
    named = open_poll(title="代表表决", electorate=Poll.Electorate.REPRESENTATIVES, named=True)
    services.ballot_cast(poll=named, voter=representative, content=choose(named, "no"))

    services.poll_close(poll=poll, by=poll.opened_by, reason="提前结束")
    services.poll_close(poll=named, by=named.opened_by, reason="提前结束")

    assert not Ballot.objects.filter(poll=poll, elector__isnull=False).exists()
    assert Ballot.objects.get(poll=named).elector.person == representative
    assert Poll.objects.get(pk=poll.pk).result["tally"][str(option_id(poll, "yes"))] == 5


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="transaction ids (xmin) are PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_on_postgres_ballots_do_not_carry_the_voters_transaction(make_person):
    """Each ballot is written in its voter's transaction, and so is their participation
    row: PostgreSQL's xmin would pair them. The count rewrites the ballots in its own."""
    committee = CommitteeFactory()
    grid = GridFactory(committee=committee)
    chair = make_person(committee, Role.CHAIR, mfa=True)
    voters = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(6)]
    poll = services.poll_open(
        poll=services.poll_create(
            committee=committee,
            by=chair,
            title="是否同意",
            method=Poll.Method.YES_NO,
            closes_at=in_hours(1),
            electorate=Poll.Electorate.RESIDENTS,
            base=Poll.Base.CAST,
        ),
        by=chair,
    )
    for voter in voters:
        services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))

    def xmins(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE poll_id = %s", [poll.pk])
            return {row[0] for row in cursor.fetchall()}

    assert xmins("voting_ballot") == xmins("voting_participation")  # the link, while open

    services.poll_close(poll=poll, by=chair, reason="提前结束")

    assert len(xmins("voting_ballot")) == 1
    assert not xmins("voting_ballot") & xmins("voting_participation")

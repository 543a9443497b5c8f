"""The ballot board as files: the public JSON and CSV carry receipts and contents but no
names; the auditors' table carries names but never contents."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.community.models import Role
from voting import exports, services
from voting.models import Option, Poll
from voting.proxies import proxy_grant

from .conftest import choose


def vote(poll, people, codes):
    return [
        services.ballot_cast(poll=poll, voter=person, content=choose(poll, code))
        for person, code in zip(people, codes, strict=True)
    ]


@pytest.fixture
def counted(poll, residents, chair):
    receipts = vote(poll, residents[:4], ["yes", "no", "yes", "abstain"])
    services.poll_close(poll=poll, by=chair, reason="提前完成表决")
    poll.refresh_from_db()
    poll.receipts = receipts
    return poll


def test_the_public_board_names_no_one(counted, residents):
    board = json.dumps(exports.board_export(counted), ensure_ascii=False)

    for person in residents:
        for identity in (person.real_name, person.display_name, person.username, person.phone):
            assert identity not in board
    data = json.loads(board)
    assert all(
        set(row) == {"id", "basis", "present_at_close", "voted"} for row in data["electorate"]
    )
    assert all("elector" not in ballot for ballot in data["ballots"])
    assert sum(row["voted"] for row in data["electorate"]) == 4


def test_the_board_lists_every_ballot_in_receipt_order_with_the_published_result(counted):
    board = exports.board_export(counted)

    receipts = [ballot["receipt"] for ballot in board["ballots"]]
    assert receipts == sorted(counted.receipts)
    assert board["format"] == "townhall-ballot-board/1"
    assert board["result"] == counted.result
    assert board["poll"]["eligible"] == 5 and len(board["electorate"]) == 5
    assert {o["code"] for o in board["options"]} == {"yes", "no", "abstain"}


def test_no_board_before_the_count(poll):
    with pytest.raises(ValidationError):
        exports.board_export(poll)
    with pytest.raises(ValidationError):
        exports.board_csv_rows(poll)


def test_a_named_poll_puts_each_elector_on_their_ballot(open_poll, make_person, committee, chair):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(3)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, body="representatives", named=True)
    vote(poll, representatives, ["yes", "yes", "no"])
    services.poll_close(poll=poll, by=chair, reason="表决完毕")
    poll.refresh_from_db()

    board = exports.board_export(poll)
    by_elector = {ballot["elector"]: ballot["content"] for ballot in board["ballots"]}
    electors = dict(poll.electors.values_list("person_id", "pk"))
    assert by_elector[electors[representatives[2].pk]] == choose(poll, "no")

    rows = exports.board_csv_rows(poll)
    assert len(rows[0]) == 4  # receipt, how, voter, choice
    assert str(representatives[2]) in {row[2] for row in rows[1:]}


def test_the_spreadsheet_says_each_choice_in_words(counted):
    rows = exports.board_csv_rows(counted)

    assert len(rows) == 1 + 4
    labels = dict(Option.objects.filter(poll=counted).values_list("code", "label"))
    assert sorted(row[-1] for row in rows[1:]) == sorted(
        [labels["yes"], labels["yes"], labels["no"], labels["abstain"]]
    )
    assert [row[0] for row in rows[1:]] == sorted(counted.receipts)


def test_the_audit_table_names_voters_and_proxies_but_never_what_they_voted(
    open_poll, residents, chair, staff
):
    poll = open_poll(proxies_allowed=True)
    grantor, holder = residents[:2]
    proxy_grant(poll=poll, grantor=grantor, holder=holder, by=staff, document="委托书008号")
    grantor_row = poll.electors.get(person=grantor)
    services.ballot_cast(
        poll=poll, voter=holder, content=choose(poll, "yes"), on_behalf_of=grantor_row
    )
    services.ballot_cast(poll=poll, voter=residents[2], content=choose(poll, "no"))

    rows = exports.audit_rows(poll)

    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {person.real_name for person in residents}
    given = by_name[grantor.real_name]
    assert given[3:5] == [holder.real_name, "委托书008号"]
    assert given[7] == holder.real_name  # cast by the holder
    assert given[5] and given[6]  # when and how
    assert by_name[residents[4].real_name][5:] == ["", "", "", ""]  # not voted
    labels = set(Option.objects.filter(poll=poll).values_list("label", flat=True))
    assert not labels & {cell for row in rows for cell in row}


def test_the_audit_table_takes_the_same_queries_for_two_voters_or_five(
    open_poll, residents, make_person, committee, grid
):
    small = open_poll()
    vote(small, residents[:2], ["yes", "no"])
    with CaptureQueriesContext(connection) as few:
        exports.audit_rows(small)

    for _ in range(5):
        make_person(committee, Role.RESIDENT, grid=grid)
    large = open_poll()
    vote(large, residents, ["yes", "no", "yes", "no", "abstain"])
    with CaptureQueriesContext(connection) as many:
        exports.audit_rows(large)

    assert len(many.captured_queries) == len(few.captured_queries)

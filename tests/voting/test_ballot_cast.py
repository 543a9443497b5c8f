"""Casting a ballot: the receipt, exactly once (first ballot counts), who may vote, what a
ballot may contain, proxies, named polls, and the number of queries on the vote path."""

import re
import weakref
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from voting import receipts, selectors, services
from voting.models import Ballot, BallotComment, Channel, Elector, Participation, Poll
from voting.services import BallotRefused

from ..factories import CommitteeFactory
from .conftest import choose, option_id
from .factories import ProxyFactory

RECEIPT = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def refusal(**cast) -> BallotRefused:
    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(**cast)
    return refused.value


# Receipts ------------------------------------------------------------------------------


def test_receipts_are_twelve_unambiguous_characters_in_three_groups():
    codes = {receipts.receipt_new() for _ in range(2000)}

    assert len(codes) == 2000
    assert all(RECEIPT.match(code) for code in codes)
    assert not set("".join(codes)) & set("01OIL")


def test_a_receipt_typed_loosely_is_found():
    assert receipts.receipt_normalize(" 7kqf m2xh-9rtb ") == "7KQF-M2XH-9RTB"
    assert receipts.receipt_normalize("7KQF-M2XH-9RT") is None  # one character short
    assert receipts.receipt_normalize("7KQF-M2XH-9RT0") is None  # 0 is never in a receipt


def test_a_ballot_returns_its_receipt_and_stores_who_apart_from_what(poll, residents):
    receipt = services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))

    assert RECEIPT.match(receipt)
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.receipt == receipt and ballot.elector is None
    assert ballot.content == {"options": [option_id(poll, "yes")]}
    assert ballot.channel == Channel.ONLINE
    voted = Participation.objects.get(poll=poll)
    assert voted.elector.person == residents[0] and voted.cast_by == residents[0]
    assert voted.channel == Channel.ONLINE
    # Nothing about the ballot in the ledger: its time would link it to the voter.
    assert not LedgerEntry.objects.filter(kind__startswith="ballot").exists()
    assert selectors.turnout(poll) == {"voted": 1, "eligible": 5}


def test_the_turnout_is_pushed_after_the_ballot_commits(
    poll, residents, django_capture_on_commit_callbacks, monkeypatch
):
    from voting import live

    pushed = []
    monkeypatch.setattr(live, "turnout_push", lambda poll: pushed.append(poll.pk))

    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))

    assert pushed == [poll.pk]


# Exactly once --------------------------------------------------------------------------


def test_first_ballot_counts_and_a_second_is_refused(poll, residents):
    voter = residents[0]
    first = services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))

    refused = refusal(poll=poll, voter=voter, content=choose(poll, "no"))

    assert refused.code == "already_voted"
    assert refused.message == (
        "You have already voted in this poll. Only your first ballot counts."
    )
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.receipt == first
    assert ballot.content == choose(poll, "yes")  # unchanged: there is no changing a vote
    assert Participation.objects.filter(poll=poll).count() == 1


def test_a_refused_second_ballot_leaves_the_voters_transaction_usable(poll, residents):
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    refusal(poll=poll, voter=residents[0], content=choose(poll, "no"))

    services.ballot_cast(poll=poll, voter=residents[1], content=choose(poll, "no"))

    assert Ballot.objects.filter(poll=poll).count() == 2


# Who may vote --------------------------------------------------------------------------


def test_someone_outside_the_electorate_is_refused(poll, make_person):
    outsider = make_person(CommitteeFactory(), Role.RESIDENT)

    refused = refusal(poll=poll, voter=outsider, content=choose(poll, "yes"))

    assert refused.code == "not_eligible"
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_staff_of_the_committee_do_not_vote_as_such(poll, chair):
    assert refusal(poll=poll, voter=chair, content=choose(poll, "yes")).code == "not_eligible"


# What a ballot may contain -------------------------------------------------------------


def test_two_options_on_a_yes_no_ballot_are_invalid_and_nothing_is_written(poll, residents):
    content = {"options": [option_id(poll, "yes"), option_id(poll, "no")]}

    refused = refusal(poll=poll, voter=residents[0], content=content)

    assert refused.code == "invalid" and "exactly one" in refused.message
    assert not Participation.objects.exists()
    # The voter can still vote properly afterwards.
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))


def test_an_option_of_another_poll_is_invalid(poll, open_poll, residents):
    other = open_poll(title="另一个表决")

    refused = refusal(poll=poll, voter=residents[0], content=choose(other, "yes"))

    assert refused.code == "invalid" and "not one of the poll's options" in refused.message


def test_form_values_are_stored_as_numbers_and_options_sorted(open_poll, residents):
    poll = open_poll(
        method=Poll.Method.MULTIPLE, options=["甲", "乙", "丙"], min_choices=1, max_choices=3
    )
    ids = list(poll.options.order_by("order").values_list("pk", flat=True))

    services.ballot_cast(
        poll=poll, voter=residents[0], content={"options": [str(ids[2]), str(ids[0])]}
    )

    assert Ballot.objects.get(poll=poll).content == {"options": [ids[0], ids[2]]}
    too_many = refusal(poll=poll, voter=residents[1], content={"options": []})
    assert too_many.code == "invalid"


@pytest.fixture
def review(open_poll, residents):
    return open_poll(
        title="居委会年度民主评议",
        method=Poll.Method.GRADED,
        options=["满意", "基本满意", "不满意"],
        subjects=["居委会整体", "张主任"],
    )


def grades(poll, *labels) -> dict:
    subjects = poll.subjects.order_by("order").values_list("pk", flat=True)
    return {
        "grades": {
            str(subject): option_id(poll, label=label)
            for subject, label in zip(subjects, labels, strict=True)
        }
    }


def test_graded_ballot_keeps_its_comment_apart(review, residents):
    services.ballot_cast(
        poll=review,
        voter=residents[0],
        content=grades(review, "满意", "基本满意"),
        comment=" 希望多组织老年活动 ",
    )

    assert Ballot.objects.get(poll=review).content == grades(review, "满意", "基本满意")
    assert list(BallotComment.objects.filter(poll=review).values_list("text", flat=True)) == [
        "希望多组织老年活动"
    ]


def test_a_graded_ballot_must_rate_everyone(review, residents):
    subject = review.subjects.order_by("order").first()
    content = {"grades": {str(subject.pk): option_id(review, label="满意")}}

    refused = refusal(poll=review, voter=residents[0], content=content, comment="意见")

    assert refused.code == "invalid" and "everyone rated" in refused.message
    assert not BallotComment.objects.exists()


def test_a_comment_over_the_limit_is_refused(review, residents):
    refused = refusal(
        poll=review, voter=residents[0], content=grades(review, "满意", "满意"), comment="长" * 1001
    )
    assert refused.code == "invalid" and "1000" in refused.message


# Proxies -------------------------------------------------------------------------------


@pytest.fixture
def proxy_poll(open_poll, residents):
    return open_poll(proxies_allowed=True)


def elector(poll, person) -> Elector:
    return Elector.objects.get(poll=poll, person=person)


def test_a_proxy_holder_casts_the_grantors_vote(proxy_poll, residents, chair):
    grantor, holder = residents[0], residents[1]
    ProxyFactory(
        poll=proxy_poll,
        grantor=elector(proxy_poll, grantor),
        holder=elector(proxy_poll, holder),
        recorded_by=chair,
    )
    assert selectors.proxies_held(proxy_poll, holder) == [elector(proxy_poll, grantor)]

    services.ballot_cast(
        poll=proxy_poll,
        voter=holder,
        content=choose(proxy_poll, "no"),
        on_behalf_of=elector(proxy_poll, grantor),
    )

    voted = Participation.objects.get(poll=proxy_poll)
    assert voted.elector.person == grantor and voted.cast_by == holder
    assert voted.channel == Channel.PROXY and Ballot.objects.get().channel == Channel.PROXY
    assert selectors.proxies_held(proxy_poll, holder) == []
    # The grantor's vote is cast; the holder still has their own.
    assert refusal(poll=proxy_poll, voter=grantor, content=choose(proxy_poll, "yes")).code == (
        "already_voted"
    )
    services.ballot_cast(poll=proxy_poll, voter=holder, content=choose(proxy_poll, "yes"))
    assert Participation.objects.filter(poll=proxy_poll).count() == 2


def test_only_the_holder_may_use_a_proxy(proxy_poll, residents, chair):
    grantor = elector(proxy_poll, residents[0])
    ProxyFactory(
        poll=proxy_poll,
        grantor=grantor,
        holder=elector(proxy_poll, residents[1]),
        recorded_by=chair,
    )

    refused = refusal(
        poll=proxy_poll,
        voter=residents[2],
        content=choose(proxy_poll, "yes"),
        on_behalf_of=grantor,
    )

    assert refused.code == "proxy" and "do not hold a written proxy" in refused.message
    assert not Participation.objects.exists()


def test_no_proxy_voting_where_the_poll_does_not_allow_it(poll, residents, chair):
    grantor = elector(poll, residents[0])
    ProxyFactory(poll=poll, grantor=grantor, holder=elector(poll, residents[1]), recorded_by=chair)

    refused = refusal(
        poll=poll, voter=residents[1], content=choose(poll, "yes"), on_behalf_of=grantor
    )

    assert refused.code == "proxy" and "does not allow proxies" in refused.message


# Named polls ---------------------------------------------------------------------------


def test_a_named_poll_ballot_names_its_elector_and_shows_a_running_tally(
    open_poll, make_person, committee
):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(3)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True)

    services.ballot_cast(poll=poll, voter=representatives[0], content=choose(poll, "yes"))

    assert Ballot.objects.get(poll=poll).elector == elector(poll, representatives[0])
    tally = selectors.running_tally(poll)
    assert tally[str(option_id(poll, "yes"))] == 1 and tally[str(option_id(poll, "no"))] == 0


def test_a_secret_poll_has_no_running_tally(poll, residents):
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    assert selectors.running_tally(poll) is None


# The vote path's cost ------------------------------------------------------------------


def _statements(captured) -> list[str]:
    # The test's own transaction turns the service's into a savepoint: not a statement.
    return [
        q["sql"].split()[0].upper()
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_a_ballot_is_one_statement_on_postgresql(poll, residents, django_assert_max_num_queries):
    # The first ballot a process sees for a poll takes the locked path, which also
    # reads and keeps the poll's ballot shape (its option ids); the next one prepares
    # the one statement on the connection if it is not yet.
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    services.ballot_cast(poll=poll, voter=residents[1], content=choose(poll, "yes"))
    content = choose(poll, "no")

    with django_assert_max_num_queries(5) as captured:
        services.ballot_cast(poll=poll, voter=residents[2], content=content)

    if connection.vendor == "postgresql":
        # The lock, the elector row, the window and both rows: one prepared statement.
        assert _statements(captured) == ["EXECUTE"]
    else:
        # The poll under the lock with the elector row, then the two inserts.
        assert _statements(captured) == ["SELECT", "INSERT", "INSERT"]
    assert Ballot.objects.filter(poll=poll, content=content).count() == 1


def test_a_lost_prepared_statement_is_prepared_again(poll, residents):
    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    services.ballot_cast(poll=poll, voter=residents[1], content=choose(poll, "yes"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would

    services.ballot_cast(poll=poll, voter=residents[2], content=choose(poll, "no"))

    assert Participation.objects.filter(poll=poll).count() == 3


def test_a_statement_never_kept_prepared_runs_as_plain_sql(poll, residents, monkeypatch):
    from voting.services import ballots

    services.ballot_cast(poll=poll, voter=residents[0], content=choose(poll, "yes"))
    # As behind a pooler that hands every statement to another server session: what was
    # prepared is never there when it is executed.
    monkeypatch.setattr(ballots, "_PREPARE", "SELECT 1")
    monkeypatch.setattr(ballots, "_prepared_on", weakref.WeakSet())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")

    with CaptureQueriesContext(connection) as queries:
        services.ballot_cast(poll=poll, voter=residents[1], content=choose(poll, "no"))
    again = refusal(poll=poll, voter=residents[1], content=choose(poll, "yes"))

    assert again.code == "already_voted"
    if connection.vendor == "postgresql":
        assert queries.captured_queries[-2]["sql"].lstrip().startswith("WITH poll")
    assert Ballot.objects.filter(poll=poll, content=choose(poll, "no")).count() == 1


# After a first ballot, the next ones of the process take the one-statement path on
# PostgreSQL: it must judge every ballot as the locked path does.


@pytest.fixture
def warm(poll, residents):
    """`poll` after residents[4] voted yes: the process knows its ballot shape."""
    services.ballot_cast(poll=poll, voter=residents[4], content=choose(poll, "yes"))
    return poll


@pytest.fixture
def at(monkeypatch):
    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def test_the_window_edge_holds_after_a_first_ballot(warm, residents, at):
    at(warm.closes_at - timedelta(microseconds=1))
    services.ballot_cast(poll=warm, voter=residents[0], content=choose(warm, "no"))
    at(warm.closes_at)

    refused = refusal(poll=warm, voter=residents[1], content=choose(warm, "no"))

    assert refused.code == "closed" and "too late" in refused.message
    assert Participation.objects.filter(poll=warm).count() == 2


def test_an_early_close_refuses_the_next_ballot(warm, residents, chair):
    services.poll_close(poll=warm, by=chair, reason="停电")

    refused = refusal(poll=warm, voter=residents[0], content=choose(warm, "no"))

    assert refused.code == "closed"
    assert Poll.objects.get(pk=warm.pk).result["cast"] == 1


def test_after_a_first_ballot_a_second_and_an_outsider_are_refused(warm, residents, make_person):
    outsider = make_person(CommitteeFactory(), Role.RESIDENT)
    title = Poll(pk=warm.pk)

    again = refusal(poll=title, voter=residents[4], content=choose(warm, "no"))
    stranger = refusal(poll=warm, voter=outsider, content=choose(warm, "no"))

    assert again.code == "already_voted" and stranger.code == "not_eligible"
    assert title.title == warm.title  # the refusal page names the poll without a query
    assert Ballot.objects.get(poll=warm).content == choose(warm, "yes")


def test_after_a_first_ballot_a_content_that_does_not_fit_is_invalid(warm, residents):
    both = {"options": [option_id(warm, "yes"), option_id(warm, "no")]}

    assert refusal(poll=warm, voter=residents[0], content=both).code == "invalid"
    assert Participation.objects.filter(poll=warm).count() == 1


def test_after_a_first_ballot_proxies_are_checked(open_poll, residents, chair):
    poll = open_poll(proxies_allowed=True)
    services.ballot_cast(poll=poll, voter=residents[4], content=choose(poll, "yes"))
    grantor = elector(poll, residents[0])
    ProxyFactory(poll=poll, grantor=grantor, holder=elector(poll, residents[1]), recorded_by=chair)

    refused = refusal(
        poll=poll, voter=residents[2], content=choose(poll, "no"), on_behalf_of=grantor
    )
    services.ballot_cast(
        poll=poll, voter=residents[1], content=choose(poll, "no"), on_behalf_of=grantor
    )

    assert refused.code == "proxy"
    voted = Participation.objects.get(poll=poll, elector=grantor)
    assert voted.channel == Channel.PROXY and voted.cast_by == residents[1]


def test_after_a_first_ballot_a_named_poll_still_names_the_elector(
    open_poll, make_person, committee
):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(2)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True)
    for representative in representatives:
        services.ballot_cast(poll=poll, voter=representative, content=choose(poll, "no"))

    assert {ballot.elector for ballot in Ballot.objects.filter(poll=poll)} == {
        elector(poll, representative) for representative in representatives
    }


def test_a_stale_ballot_shape_is_not_trusted(warm, residents):
    from voting.services import ballots

    # As if the process had kept the shape of another poll under this id (an id reused
    # after a rollback): other options, another creation time.
    key = (connection.alias, warm.pk)
    ballots._SHAPES[key] = ballots._SHAPES[key]._replace(
        created_at=warm.created_at - timedelta(days=1), options=frozenset({-1})
    )

    services.ballot_cast(poll=warm, voter=residents[0], content=choose(warm, "no"))
    ballots._SHAPES[key] = ballots._SHAPES[key]._replace(
        created_at=warm.created_at - timedelta(days=1)
    )
    services.ballot_cast(poll=warm, voter=residents[1], content=choose(warm, "abstain"))

    assert Participation.objects.filter(poll=warm).count() == 3
    assert ballots._SHAPES[key].created_at == warm.created_at

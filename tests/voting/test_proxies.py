"""Written proxies: at most three per holder, no chains, never in representatives'
votes, recorded in the ledger without names, and the holder casts the grantor's one vote."""

import json
import os
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify
from voting import selectors, services
from voting.models import Participation, Poll, Proxy
from voting.proxies import proxy_grant
from voting.services import BallotRefused

from .conftest import choose

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="concurrent writers need PostgreSQL; SQLite has one writer",
)


def text(error) -> str:
    return " ".join(error.messages)


@pytest.fixture
def proxy_poll(open_poll, residents):
    return open_poll(proxies_allowed=True)


def grant(poll, grantor, holder, *, by=None, document="委托书001号"):
    return proxy_grant(
        poll=poll, grantor=grantor, holder=holder, by=by or grantor, document=document
    )


def test_a_holder_carries_three_proxies_and_the_fourth_is_refused(proxy_poll, residents):
    holder, *grantors = residents  # five residents: a holder and four who would grant

    for grantor in grantors[:3]:
        grant(proxy_poll, grantor, holder)
    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, grantors[3], holder)

    assert "already carries 3 proxies" in text(error.value)
    assert Proxy.objects.filter(poll=proxy_poll).count() == 3
    assert len(selectors.proxies_held(proxy_poll, holder)) == 3


def test_a_holder_cannot_pass_proxies_on(proxy_poll, residents):
    a, b, c = residents[:3]
    grant(proxy_poll, a, b)

    # b carries a's vote, so cannot give their own away: a's would travel on to c.
    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, b, c)
    assert "cannot be passed on" in text(error.value)

    # a gave their vote away, so cannot carry c's.
    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, c, a)
    assert "cannot be passed on" in text(error.value)
    assert Proxy.objects.filter(poll=proxy_poll).count() == 1


def test_a_voter_gives_one_proxy_only(proxy_poll, residents):
    a, b, c = residents[:3]
    grant(proxy_poll, a, b)

    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, a, c)

    assert "already given a written proxy" in text(error.value)


def test_no_proxy_to_oneself(proxy_poll, residents):
    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, residents[0], residents[0])
    assert "cannot give a proxy to themselves" in text(error.value)


def test_poll_without_proxies_refuses_them(open_poll, residents):
    poll = open_poll()  # proxies_allowed is off by default

    with pytest.raises(ValidationError) as error:
        grant(poll, residents[0], residents[1])

    assert "does not allow proxies" in text(error.value)


def test_representatives_vote_in_person(open_poll, make_person, committee):
    a, b = (make_person(committee, Role.REPRESENTATIVE) for _ in range(2))
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, body="representatives", named=True)

    with pytest.raises(ValidationError) as error:
        grant(poll, a, b)

    assert "Representatives vote in person" in text(error.value)
    assert not Proxy.objects.exists()


def test_someone_outside_the_electorate_can_neither_give_nor_hold(
    proxy_poll, residents, make_person, committee
):
    outsider = make_person(committee, Role.GRID_WORKER)

    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, outsider, residents[0])
    assert "who gives the proxy, cannot vote in this poll" in text(error.value)

    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, residents[0], outsider)
    assert "who would hold the proxy, cannot vote in this poll" in text(error.value)


def test_the_office_types_in_a_paper_form_with_its_number(proxy_poll, residents, staff):
    a, b = residents[:2]

    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, a, b, by=staff, document="  ")
    assert "number of the signed proxy form" in text(error.value)

    proxy = grant(proxy_poll, a, b, by=staff, document="委托书017号")
    assert (proxy.document, proxy.recorded_by) == ("委托书017号", staff)


def test_a_resident_cannot_record_someone_elses_proxy(proxy_poll, residents):
    a, b, c = residents[:3]
    with pytest.raises(PermissionDenied):
        grant(proxy_poll, a, b, by=c)
    assert not Proxy.objects.exists()


def test_online_grant_without_a_note_is_recorded_as_online(proxy_poll, residents):
    proxy = grant(proxy_poll, residents[0], residents[1], document="")
    assert proxy.document  # stated in the site's language, never left blank


def test_the_holder_casts_the_grantors_vote_once(proxy_poll, residents):
    grantor, holder = residents[:2]
    grant(proxy_poll, grantor, holder)
    grantor_row = selectors.elector_for(proxy_poll, grantor)

    services.ballot_cast(
        poll=proxy_poll, voter=holder, content=choose(proxy_poll, "yes"), on_behalf_of=grantor_row
    )

    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(poll=proxy_poll, voter=grantor, content=choose(proxy_poll, "no"))
    assert refused.value.code == "already_voted"
    with pytest.raises(BallotRefused) as refused:
        services.ballot_cast(
            poll=proxy_poll,
            voter=holder,
            content=choose(proxy_poll, "no"),
            on_behalf_of=grantor_row,
        )
    assert refused.value.code == "already_voted"
    participation = Participation.objects.get(elector=grantor_row)
    assert (participation.channel, participation.cast_by) == ("proxy", holder)
    # The holder's own vote is still theirs to cast.
    services.ballot_cast(poll=proxy_poll, voter=holder, content=choose(proxy_poll, "no"))
    assert Participation.objects.filter(poll=proxy_poll).count() == 2


def test_no_proxy_once_the_grantor_has_voted(proxy_poll, residents):
    grantor, holder = residents[:2]
    services.ballot_cast(poll=proxy_poll, voter=grantor, content=choose(proxy_poll, "yes"))

    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, grantor, holder)

    assert "already voted" in text(error.value)


def test_no_proxy_in_a_draft_or_a_closed_poll(make_poll, proxy_poll, residents, chair):
    draft = make_poll(proxies_allowed=True)
    with pytest.raises(ValidationError) as error:
        grant(draft, residents[0], residents[1])
    assert "once the poll is open" in text(error.value)

    services.poll_close(poll=proxy_poll, by=chair, reason="会议提前结束")
    with pytest.raises(ValidationError) as error:
        grant(proxy_poll, residents[0], residents[1])
    assert "closed" in text(error.value)


def test_the_ledger_records_the_proxy_by_elector_ids_without_names(proxy_poll, residents, staff):
    grantor, holder = residents[:2]
    proxy = grant(proxy_poll, grantor, holder, by=staff, document="委托书003号")

    entry = LedgerEntry.objects.get(kind="poll.proxy_recorded")
    payload = json.loads(entry.payload)
    assert payload["details"] == {
        "grantor": proxy.grantor_id,
        "holder": proxy.holder_id,
        "document": "委托书003号",
    }
    for person in (grantor, holder):
        assert person.real_name not in entry.payload
        assert person.display_name not in entry.payload
    assert ledger_verify().ok


# Concurrency: the poll row is locked, so simultaneous grants see each other -------------


def all_at_once(calls):
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            start.wait()
            with translation.override("en"):  # the fixture's language stays in its thread
                results.append(call())
        except Exception as error:  # counted by the assertions
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_six_grants_to_one_holder_at_once_record_three(open_poll, make_person, committee, grid):
    people = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(7)]
    poll = open_poll(proxies_allowed=True)
    holder, *grantors = people

    results, errors = all_at_once(
        [lambda grantor=grantor: grant(poll, grantor, holder) for grantor in grantors]
    )

    assert len(results) == 3
    assert len(errors) == 3
    assert all(isinstance(error, ValidationError) for error in errors)
    assert all("already carries 3 proxies" in text(error) for error in errors)
    assert Proxy.objects.filter(holder__poll=poll).count() == 3


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_crossing_grants_at_once_make_no_chain(open_poll, make_person, committee, grid):
    a, b, c = (make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3))
    poll = open_poll(proxies_allowed=True)

    # a → b and b → c together would make b both holder and grantor.
    results, errors = all_at_once([lambda: grant(poll, a, b), lambda: grant(poll, b, c)])

    assert len(results) == 1 and len(errors) == 1
    assert "cannot be passed on" in text(errors[0])

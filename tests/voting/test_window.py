"""The window is checked at the moment of the write: a ballot a microsecond before the
closing time counts, one at it or after is refused with a clear message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from voting import services
from voting.models import Ballot, Participation, Poll
from voting.services import BallotRefused

from .conftest import choose, in_hours


@pytest.fixture
def at(monkeypatch):
    """`at(moment)`: the server's clock reads `moment` from now on."""

    def set_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def cast(poll, voter):
    return services.ballot_cast(poll=poll, voter=voter, content=choose(poll, "yes"))


def test_a_ballot_one_microsecond_before_closing_counts(poll, residents, at):
    at(poll.closes_at - timedelta(microseconds=1))

    receipt = cast(poll, residents[0])

    assert Ballot.objects.filter(receipt=receipt, poll=poll).exists()


@pytest.mark.parametrize("late", [timedelta(0), timedelta(seconds=1)])
def test_a_ballot_at_or_after_closing_is_refused_with_the_closing_time(poll, residents, at, late):
    at(poll.closes_at + late)

    with pytest.raises(BallotRefused) as refused:
        cast(poll, residents[0])

    assert refused.value.code == "closed"
    assert "too late" in refused.value.message
    closes = timezone.localtime(poll.closes_at)
    assert closes.strftime("%Y-%m-%d %H:%M") in refused.value.message
    assert not Participation.objects.filter(poll=poll).exists()


def test_a_ballot_before_opening_is_refused(make_poll, chair, residents):
    poll = services.poll_open(poll=make_poll(opens_at=in_hours(2)), by=chair)

    with pytest.raises(BallotRefused) as refused:
        cast(poll, residents[0])

    assert refused.value.code == "not_open"
    assert "opens at" in refused.value.message
    assert not Ballot.objects.exists()


def test_a_draft_takes_no_ballot(make_poll, residents):
    poll = make_poll()

    with pytest.raises(BallotRefused) as refused:
        cast(poll, residents[0])

    assert refused.value.code == "not_open"


def test_a_ballot_after_an_early_close_is_refused(poll, residents, chair):
    cast(poll, residents[0])
    services.poll_close(poll=poll, by=chair, reason="停电，改期重投")

    with pytest.raises(BallotRefused) as refused:
        cast(poll, residents[1])

    assert refused.value.code == "closed"
    assert Poll.objects.get(pk=poll.pk).result["cast"] == 1
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_the_window_is_read_from_the_database_not_the_callers_copy(poll, residents):
    # A page shown before the closing time posts after it: the stale object says open.
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(BallotRefused) as refused:
        cast(poll, residents[0])

    assert refused.value.code == "closed"

"""Live turnout over a websocket, as a poll page or a meeting's screen meets it."""

import asyncio
import logging

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.db import connections

from townhall.asgi import application
from townhall.community.models import Role
from voting import live, services
from voting.models import Participation, Poll

from .conftest import choose, option_id

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")


@pytest.fixture(autouse=True)
async def close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def representatives(make_person, committee, grid):
    return [make_person(committee, Role.REPRESENTATIVE, grid=grid) for _ in range(3)]


@pytest.fixture
def named_poll(open_poll, representatives) -> Poll:
    return open_poll(title="年度预算", electorate=Poll.Electorate.REPRESENTATIVES, named=True)


def vote(poll: Poll, voter, code: str = "yes") -> str:
    return services.ballot_cast(poll=poll, voter=voter, content=choose(poll, code))


async def watch(poll_id: int) -> WebsocketCommunicator:
    """A page opened on the poll: through the project's routing, as a browser meets it."""
    communicator = WebsocketCommunicator(application, f"/ws/polls/{poll_id}/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_open_page_gets_the_current_turnout(poll, residents):
    await database_sync_to_async(vote)(poll, residents[0])
    communicator = await watch(poll.pk)

    assert await communicator.receive_json_from() == {
        "event": "poll.turnout",
        "voted": 1,
        "eligible": 5,
    }
    await communicator.disconnect()


async def test_a_ballot_cast_reaches_every_open_page(poll, residents):
    pages = [await watch(poll.pk) for _ in range(2)]
    for page in pages:
        assert (await page.receive_json_from())["voted"] == 0

    await database_sync_to_async(vote)(poll, residents[0])

    for page in pages:
        assert await page.receive_json_from() == {
            "event": "poll.turnout",
            "voted": 1,
            "eligible": 5,
        }
        await page.disconnect()


async def test_a_burst_is_pushed_once_a_second_and_a_refresh_brings_the_last_ballots(
    poll, residents
):
    page = await watch(poll.pk)
    await page.receive_json_from()

    await database_sync_to_async(vote)(poll, residents[0])
    await database_sync_to_async(vote)(poll, residents[1])

    # The first ballot's push; the second falls in the same second and is not pushed.
    assert (await page.receive_json_from())["voted"] == 1
    assert await page.receive_nothing(timeout=0.5)
    # The page asks again once things are quiet, and gets the figures the push missed.
    await asyncio.sleep(1.0)
    await page.send_json_to({"type": "refresh"})
    assert await page.receive_json_from() == {"event": "poll.turnout", "voted": 2, "eligible": 5}
    await page.disconnect()


async def test_pushes_resume_after_the_quiet_second(poll, residents):
    page = await watch(poll.pk)
    await page.receive_json_from()
    await database_sync_to_async(vote)(poll, residents[0])
    assert (await page.receive_json_from())["voted"] == 1

    await asyncio.sleep(live.PUSH_INTERVAL + 0.1)
    await database_sync_to_async(vote)(poll, residents[1])

    assert (await page.receive_json_from())["voted"] == 2
    await page.disconnect()


async def test_two_pushes_within_a_second_send_one_message(poll, residents):
    page = await watch(poll.pk)
    await page.receive_json_from()

    await database_sync_to_async(live.turnout_push)(poll)
    await database_sync_to_async(live.turnout_push)(poll)

    assert (await page.receive_json_from())["voted"] == 0
    assert await page.receive_nothing(timeout=0.5)
    await page.disconnect()


async def test_a_push_by_another_process_within_the_second_holds_this_one_back(poll):
    page = await watch(poll.pk)
    await page.receive_json_from()
    # Another server process pushed a moment ago: it holds the shared key.
    await sync_to_async(cache.add)(f"poll-push:{poll.pk}", 1, timeout=live.PUSH_INTERVAL)

    await database_sync_to_async(live.turnout_push)(poll)

    assert await page.receive_nothing(timeout=0.5)
    await asyncio.sleep(live.PUSH_INTERVAL)
    await database_sync_to_async(live.turnout_push)(poll)
    assert (await page.receive_json_from())["voted"] == 0
    await page.disconnect()


async def test_a_page_asking_to_refresh_more_than_once_a_second_is_answered_once(poll, residents):
    page = await watch(poll.pk)
    await page.receive_json_from()
    await asyncio.sleep(1.0)  # the first message counts as the last answer

    await page.send_json_to({"type": "refresh"})
    await page.send_json_to({"type": "refresh"})
    await page.send_json_to({"type": "refresh"})

    assert (await page.receive_json_from())["voted"] == 0
    assert await page.receive_nothing(timeout=0.5)
    await page.disconnect()


async def test_a_refresh_is_answered_to_the_asking_page_only(poll, residents):
    asking, other = await watch(poll.pk), await watch(poll.pk)
    await asking.receive_json_from()
    await other.receive_json_from()
    await asyncio.sleep(1.0)

    await asking.send_json_to({"type": "refresh"})

    assert (await asking.receive_json_from())["voted"] == 0
    assert await other.receive_nothing(timeout=0.3)
    await asking.disconnect()
    await other.disconnect()


async def test_garbage_from_a_page_is_ignored_and_the_socket_stays(poll, residents):
    page = await watch(poll.pk)
    await page.receive_json_from()

    await page.send_to(text_data="not json")
    await page.send_json_to(["refresh"])
    await page.send_json_to({"type": "vote", "options": [1]})

    assert await page.receive_nothing(timeout=0.3)
    await database_sync_to_async(vote)(poll, residents[0])
    assert (await page.receive_json_from())["voted"] == 1
    await page.disconnect()


async def test_a_secret_poll_sends_turnout_only_never_the_tally(poll, residents):
    page = await watch(poll.pk)
    first = await page.receive_json_from()
    await database_sync_to_async(vote)(poll, residents[0], "no")
    pushed = await page.receive_json_from()
    await asyncio.sleep(1.0)
    await page.send_json_to({"type": "refresh"})
    refreshed = await page.receive_json_from()

    for message in (first, pushed, refreshed):
        assert set(message) == {"event", "voted", "eligible"}
    # Nor does the event on the channel layer carry it, for any consumer to leak.
    message = await database_sync_to_async(live.turnout_message)(poll)
    assert set(message) == {"type", "event", "voted", "eligible"}
    await page.disconnect()


async def test_a_named_poll_sends_the_running_tally(named_poll, representatives):
    page = await watch(named_poll.pk)
    yes, no, abstain = [
        await database_sync_to_async(option_id)(named_poll, code)
        for code in ("yes", "no", "abstain")
    ]
    first = await page.receive_json_from()
    assert first["voted"] == 0 and first["eligible"] == 4  # and the chair
    assert all(first["tally"].get(str(pk), 0) == 0 for pk in (yes, no, abstain))

    await database_sync_to_async(vote)(named_poll, representatives[0], "no")

    pushed = await page.receive_json_from()
    assert pushed["voted"] == 1
    assert pushed["tally"][str(no)] == 1
    assert pushed["tally"].get(str(yes), 0) == 0
    assert pushed["tally"].get(str(abstain), 0) == 0
    await page.disconnect()


async def test_an_unknown_poll_is_closed_with_not_found():
    communicator = WebsocketCommunicator(application, "/ws/polls/999999/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert connected  # accepted so that the browser sees the code below and stops retrying

    closed = await communicator.receive_output()

    assert closed == {"type": "websocket.close", "code": 4404}


async def test_a_draft_poll_cannot_be_watched(make_poll, residents):
    draft = await database_sync_to_async(make_poll)()
    communicator = WebsocketCommunicator(application, f"/ws/polls/{draft.pk}/", headers=[ORIGIN])
    await communicator.connect()

    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4404}


async def test_a_page_from_a_foreign_origin_is_refused(poll):
    communicator = WebsocketCommunicator(
        application, f"/ws/polls/{poll.pk}/", headers=[(b"origin", b"http://evil.example")]
    )

    connected, _ = await communicator.connect()

    assert not connected


class _BrokenLayer:
    async def group_send(self, group, message):
        raise ConnectionError("channel layer is down")


def test_a_ballot_still_counts_when_the_channel_layer_is_down(poll, residents, monkeypatch, caplog):
    monkeypatch.setattr(live, "get_channel_layer", lambda: _BrokenLayer())

    with caplog.at_level(logging.WARNING, logger="voting.live"):
        receipt = vote(poll, residents[0])

    assert receipt
    assert Participation.objects.filter(poll=poll).count() == 1
    assert "Could not push the turnout" in caplog.text


class _BrokenCache:
    def add(self, *args, **kwargs):
        raise ConnectionError("cache is down")


def test_a_push_with_the_cache_down_does_not_raise(poll, monkeypatch, caplog):
    monkeypatch.setattr(live, "cache", _BrokenCache())

    with caplog.at_level(logging.WARNING, logger="voting.live"):
        live.turnout_push(poll)

    assert "Could not push the turnout" in caplog.text

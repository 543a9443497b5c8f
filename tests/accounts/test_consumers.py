"""The inbox badge's websocket, as a page opened in a browser meets it."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connections

from townhall.accounts.consumers import InboxConsumer
from townhall.accounts.services import notification_send
from townhall.asgi import application

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def inbox_for(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(InboxConsumer.as_asgi(), "/ws/inbox/")
    communicator.scope["user"] = user
    return communicator


async def test_signed_out_visitor_is_turned_away():
    communicator = inbox_for(AnonymousUser())

    connected, code = await communicator.connect()

    assert not connected
    assert code == 4401


async def test_open_page_gets_the_unread_count_and_then_each_new_message():
    person = await database_sync_to_async(UserFactory)()
    await database_sync_to_async(notification_send)(recipient=person, message="旧消息")
    communicator = inbox_for(person)
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {"event": "inbox.unread", "unread": 1}

    await database_sync_to_async(notification_send)(recipient=person, message="您的住址已核实")

    assert await communicator.receive_json_from() == {"event": "inbox.unread", "unread": 2}
    await communicator.disconnect()


async def test_someone_elses_message_is_not_pushed_to_me():
    me, neighbour = await database_sync_to_async(UserFactory.create_batch)(2)
    communicator = inbox_for(me)
    await communicator.connect()
    await communicator.receive_json_from()

    await database_sync_to_async(notification_send)(recipient=neighbour, message="不是给你的")

    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_websocket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/inbox/", headers=[(b"origin", b"http://evil.example")]
    )

    connected, _ = await communicator.connect()

    assert not connected

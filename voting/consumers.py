"""Live turnout of a poll for its page and the meeting's screens."""

import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import POLL_TURNOUT, poll_group, turnout_message
from .models import Poll

# A page asks for a refresh after a quiet moment; a socket asking more often than this
# gets no more answers (one COUNT a second per watcher at most).
REFRESH_INTERVAL = 1.0

NOT_FOUND = 4404


class PollConsumer(AsyncJsonWebsocketConsumer):
    """Anyone may watch a poll's turnout: it is public, like the figures on the page.
    Drafts are not public yet, so they and unknown polls are refused alike."""

    async def connect(self):
        self.poll = await self._watchable(self.scope["url_route"]["kwargs"]["poll_id"])
        if self.poll is None:
            # Accept, then close with the code: a refused handshake reaches browsers as
            # 1006 whatever the code, and the page would keep retrying.
            await self.accept()
            await self.close(code=NOT_FOUND)
            return
        # Join before reading the figures: a ballot committed in between then arrives
        # as a push after this first message, never before it and never lost.
        self.group = poll_group(self.poll.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.refreshed_at = time.monotonic()
        await self.send_json(_public(await self._turnout()))

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Whatever a client sends that is not a refresh request is ignored, never an
        # error that would drop the socket.
        try:
            content = json.loads(text_data or "")
        except ValueError:
            return
        if not isinstance(content, dict) or content.get("type") != "refresh":
            return
        now = time.monotonic()
        if now - self.refreshed_at < REFRESH_INTERVAL:
            return
        self.refreshed_at = now
        await self.send_json(_public(await self._turnout()))

    async def poll_turnout(self, message):
        await self.send_json(_public(message))

    @database_sync_to_async
    def _watchable(self, poll_id: int) -> Poll | None:
        return Poll.objects.exclude(status=Poll.Status.DRAFT).filter(pk=poll_id).first()

    @database_sync_to_async
    def _turnout(self) -> dict:
        return turnout_message(self.poll)


def _public(message: dict) -> dict:
    # Only the figures, whatever else the event carries (the channel layer's "type").
    sent = {"event": POLL_TURNOUT, "voted": message["voted"], "eligible": message["eligible"]}
    if "tally" in message:
        sent["tally"] = message["tally"]
    return sent

"""Live unread count for the inbox badge."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .events import inbox_group
from .models import Notification


class InboxConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = inbox_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"event": "inbox.unread", "unread": await self._unread(user.pk)})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def inbox_unread(self, message):
        await self.send_json({"event": message["event"], "unread": message["unread"]})

    @database_sync_to_async
    def _unread(self, user_id: int) -> int:
        return Notification.objects.filter(recipient_id=user_id, read_at=None).count()

"""What the accounts app broadcasts over the channel layer."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

INBOX_UNREAD = "inbox.unread"


def inbox_group(user_id: int) -> str:
    return f"inbox.{user_id}"


def inbox_unread_send(*, user_id: int, unread: int) -> None:
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(
        inbox_group(user_id), {"type": "inbox.unread", "event": INBOX_UNREAD, "unread": unread}
    )

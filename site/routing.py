"""Websocket routes of the whole project; each app's consumers live in the app."""

from django.urls import path

from townhall.accounts.consumers import InboxConsumer
from voting.consumers import PollConsumer

websocket_urlpatterns = [
    path("ws/inbox/", InboxConsumer.as_asgi()),
    path("ws/polls/<int:poll_id>/", PollConsumer.as_asgi()),
]

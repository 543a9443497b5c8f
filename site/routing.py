"""Websocket routes of the whole project; each app's consumers live in the app."""

from django.urls import path

from townhall.accounts.consumers import InboxConsumer

websocket_urlpatterns = [
    path("ws/inbox/", InboxConsumer.as_asgi()),
]

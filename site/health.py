"""/healthz: does the database answer, and does a message go round the channel layer?"""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


LAYER_TIMEOUT_SECONDS = 2


async def _layer_round_trip() -> bool:
    layer = get_channel_layer()
    channel = await layer.new_channel(prefix="healthz")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    return message.get("token") == token


async def _layer_round_trip_in_time() -> bool:
    # A load balancer wants an answer, not a hung check.
    return await asyncio.wait_for(_layer_round_trip(), LAYER_TIMEOUT_SECONDS)


def _channel_layer_ok() -> bool:
    try:
        return async_to_sync(_layer_round_trip_in_time)()
    except Exception:
        return False


@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "channel_layer": _channel_layer_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
    )

"""Live turnout of a poll: what is pushed to its page and the meeting's screens.

Only figures leave here: voted / eligible, and for a named (roll-call) poll the running
tally, which is public anyway. Nothing from a secret poll's ballots is ever sent.
"""

import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from . import selectors
from .models import Poll

logger = logging.getLogger(__name__)

POLL_TURNOUT = "poll.turnout"

# At most one broadcast per poll per this many seconds, across every process (the cache
# is Redis in production). A burst of ballots therefore costs one COUNT and one
# group_send a second, not one per ballot; pages ask for a trailing refresh after a
# quiet moment (see PollConsumer) so the last ballots of a burst still show.
PUSH_INTERVAL = 1

# This process's memory of a recent push per poll, so that most ballots of a burst skip
# even the cache round trip (~0.2 ms to Redis, on every ballot otherwise). After losing
# the race to another process it asks the cache again sooner, not knowing how much of
# that process's second is left.
_quiet_until: dict[int, float] = {}
LOST_RACE_WAIT = 0.25


def poll_group(poll_id: int) -> str:
    return f"poll-{poll_id}"


def turnout_message(poll: Poll) -> dict:
    """The channel-layer event for `poll`'s current turnout (also what a socket gets)."""
    figures = selectors.turnout(poll)
    message = {
        "type": POLL_TURNOUT,
        "event": POLL_TURNOUT,
        "voted": figures["voted"],
        "eligible": figures["eligible"],
    }
    # Named polls publish who voted what, so their running tally is public; a secret
    # poll's tally stays hidden until it is counted.
    if poll.named:
        message["tally"] = selectors.running_tally(poll)
    return message


def turnout_push(poll: Poll) -> None:
    """Broadcast `poll`'s turnout to everyone watching it, at most once a second.

    Runs after a ballot commits (`transaction.on_commit`), so on the vote path: it never
    raises and does no work when another ballot pushed within the last second. A
    channel layer or cache that is down costs the watchers an update, never a ballot.
    """
    now = time.monotonic()
    if _quiet_until.get(poll.pk, 0.0) > now:
        return
    if len(_quiet_until) > 1000:  # a long-lived worker forgets polls gone quiet
        for poll_id, until in list(_quiet_until.items()):
            if until <= now:
                _quiet_until.pop(poll_id, None)
    try:
        # Atomic "set if absent" with an expiry: the first caller in each second wins,
        # whichever process it runs in.
        if not cache.add(f"poll-push:{poll.pk}", 1, timeout=PUSH_INTERVAL):
            _quiet_until[poll.pk] = now + LOST_RACE_WAIT
            return
        _quiet_until[poll.pk] = now + PUSH_INTERVAL
        message = turnout_message(poll)
        async_to_sync(get_channel_layer().group_send)(poll_group(poll.pk), message)
    except Exception:
        logger.warning("Could not push the turnout of poll %s", poll.pk, exc_info=True)

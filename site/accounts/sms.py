"""SMS backends, chosen by settings.SMS_BACKEND, as Django chooses email backends.

The console backend logs each message; a real gateway is a class with `send(phone,
text)` named in SMS_BACKEND.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("townhall.sms")

# Messages sent with the in-memory backend, for tests (like django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        print(f"[SMS to {phone}] {text}", flush=True)


class LocmemBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def sms_send(*, phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)

"""Telling residents what happened to what they said: inbox and email, in the site's
language (stored messages are read later, by people who chose no language)."""

from django.conf import settings
from django.utils import translation

from townhall.accounts.services import notification_send


def notify(*, recipients, url: str, message: str, **params) -> None:
    """`message` is a gettext_lazy string with %(name)s placeholders; one message per
    distinct recipient, rendered in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params
    for person in {person.pk: person for person in recipients}.values():
        notification_send(recipient=person, message=text, url=url)

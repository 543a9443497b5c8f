"""Telling residents what happened to what they said: inbox and email. What is stored is
the message's msgid and its parameters; each reader sees it in their own language."""

from townhall.accounts.services import notification_send


def notify(*, recipients, url: str, message, **params) -> None:
    """`message` is a gettext_lazy string with %(name)s placeholders, `params` fill them
    (a label such as `Body(…).label` stays lazy: it is translated when read, too); one
    message per distinct recipient."""
    for person in {person.pk: person for person in recipients}.values():
        notification_send(recipient=person, message=message, url=url, params=params)

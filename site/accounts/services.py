"""Every write about a person's account: notifications, consent, export, deletion."""

import json
from collections.abc import Iterable
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from . import events
from .models import ConsentRecord, Notification, User
from .sms import sms_send

# Messages are stored as what happened (an English msgid) and its parameters, and
# rendered when they are read (Notification.render), in the reader's language.

# gettext_lazy and pgettext_lazy make proxies of different classes; a pgettext proxy
# keeps (context, message) as its arguments, which is how its context is stored.
_PGETTEXT_PROXY = type(pgettext_lazy("", ""))


def translatable(message, **params) -> dict:
    """A parameter that is a sentence of its own, translated when the message is read:
    `short=translatable(SHORT_NOTICE, reason=…)`."""
    stored = _msgid_of(message)
    stored["params"] = message_params(params)
    return stored


def _msgid_of(message) -> dict:
    if isinstance(message, Promise):
        if type(message) is _PGETTEXT_PROXY:
            context, msgid = message._args
            return {"msgid": msgid, "context": context}
        # With no language active, a lazy translation is its msgid.
        with translation.override(None):
            return {"msgid": str(message)}
    return {"msgid": str(message)}


def message_params(params: dict | None) -> dict:
    """Parameters as stored: a lazy translation (a status label, a body's name) as its
    msgid, to be translated at read time; numbers and names as they are."""
    stored = {}
    for name, value in (params or {}).items():
        if isinstance(value, Promise):
            value = _msgid_of(value)
        elif not isinstance(value, (int, float, bool, dict, type(None))):
            value = str(value)
        stored[name] = value
    return stored


def _notification(*, recipient_id: int, message, params: dict, url: str) -> Notification:
    message_id = _msgid_of(message)
    if "context" in message_id:
        raise ValueError("A notification's own message is a gettext msgid, without context.")
    note = Notification(
        recipient_id=recipient_id, message_id=message_id["msgid"], params=params, url=url
    )
    # Kept for the Django admin and as the fallback should the message stop rendering.
    with translation.override(settings.LANGUAGE_CODE):
        note.message = note.render()[:500]
    return note


def notification_send(
    *, recipient: User, message, url: str = "", params: dict | None = None
) -> Notification:
    """Put a message in the person's inbox: `message` is the msgid (a gettext_lazy string
    with %(name)s placeholders) and `params` fill them; both are stored, and the sentence
    is rendered in the reader's language each time it is read. Once committed, push the
    new unread count to their open pages, and email it if their address is verified
    (messages carry addresses: an unverified one may be a stranger's)."""
    note = _notification(
        recipient_id=recipient.pk, message=message, params=message_params(params), url=url
    )
    with transaction.atomic():
        note.save()
        transaction.on_commit(lambda: _notification_deliver(note))
    return note


def _notification_deliver(note: Notification) -> None:
    user_id = note.recipient_id
    unread = Notification.objects.filter(recipient_id=user_id, read_at=None).count()
    events.inbox_unread_send([(user_id, unread)])
    address = (
        EmailAddress.objects.filter(user_id=user_id, verified=True, user__is_former=False)
        .values_list("email", flat=True)
        .first()
    )
    if address:
        _email(address, _render_for_sending(note))


def _render_for_sending(note: Notification) -> str:
    # The person keeps no chosen language (the language switch is a browser cookie):
    # email and SMS speak the site's.
    with translation.override(settings.LANGUAGE_CODE):
        return note.render()


def _email(address: str, text: str) -> None:
    send_mail(
        subject=str(settings.TOWNHALL_BRAND),
        message=text,
        from_email=None,
        recipient_list=[address],
        fail_silently=True,
    )


def announcement_send(
    *,
    recipient_ids: Iterable[int],
    message,
    url: str,
    params: dict | None = None,
    batch_size: int = 2000,
) -> int:
    """The same message to many people (a poll's electorate, an assembly's residents):
    inbox rows inserted `batch_size` at a time, not one query per person, in one
    transaction. Once committed, each recipient's open pages get their unread count (one
    grouped count per batch), and the message goes by email and SMS only to those who
    agreed to announcements that way (and verified the address or number). Returns how
    many were told."""
    stored = message_params(params)
    # Rendered once: every row carries the same fallback sentence.
    template = _notification(recipient_id=0, message=message, params=stored, url=url)
    ids = sorted(set(recipient_ids))
    with transaction.atomic():
        for start in range(0, len(ids), batch_size):
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=pk,
                        message=template.message,
                        message_id=template.message_id,
                        params=stored,
                        url=url,
                    )
                    for pk in ids[start : start + batch_size]
                ]
            )
        transaction.on_commit(lambda: _announcement_deliver(ids, template, batch_size))
    return len(ids)


def _announcement_deliver(ids: list[int], template: Notification, batch_size: int) -> None:
    text = _render_for_sending(template)
    # Batch by batch: SQLite takes at most 32,766 parameters in one query.
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        unread = (
            Notification.objects.filter(recipient_id__in=batch, read_at=None)
            .values("recipient_id")
            .annotate(n=Count("id"))
            .values_list("recipient_id", "n")
        )
        events.inbox_unread_send(list(unread))
        people = User.objects.filter(pk__in=batch, is_former=False, is_active=True)
        for address in EmailAddress.objects.filter(
            user__in=people.filter(announcements_by_email=True), verified=True, primary=True
        ).values_list("email", flat=True):
            _email(address, text)
        for phone in people.filter(
            announcements_by_sms=True, phone_verified=True, phone__isnull=False
        ).values_list("phone", flat=True):
            sms_send(phone=phone, text=text)


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def consent_record(*, user: User, version: str | None = None) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user, notice_version=version or settings.PRIVACY_NOTICE_VERSION
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def user_data_export(*, user: User) -> str:
    """Everything the platform holds about the person, as JSON (PIPL right of access)."""
    data = {
        "account": {
            "username": user.username,
            "real_name": user.real_name,
            "display_name": user.display_name,
            "gender": user.gender,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "settings": {
            "large_text": user.large_text,
            "announcements_by_email": user.announcements_by_email,
            "announcements_by_sms": user.announcements_by_sms,
        },
        "consents": [
            {"notice_version": c.notice_version, "accepted_at": _iso(c.accepted_at)}
            for c in user.consents.all()
        ],
        "residencies": [
            {
                "committee": r.committee.name,
                "grid": r.grid.name,
                "address": r.address,
                "status": r.status,
                "reason": r.reason,
                "claimed_at": _iso(r.claimed_at),
                "decided_at": _iso(r.decided_at),
                "assisted": r.assisted_by_id is not None,
            }
            for r in user.residencies.select_related("committee", "grid")
        ],
        "roles": [
            {
                "committee": m.committee.name,
                "role": m.role,
                "start": m.start.isoformat(),
                "end": m.end.isoformat() if m.end else None,
            }
            for m in user.memberships.select_related("committee")
        ],
        # Recorded by staff for the conflict-of-interest rule (Art 36).
        "close_relatives": [
            {"relative": link.relative.real_name, "relation": link.relation}
            for link in user.relatives_recorded.select_related("relative")
        ]
        + [
            {"relative": link.person.real_name, "relation": link.relation}
            for link in user.relatives_of.select_related("person")
        ],
        "notifications": [
            {"message": n.render(), "sent_at": _iso(n.created_at), "read_at": _iso(n.read_at)}
            for n in user.notifications.all()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def user_delete(*, user: User) -> None:
    """Delete the account but keep what the person contributed, shown as "former
    resident": personal data is erased, the row stays for the records that point to it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.notifications.all().delete()
        user.username = f"former-{user.pk}"
        user.real_name = ""
        user.display_name = ""
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.phone = None
        user.phone_verified = False
        user.gender = ""
        user.is_former = True
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.residencies.filter(status="pending").delete()
        user.residencies.update(address="")
        today = timezone.localdate()
        user.memberships.current(on=today).update(end=today)
        # A term that has not begun yet never took effect: nothing refers to it.
        user.memberships.filter(start__gt=today).delete()


def user_large_text_set(*, user: User, large: bool) -> None:
    """Remembers the person's choice of large text, so that it follows them to any
    browser they sign in on."""
    if user.large_text != large:
        user.large_text = large
        user.save(update_fields=["large_text"])

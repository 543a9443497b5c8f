"""Every write about a person's account: notifications, consent, export, deletion."""

import json
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import events
from .models import ConsentRecord, Notification, User


def notification_send(*, recipient: User, message: str, url: str = "") -> Notification:
    """Put a message in the person's inbox. Once committed, push the new unread count
    to their open pages, and email it if their address is verified (messages carry
    addresses: an unverified one may be a stranger's)."""
    with transaction.atomic():
        note = Notification.objects.create(recipient=recipient, message=message, url=url)
        transaction.on_commit(lambda: _notification_deliver(recipient.pk, message))
    return note


def _notification_deliver(user_id: int, message: str) -> None:
    unread = Notification.objects.filter(recipient_id=user_id, read_at=None).count()
    events.inbox_unread_send(user_id=user_id, unread=unread)
    address = (
        EmailAddress.objects.filter(user_id=user_id, verified=True, user__is_former=False)
        .values_list("email", flat=True)
        .first()
    )
    if address:
        send_mail(
            subject=str(settings.TOWNHALL_BRAND),
            message=message,
            from_email=None,
            recipient_list=[address],
            fail_silently=True,
        )


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
            {"message": n.message, "sent_at": _iso(n.created_at), "read_at": _iso(n.read_at)}
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

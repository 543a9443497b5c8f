"""What the system writes to a person is stored as what happened and its parameters, and
read in the reader's language; announcements to many go by email or SMS only by consent."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from tests.factories import ResidencyFactory, UserFactory
from townhall.accounts import sms
from townhall.accounts.models import Notification
from townhall.accounts.services import announcement_send, notification_send, translatable
from townhall.community import services as community_services

CONVENED = gettext_lazy("%(body)s “%(title)s” is convened for %(when)s at %(place)s.%(short)s")
SHORT = gettext_lazy(" Short notice: %(reason)s")
ASSEMBLY = gettext_lazy("Residents' assembly (居民会议)")


def read(note: Notification, language: str) -> str:
    with translation.override(language):
        return note.render()


def test_a_message_reads_in_each_readers_language(db):
    person = UserFactory()

    note = notification_send(
        recipient=person,
        message=CONVENED,
        url="/meetings/1/",
        params={
            "body": ASSEMBLY,
            "title": "3栋电梯更换",
            "when": "2026-12-20 19:00",
            "place": "活动室",
            "short": translatable(SHORT, reason="电梯停运"),
        },
    )
    note = Notification.objects.get(pk=note.pk)

    assert read(note, "zh-hans") == (
        "居民会议“3栋电梯更换”定于 2026-12-20 19:00 在活动室召开。 临时召开，原因：电梯停运"
    )
    assert read(note, "en") == (
        "Residents' assembly (居民会议) “3栋电梯更换” is convened for 2026-12-20 19:00 at 活动室."
        " Short notice: 电梯停运"
    )


def test_the_inbox_shows_a_verification_in_the_readers_language(client, grid_worker, grid):
    residency = ResidencyFactory(grid=grid, address="3栋2单元501")
    community_services.residency_approve(residency=residency, by=grid_worker)
    client.force_login(residency.person)

    client.cookies["django_language"] = "en"
    english = client.get("/me/inbox/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/me/inbox/").content.decode()

    assert "verified that you live at 3栋2单元501. Welcome!" in english
    assert "已核实您住在3栋2单元501，欢迎您！" in chinese


def test_a_message_from_before_message_ids_reads_as_it_was_written(db):
    note = notification_send(recipient=UserFactory(), message="您的意见已收到")
    Notification.objects.filter(pk=note.pk).update(message_id="", params={})

    assert read(Notification.objects.get(pk=note.pk), "en") == "您的意见已收到"


def test_a_message_whose_parameters_no_longer_fit_reads_as_first_written(db):
    note = notification_send(recipient=UserFactory(), message=SHORT, params={"reason": "电梯停运"})
    Notification.objects.filter(pk=note.pk).update(params={})

    assert read(Notification.objects.get(pk=note.pk), "en") == " 临时召开，原因：电梯停运"


@pytest.mark.django_db(transaction=True)
def test_an_announcement_goes_by_email_or_sms_only_to_those_who_agreed():
    sms.outbox.clear()
    agreed = UserFactory(
        announcements_by_email=True,
        announcements_by_sms=True,
        phone="+8613800000001",
        phone_verified=True,
    )
    EmailAddress.objects.create(user=agreed, email="a@example.com", verified=True, primary=True)
    unverified = UserFactory(
        announcements_by_email=True,
        announcements_by_sms=True,
        phone="+8613800000002",
        phone_verified=False,
    )
    EmailAddress.objects.create(user=unverified, email="u@example.com", verified=False)
    silent = UserFactory(phone="+8613800000003", phone_verified=True)
    EmailAddress.objects.create(user=silent, email="s@example.com", verified=True, primary=True)

    told = announcement_send(
        recipient_ids=[agreed.pk, unverified.pk, silent.pk, silent.pk],
        message=SHORT,
        params={"reason": "电梯停运"},
        url="/meetings/1/",
        batch_size=2,
    )

    assert told == 3
    assert Notification.objects.count() == 3  # once each, in batches of two
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert [phone for phone, _ in sms.outbox] == ["+8613800000001"]
    assert "临时召开，原因：电梯停运" in sms.outbox[0][1]

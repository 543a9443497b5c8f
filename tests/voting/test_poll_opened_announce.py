"""When a poll opens, its electorate is told (inbox; email or SMS to those who agreed) by
the background worker, not in the request that opened it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from townhall.accounts import sms
from townhall.accounts.models import Notification
from townhall.community.models import Role
from voting import services
from voting.models import Poll

from ..factories import HouseholdFactory, MembershipFactory


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """The worker, as `make run` starts it; what it does once its task commits (email,
    SMS, live unread counts) runs too, though the test's transaction never commits."""

    def run():
        # Between tasks the worker closes connections that are not in autocommit, as
        # the test's own transaction is not: on PostgreSQL that would end the test.
        with (
            mock.patch(f"{db_worker.__name__}.close_old_connections"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")

    return run


def told(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person))


def test_opening_a_poll_leaves_the_telling_to_the_worker(
    make_poll, chair, residents, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.poll_open(poll=make_poll(), by=chair)

    assert Notification.objects.count() == 0  # nothing done in the request itself
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.args_kwargs["args"] == [poll.pk]

    run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    for person in residents:
        (note,) = told(person)
        assert note.url == reverse("voting:poll_detail", args=[poll.pk])
    assert told(chair) == []  # a chair who is not a resident has no vote in it


def test_the_open_button_returns_before_anyone_is_told(
    client, make_poll, chair, residents, django_capture_on_commit_callbacks
):
    poll = make_poll()
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voting:poll_open", args=[poll.pk]))

    assert response.status_code == 302
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN
    assert Notification.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_message_reads_in_each_readers_language(
    open_poll, residents, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = open_poll(title="是否同意在3号楼加装电梯")
    run_worker()
    closes = timezone.localtime(poll.closes_at).strftime("%Y-%m-%d %H:%M")
    note = told(residents[0])[0]

    with translation.override("en"):
        english = note.render()
    with translation.override("zh-hans"):
        chinese = note.render()
    assert english == f"The poll “是否同意在3号楼加装电梯” is open: you may vote until {closes}."
    assert chinese == f"投票“是否同意在3号楼加装电梯”已开始，投票截止时间：{closes}。"


def test_every_resident_of_a_voting_household_is_told(
    make_poll, chair, committee, grid, make_person, django_capture_on_commit_callbacks, run_worker
):
    both, alone = HouseholdFactory(grid=grid), HouseholdFactory(grid=grid)
    people = []
    for home in (both, both, alone):
        person = make_person(committee)
        MembershipFactory(person=person, committee=committee, role=Role.RESIDENT, household=home)
        people.append(person)
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_open(poll=make_poll(electorate=Poll.Electorate.HOUSEHOLDS), by=chair)
    run_worker()

    assert [len(told(person)) for person in people] == [1, 1, 1]


def test_sms_goes_only_to_those_who_asked_for_announcements_by_sms(
    make_poll, chair, committee, grid, make_person, django_capture_on_commit_callbacks, run_worker
):
    sms.outbox.clear()
    asked = make_person(committee, Role.RESIDENT, grid=grid, announcements_by_sms=True)
    make_person(committee, Role.RESIDENT, grid=grid)  # did not ask
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_open(poll=make_poll(title="加装电梯"), by=chair)
    run_worker()

    assert [phone for phone, _ in sms.outbox] == [asked.phone]
    assert "加装电梯" in sms.outbox[0][1]


def test_a_failure_in_the_worker_leaves_the_poll_open(
    make_poll, chair, residents, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.poll_open(poll=make_poll(), by=chair)

    with mock.patch("voting.tasks.announcement_send", side_effect=RuntimeError("SMS gateway")):
        run_worker()

    assert DBTaskResult.objects.get().status == "FAILED"
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN
    assert Notification.objects.count() == 0


def test_a_poll_that_opens_later_is_announced_when_voting_starts(
    make_poll, chair, residents, django_capture_on_commit_callbacks, run_worker
):
    starts = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_open(poll=make_poll(opens_at=starts), by=chair)

    run_worker()  # before the start: the task waits

    assert DBTaskResult.objects.get().run_after == starts
    assert DBTaskResult.objects.get().status == "READY"
    assert Notification.objects.count() == 0


def test_a_poll_closed_before_the_worker_ran_is_not_announced(
    make_poll, chair, residents, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.poll_open(poll=make_poll(), by=chair)
    services.poll_close(poll=poll, by=chair, reason="议题撤回")

    run_worker()

    assert Notification.objects.filter(recipient__in=residents).count() == 0


@pytest.mark.parametrize("named", [False, True])
def test_a_roll_call_vote_says_everyone_will_see_the_votes(
    named, make_poll, chair, committee, make_person, django_capture_on_commit_callbacks, run_worker
):
    representative = make_person(committee, Role.REPRESENTATIVE)
    draft = make_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=named)
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_open(poll=draft, by=chair)
    run_worker()

    with translation.override("en"):
        text = told(representative)[0].render()
    assert ("Everyone will see who voted what." in text) is named

"""Grid workers and staff record an opinion on a resident's behalf: the resident is
found by mobile number or from the list, told by message, and shown by public name to
everyone but those who may see who recorded it."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.collection.models import CollectionMeeting
from deliberation.opinions.models import Category, Channel, Kind, Opinion
from tests.deliberation.factories import OpinionFactory
from townhall.accounts.models import Notification
from townhall.community.models import Membership, Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import CommitteeFactory, GridFactory, HouseholdFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def elder(make_person, committee, grid):
    """An elderly resident, registered with a household address and a mobile number."""
    person = make_person(
        committee, Role.RESIDENT, grid=grid, real_name="王秀英", display_name="", phone=None
    )
    person.phone = "+8613800001111"
    person.save()
    Membership.objects.filter(person=person).update(
        household=HouseholdFactory(grid=grid, address="3栋2单元501")
    )
    return person


def record_url(committee):
    return reverse("deliberation:opinion_record_on_behalf", args=[committee.slug])


def form_data(**fields):
    return {
        "submission_key": str(uuid.uuid4()),
        "channel": Channel.HOME_VISIT,
        "kind": Kind.OPINION,
        "title": "楼下路灯不亮",
        "body": "王阿姨说晚上出门看不清路。",
        "category": Category.SAFETY,
        **fields,
    }


def test_grid_worker_records_opinion_for_resident_found_by_phone(
    en, committee, grid, grid_worker, elder
):
    grid_worker.real_name = "李网格"
    grid_worker.save()
    en.force_login(grid_worker)

    response = en.post(record_url(committee), form_data(phone="13800001111"))

    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert (opinion.author, opinion.recorded_by) == (elder, grid_worker)
    assert (opinion.channel, opinion.grid) == (Channel.HOME_VISIT, grid)
    note = Notification.objects.get(recipient=elder)
    assert "楼下路灯不亮" in note.message
    assert "李网格" in note.message
    assert note.url == reverse("deliberation:opinion_detail", args=[opinion.pk])
    entry = LedgerEntry.objects.get(kind="opinion.submitted")
    assert entry.actor == grid_worker
    assert ledger_verify().ok
    page = en.get(response.url)
    assert "Recorded for 王秀英; they get a message about it." in page.content.decode()


def test_list_of_residents_shows_real_name_and_address_own_grid_first(
    en, make_person, committee, grid, grid_worker, elder
):
    other_grid = GridFactory(committee=committee, name="0号网格")
    make_person(committee, Role.RESIDENT, grid=other_grid, real_name="赵其他")
    en.force_login(grid_worker)

    response = en.get(record_url(committee))

    assert response.status_code == 200
    choices = [label for value, label in response.context["form"].fields["resident"].widget.choices]
    assert "王秀英" in choices[1] and "3栋2单元501" in choices[1]
    assert "赵其他" in choices[2]


def test_search_narrows_the_list_of_residents(en, make_person, committee, grid, grid_worker, elder):
    make_person(committee, Role.RESIDENT, grid=grid, real_name="赵其他")
    en.force_login(grid_worker)

    response = en.get(record_url(committee), {"q": "秀英"})

    labels = [label for value, label in response.context["form"].fields["resident"].widget.choices]
    assert len(labels) == 2
    assert "王秀英" in labels[1]


def test_staff_records_opinion_chosen_from_list_at_collection_meeting(
    en, committee, grid, staff, elder
):
    meeting = CollectionMeeting.objects.create(
        committee=committee,
        title="三月意见收集会",
        held_at=timezone.now() - timedelta(days=1),
        place="社区活动室",
        created_by=staff,
    )
    membership = Membership.objects.get(person=elder)
    en.force_login(staff)

    response = en.post(
        record_url(committee),
        form_data(resident=membership.pk, channel=Channel.MEETING, collection_meeting=meeting.pk),
    )

    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.author, opinion.recorded_by, opinion.collection_meeting) == (
        elder,
        staff,
        meeting,
    )
    assert opinion.channel == Channel.MEETING


def test_unknown_mobile_number_is_refused_and_typed_text_kept(en, committee, grid, grid_worker):
    en.force_login(grid_worker)

    response = en.post(record_url(committee), form_data(phone="13900009999"))

    html = response.content.decode()
    assert "No verified resident of this committee has that mobile number." in html
    assert "王阿姨说晚上出门看不清路。" in html
    assert Opinion.objects.count() == 0


def test_resident_must_be_named(en, committee, grid, grid_worker):
    en.force_login(grid_worker)

    response = en.post(record_url(committee), form_data())

    assert "Type the resident&#x27;s mobile number or choose them from the list." in (
        response.content.decode()
    )
    assert Opinion.objects.count() == 0


def test_resident_of_another_committee_cannot_be_chosen(en, make_person, committee, grid_worker):
    other = CommitteeFactory()
    outsider = make_person(other, Role.RESIDENT, grid=GridFactory(committee=other))
    en.force_login(grid_worker)

    response = en.post(
        record_url(committee), form_data(resident=Membership.objects.get(person=outsider).pk)
    )

    assert "Select a valid choice." in response.content.decode()
    assert Opinion.objects.count() == 0


def test_resident_cannot_record_on_behalf(en, committee, resident, elder):
    en.force_login(resident)

    assert en.get(record_url(committee)).status_code == 403
    assert en.post(record_url(committee), form_data(phone="13800001111")).status_code == 403
    assert Opinion.objects.count() == 0


def test_staff_without_two_step_verification_is_sent_to_set_it_up(en, make_person, committee):
    staff = make_person(committee, Role.STAFF)
    en.force_login(staff)

    response = en.get(record_url(committee))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_recorder_is_shown_to_staff_and_only_public_name_to_others(
    en, make_person, committee, grid, grid_worker, staff, elder
):
    grid_worker.real_name = "李网格"
    grid_worker.save()
    opinion = OpinionFactory(
        committee=committee,
        grid=grid,
        author=elder,
        recorded_by=grid_worker,
        channel=Channel.PHONE,
    )
    detail = reverse("deliberation:opinion_detail", args=[opinion.pk])
    listing = reverse("deliberation:opinion_list", args=[committee.slug])
    neighbour = make_person(committee, Role.RESIDENT, grid=grid)

    en.force_login(staff)
    for url in (detail, listing):
        assert "Recorded by 李网格 on behalf of 王秀英" in en.get(url).content.decode()

    for viewer in (neighbour, None):
        if viewer:
            en.force_login(viewer)
        else:
            en.logout()
        for url in (detail, listing):
            html = en.get(url).content.decode()
            assert "王**" in html
            assert "王秀英" not in html
            assert "李网格" not in html

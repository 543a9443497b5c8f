"""Opinion collection meetings (意见收集会): scheduling, attendance, the opinions gathered,
and the summary drafted as a consultation-outcome disclosure."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from deliberation.collection import services
from deliberation.models import CollectionMeeting, Opinion
from townhall.community.models import Role
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage

from ..factories import CommitteeFactory, GridFactory
from .factories import OpinionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def member(make_person, committee):
    return make_person(committee, Role.MEMBER, mfa=True)


@pytest.fixture
def board(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(
            title="居务公开栏", slug=f"board-{committee.pk}", committee=committee
        )
    )


def schedule(committee, by, *, days=-1, place="社区活动室", online=False, grids=None, **fields):
    return services.collection_meeting_schedule(
        committee=committee,
        by=by,
        title=fields.get("title", "三季度意见收集会"),
        held_at=timezone.now() + timedelta(days=days),
        place=place,
        online=online,
        grids=grids if grids is not None else list(committee.grids.all()),
    )


@pytest.fixture
def meeting(committee, grid, staff):
    return schedule(committee, staff)


# --- Scheduling ------------------------------------------------------------------------


def test_committee_member_schedules_a_meeting_from_the_form(en, committee, grid, member):
    other_grid = GridFactory(committee=committee)
    en.force_login(member)

    response = en.post(
        reverse("deliberation:collection_new", args=[committee.slug]),
        {
            "title": "停车问题意见收集会",
            "held_at": "2026-12-05T19:00",
            "place": "3栋楼下",
            "grids": [grid.pk, other_grid.pk],
        },
    )

    meeting = CollectionMeeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("deliberation:collection_detail", args=[meeting.pk])
    assert (meeting.title, meeting.place, meeting.created_by) == (
        "停车问题意见收集会",
        "3栋楼下",
        member,
    )
    assert set(meeting.grids.all()) == {grid, other_grid}


def test_a_meeting_needs_a_place_or_to_be_online(committee, grid, staff):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        schedule(committee, staff, place="  ")

    assert error.value.messages == ["Say where it is held, or that it is held online."]
    assert not CollectionMeeting.objects.exists()


def test_an_online_meeting_needs_no_place(committee, grid, staff):
    meeting = schedule(committee, staff, place="", online=True)

    assert meeting.online and meeting.place == ""


def test_form_without_place_says_why_and_keeps_what_was_typed(en, committee, grid, staff):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_new", args=[committee.slug]),
        {"title": "停车问题意见收集会", "held_at": "2026-12-05T19:00", "grids": [grid.pk]},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Say where it is held, or that it is held online." in text
    assert "停车问题意见收集会" in text
    assert not CollectionMeeting.objects.exists()


def test_only_the_committees_own_grids_can_be_invited(committee, grid, staff):
    with pytest.raises(ValidationError):
        schedule(committee, staff, grids=[GridFactory(committee=CommitteeFactory())])


def test_at_least_one_grid_is_invited(committee, staff):
    with pytest.raises(ValidationError):
        schedule(committee, staff, grids=[])


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.GRID_WORKER, Role.SUPERVISOR])
def test_only_the_committee_runs_collection_meetings(committee, grid, make_person, role):
    someone = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        schedule(committee, someone)


def test_resident_is_refused_the_new_meeting_form(client, committee, resident):
    client.force_login(resident)

    response = client.get(reverse("deliberation:collection_new", args=[committee.slug]))

    assert response.status_code == 403


def test_staff_of_another_committee_is_refused(client, committee, grid, make_person):
    client.force_login(make_person(CommitteeFactory(), Role.STAFF, mfa=True))

    response = client.get(reverse("deliberation:collection_new", args=[committee.slug]))

    assert response.status_code == 403


# --- Attendance ------------------------------------------------------------------------


def test_attendance_records_the_count_and_the_residents_named(meeting, staff, resident):
    services.collection_meeting_attendance_record(
        meeting=meeting, by=staff, attendee_count=23, attendees=[resident]
    )

    meeting.refresh_from_db()
    assert meeting.attendee_count == 23
    assert list(meeting.attendees.all()) == [resident]


def test_count_must_include_everyone_named(meeting, staff, resident, make_person, committee, grid):
    second = make_person(committee, Role.RESIDENT, grid=grid)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.collection_meeting_attendance_record(
            meeting=meeting, by=staff, attendee_count=1, attendees=[resident, second]
        )

    assert error.value.messages == [
        "1 people present, but 2 named: the number present must include everyone named."
    ]
    assert CollectionMeeting.objects.get().attendee_count == 0


def test_only_verified_residents_of_the_committee_are_named(meeting, staff, make_person):
    stranger = make_person(CommitteeFactory(), Role.RESIDENT)

    with pytest.raises(ValidationError):
        services.collection_meeting_attendance_record(
            meeting=meeting, by=staff, attendee_count=5, attendees=[stranger]
        )
    assert not meeting.attendees.exists()


def test_attendance_waits_until_the_meeting_is_held(committee, grid, staff, resident):
    upcoming = schedule(committee, staff, days=3)

    with pytest.raises(ValidationError):
        services.collection_meeting_attendance_record(
            meeting=upcoming, by=staff, attendee_count=5, attendees=[resident]
        )


def test_attendance_form_error_is_shown_with_what_was_typed(en, meeting, staff, resident):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_attendance", args=[meeting.pk]),
        {"attendee_count": "0", "attendees": [resident.pk]},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "0 people present, but 1 named" in text
    assert re.search(rf'<input[^>]*name="attendees"[^>]*value="{resident.pk}"[^>]*checked', text)


def test_staff_records_attendance_from_the_meeting_page(en, meeting, staff, resident):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_attendance", args=[meeting.pk]),
        {"attendee_count": "12", "attendees": [resident.pk]},
    )

    assert response.status_code == 302
    assert CollectionMeeting.objects.get().attendee_count == 12


# --- Opinions gathered -----------------------------------------------------------------


def test_opinions_gathered_are_linked_to_the_meeting(meeting, staff, committee, grid):
    opinions = [OpinionFactory(committee=committee, grid=grid) for _ in range(2)]

    linked = services.collection_meeting_opinions_link(meeting=meeting, by=staff, opinions=opinions)

    assert linked == 2
    assert set(meeting.opinions.all()) == set(opinions)


def test_opinions_of_another_committee_cannot_be_linked(meeting, staff):
    elsewhere = OpinionFactory()

    with pytest.raises(ValidationError):
        services.collection_meeting_opinions_link(meeting=meeting, by=staff, opinions=[elsewhere])
    assert Opinion.objects.get().collection_meeting is None


def test_an_opinion_gathered_at_another_meeting_is_not_moved(meeting, staff, committee, grid):
    earlier = schedule(committee, staff, days=-5, title="上次的会")
    opinion = OpinionFactory(committee=committee, grid=grid, collection_meeting=earlier)

    with pytest.raises(ValidationError):
        services.collection_meeting_opinions_link(meeting=meeting, by=staff, opinions=[opinion])
    assert Opinion.objects.get().collection_meeting == earlier


def test_link_form_lists_the_committees_unlinked_opinions(en, meeting, staff, committee, grid):
    waiting = OpinionFactory(committee=committee, grid=grid, title="等待关联的意见")
    OpinionFactory(committee=committee, grid=grid, title="已关联的意见", collection_meeting=meeting)
    OpinionFactory(title="别的居委会的意见")
    en.force_login(staff)

    page = en.get(reverse("deliberation:collection_detail", args=[meeting.pk])).content.decode()
    form = page[
        page.index('action="' + reverse("deliberation:collection_opinions", args=[meeting.pk])) :
    ]

    assert "等待关联的意见" in form
    assert "已关联的意见" not in form
    assert "别的居委会的意见" not in page
    response = en.post(
        reverse("deliberation:collection_opinions", args=[meeting.pk]), {"opinions": [waiting.pk]}
    )
    assert response.status_code == 302
    assert Opinion.objects.get(pk=waiting.pk).collection_meeting == meeting


# --- Pages -----------------------------------------------------------------------------


def test_list_shows_upcoming_and_past_meetings_to_anyone(en, committee, grid, staff):
    schedule(committee, staff, days=7, title="下周的会")
    schedule(committee, staff, days=-7, title="上周的会")

    page = en.get(reverse("deliberation:collection_list", args=[committee.slug]))

    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("下周的会") < text.index("Held") < text.index("上周的会")
    assert "Schedule a meeting" not in text


def test_committee_sees_the_schedule_button(en, committee, member):
    en.force_login(member)

    page = en.get(reverse("deliberation:collection_list", args=[committee.slug]))

    assert "Schedule a meeting" in page.content.decode()


def test_public_page_shows_what_happened_but_not_who_came(
    en, meeting, staff, resident, committee, grid
):
    opinion = OpinionFactory(
        committee=committee, grid=grid, title="增设充电桩", collection_meeting=meeting
    )
    services.collection_meeting_attendance_record(
        meeting=meeting, by=staff, attendee_count=31, attendees=[resident]
    )

    page = en.get(reverse("deliberation:collection_detail", args=[meeting.pk])).content.decode()

    assert "社区活动室" in page and "31" in page and grid.name in page
    assert reverse("deliberation:opinion_detail", args=[opinion.pk]) in page
    assert "增设充电桩" in page
    assert resident.real_name not in page
    assert "Record attendance" not in page


def test_committee_sees_the_names_of_residents_present(en, meeting, staff, resident):
    services.collection_meeting_attendance_record(
        meeting=meeting, by=staff, attendee_count=3, attendees=[resident]
    )
    en.force_login(staff)

    page = en.get(reverse("deliberation:collection_detail", args=[meeting.pk])).content.decode()

    assert resident.real_name in page
    assert "Record attendance" in page


# --- Summary and disclosure ------------------------------------------------------------


def test_publishing_the_summary_drafts_a_consultation_disclosure_on_the_board(
    meeting, staff, board, committee, grid, settings
):
    settings.LANGUAGE_CODE = "en"
    OpinionFactory(committee=committee, grid=grid, title="增设充电桩", collection_meeting=meeting)
    services.collection_meeting_attendance_record(
        meeting=meeting, by=staff, attendee_count=31, attendees=[]
    )

    page = services.collection_meeting_summary_publish(
        meeting=meeting, by=staff, summary="居民集中反映停车难。\n居委会将协调物业。"
    )

    page = DisclosurePage.objects.get(pk=page.pk)
    assert page.get_parent().specific == board
    assert page.category == "consultations"
    assert not page.live
    assert page.period_start == page.period_end == timezone.localdate(meeting.held_at)
    body = str(page.body)
    for expected in (
        "居民集中反映停车难。",
        "居委会将协调物业。",
        "社区活动室",
        "31",
        "增设充电桩",
        grid.name,
    ):
        assert expected in body
    meeting.refresh_from_db()
    assert meeting.disclosure_id == page.pk
    assert meeting.summary.startswith("居民集中反映停车难。")


def test_publish_button_opens_the_draft_in_the_cms_editor(en, meeting, staff, board):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_summary", args=[meeting.pk]),
        {"summary": "居民集中反映停车难。", "action": "publish"},
    )

    page = DisclosurePage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_without_a_board_the_reason_is_shown_and_the_summary_kept(en, meeting, staff, wagtail_site):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_summary", args=[meeting.pk]),
        {"summary": "居民集中反映停车难。", "action": "publish"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "has no disclosure board yet" in text
    assert "居民集中反映停车难。" in text
    meeting.refresh_from_db()
    assert meeting.summary == "居民集中反映停车难。"
    assert meeting.disclosure is None
    assert not DisclosurePage.objects.exists()


def test_a_meeting_is_drafted_as_a_disclosure_once(meeting, staff, board):
    services.collection_meeting_summary_publish(meeting=meeting, by=staff, summary="第一稿")

    with pytest.raises(ValidationError):
        services.collection_meeting_summary_publish(meeting=meeting, by=staff, summary="第二稿")
    assert DisclosurePage.objects.count() == 1


def test_saving_the_summary_makes_no_disclosure(en, meeting, staff, board):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:collection_summary", args=[meeting.pk]),
        {"summary": "先存个草稿", "action": "save"},
    )

    assert response.status_code == 302
    assert CollectionMeeting.objects.get().summary == "先存个草稿"
    assert not DisclosurePage.objects.exists()


def test_live_disclosure_is_linked_from_the_meeting_page(en, meeting, staff, board):
    page = services.collection_meeting_summary_publish(meeting=meeting, by=staff, summary="纪要")
    page.get_latest_revision().publish()

    text = en.get(reverse("deliberation:collection_detail", args=[meeting.pk])).content.decode()

    assert "Read the published summary on the disclosure board" in text


def test_resident_cannot_publish_a_summary(client, meeting, resident, board):
    client.force_login(resident)

    response = client.post(
        reverse("deliberation:collection_summary", args=[meeting.pk]),
        {"summary": "我来写", "action": "publish"},
    )

    assert response.status_code == 403
    assert not DisclosurePage.objects.exists()

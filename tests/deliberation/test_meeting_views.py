"""Decision meeting pages as people use them: the public list and page, the chair's screen
(open, check-in, count, close), the QR code's check-in page and the live quorum."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings import services
from deliberation.meetings.models import Attendance, Body, Meeting, Motion, RollMember
from townhall.community.models import Household, Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def residents(make_person, committee, grid):
    return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]


@pytest.fixture
def meeting(committee, chair, residents):
    return services.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="居民会议",
        starts_at=timezone.now() + timedelta(days=2),
        place="活动中心",
        chair=chair,
        short_notice_reason="暴雨后紧急排水",
    )


@pytest.fixture
def open_meeting(meeting, chair):
    return services.meeting_open(meeting=meeting, by=chair)


def test_list_and_page_are_public_and_show_short_notice(en, meeting):
    listing = en.get(reverse("deliberation:meeting_list", args=[meeting.committee.slug]))
    page = en.get(reverse("deliberation:meeting_detail", args=[meeting.pk]))

    assert listing.status_code == page.status_code == 200
    assert "Short notice: 暴雨后紧急排水" in listing.content.decode()
    assert "Short notice: 暴雨后紧急排水" in page.content.decode()


def test_convening_from_the_form(en, committee, chair, residents):
    en.force_login(chair)
    starts = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"body": Body.ASSEMBLY, "title": "居民会议", "starts_at": starts, "place": "活动中心"}
    url = reverse("deliberation:meeting_new", args=[committee.slug])

    refused = en.post(url, {**data, "chair": chair.pk})
    assert refused.status_code == 200
    assert "at least 10 days" in refused.content.decode()
    assert 'value="活动中心"' in refused.content.decode()

    response = en.post(url, {**data, "chair": chair.pk, "short_notice_reason": "紧急"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deliberation:meeting_detail", args=[meeting.pk])


def test_a_resident_cannot_open_the_chair_screen(client, meeting, residents):
    client.force_login(residents[0])
    assert client.get(reverse("deliberation:meeting_chair", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("deliberation:meeting_open", args=[meeting.pk])).status_code == 403


def test_the_chair_opens_marks_counts_and_closes(en, meeting, chair, residents):
    en.force_login(chair)
    en.post(reverse("deliberation:meeting_open", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN

    page = en.get(reverse("deliberation:meeting_chair", args=[meeting.pk]), {"q": "测试"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    for person in residents[:2]:
        en.post(
            reverse("deliberation:meeting_attendance", args=[meeting.pk]),
            {"person": person.pk, "action": "in"},
        )
    quorum = en.get(reverse("deliberation:meeting_quorum_json", args=[meeting.pk])).json()
    assert (quorum["members"], quorum["present"], quorum["met"]) == (3, 2, True)

    en.post(
        reverse("deliberation:motion_add", args=[meeting.pk]),
        {"kind": Motion.Kind.PROCEDURAL, "title": "推选计票人", "text": "李四"},
    )
    motion = Motion.objects.get()
    too_many = en.post(
        reverse("deliberation:motion_count", args=[motion.pk]),
        {f"m{motion.pk}-yes": 3, f"m{motion.pk}-no": 0, f"m{motion.pk}-abstain": 0},
    )
    assert too_many.status_code == 400 and "only 2 members" in too_many.content.decode()

    counted = en.post(
        reverse("deliberation:motion_count", args=[motion.pk]),
        {f"m{motion.pk}-yes": 2, f"m{motion.pk}-no": 0, f"m{motion.pk}-abstain": 0},
        follow=True,
    )
    assert "Passed: 2 of 2 present" in counted.content.decode()

    en.post(reverse("deliberation:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED


def test_qr_check_in_with_the_right_token(en, open_meeting, residents):
    person = residents[0]
    en.force_login(person)
    url = reverse(
        "deliberation:meeting_check_in", args=[open_meeting.pk, open_meeting.check_in_token]
    )

    assert "I am here" in en.get(url).content.decode()
    page = en.post(url, {"action": "in"}, follow=True).content.decode()

    assert "You are checked in as a member" in page
    assert Attendance.objects.get(meeting=open_meeting, person=person).recorded_by == person
    en.post(url, {"action": "out"})
    assert Attendance.objects.get(person=person).checked_out_at is not None


def test_qr_check_in_with_a_wrong_token_is_refused(en, open_meeting, residents):
    en.force_login(residents[0])
    url = reverse("deliberation:meeting_check_in", args=[open_meeting.pk, "guessed"])

    response = en.post(url, {"action": "in"}, follow=True)

    assert "not valid for this meeting" in response.content.decode()
    assert not Attendance.objects.exists()


def test_qr_check_in_after_closing_is_refused(en, open_meeting, chair, residents):
    services.meeting_close(meeting=open_meeting, by=chair)
    en.force_login(residents[0])
    url = reverse(
        "deliberation:meeting_check_in", args=[open_meeting.pk, open_meeting.check_in_token]
    )

    response = en.post(url, {"action": "in"}, follow=True)

    assert "only while the meeting is in session" in response.content.decode()
    assert not Attendance.objects.exists()


def _household_meeting(committee, grid, chair, households: int) -> Meeting:
    Household.objects.bulk_create(
        [Household(grid=grid, address=f"{n}栋{households}") for n in range(households)]
    )
    meeting = services.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        by_household=True,
        title=f"户代表会议{households}",
        starts_at=timezone.now() + timedelta(days=11),
        place="活动中心",
        chair=chair,
    )
    return services.meeting_open(meeting=meeting, by=chair)


def test_chair_screen_queries_do_not_grow_with_the_roll(
    client, committee, grid, chair, make_person
):
    client.force_login(chair)

    def queries(households: int) -> tuple[int, int]:
        meeting = _household_meeting(committee, grid, chair, households)
        services.motion_add(
            meeting=meeting, by=chair, kind=Motion.Kind.PROCEDURAL, title="议程", text="…"
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                reverse("deliberation:meeting_chair", args=[meeting.pk]), {"q": "测试"}
            )
        assert response.status_code == 200
        return RollMember.objects.filter(meeting=meeting).count(), len(captured)

    roll, queries_small = queries(50)
    assert roll == 50
    roll, count = queries(450)  # the grid now has 500 households
    assert roll == 500 and count == queries_small


def test_the_page_shows_each_motion_result_to_staff(en, open_meeting, chair, residents):
    for person in residents:
        services.attendance_check_in(meeting=open_meeting, person=person, by=chair)
    motion = services.motion_add(
        meeting=open_meeting, by=chair, kind=Motion.Kind.PROCEDURAL, title="表决", text="…"
    )
    services.motion_count(motion=motion, by=chair, yes=1, no=2, abstain=0)
    en.force_login(chair)

    page = en.get(reverse("deliberation:meeting_detail", args=[open_meeting.pk])).content.decode()

    assert "For 1 · Against 2 · Abstain 0" in page
    assert "3 of 3 members present at the vote" in page

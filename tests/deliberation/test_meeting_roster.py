"""The roster: the chair checks people in from the meeting's roll, one tap per person,
with a search, the arrived / expected count, observers apart, households for a household
meeting, and a fixed number of queries however long the roll."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings import services
from deliberation.meetings.models import Attendance, Body, Meeting
from townhall.community.models import Household, Role

from ..factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


NAMES = ["王红梅", "李海涛", "张秀兰", "刘桂芳", "马丽"]


@pytest.fixture
def residents(make_person, committee, grid):
    return [make_person(committee, Role.RESIDENT, grid=grid, real_name=name) for name in NAMES]


def _open(committee, chair, *, by_household=False) -> Meeting:
    meeting = services.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        by_household=by_household,
        title="居民会议：东门改造",
        starts_at=timezone.now() + timedelta(days=11),
        place="活动中心",
        chair=chair,
    )
    return services.meeting_open(meeting=meeting, by=chair)


@pytest.fixture
def meeting(committee, chair, residents):
    return _open(committee, chair)


def roster_url(meeting, **query) -> str:
    url = reverse("deliberation:meeting_roster", args=[meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def tap(client, meeting, person, *, action="in", next_url=None, row=""):
    return client.post(
        reverse("deliberation:meeting_attendance", args=[meeting.pk]),
        {
            "person": person.pk,
            "action": action,
            "next": next_url or roster_url(meeting),
            "row": row,
        },
    )


def row_of(page: str, name: str) -> str:
    """The <li> of the roll that names the person."""
    for row in re.findall(r'<li class="roster-row[^"]*" id="roll-\d+".*?</li>', page, re.S):
        if name in row:
            return row
    raise AssertionError(f"{name} is not on this page of the roll")


def test_the_roster_lists_everyone_expected_with_one_check_in_button_each(en, meeting, chair):
    en.force_login(chair)

    page = en.get(roster_url(meeting)).content.decode()

    for name in NAMES:
        row = row_of(page, name)
        assert row.count('name="action" value="in"') == 1
        assert f'aria-label="Check in {name}"' in row
    assert 'Not yet arrived <span class="count">5</span>' in page
    assert 'Arrived <span class="count">0</span>' in page


def test_one_tap_checks_one_person_in_and_returns_to_the_same_place(en, meeting, chair, residents):
    en.force_login(chair)
    back = roster_url(meeting, q="李", show="all", page=1)

    response = tap(en, meeting, residents[1], next_url=back, row="roll-7")

    assert response.status_code == 302
    assert unquote(response["Location"]) == back + "#roll-7"
    attendance = Attendance.objects.get()
    assert attendance.person == residents[1] and not attendance.is_observer
    page = en.get(back).content.decode()
    assert "李海涛 is present." in page
    assert "Arrived" in row_of(page, "李海涛")
    assert 'value="in"' not in row_of(page, "李海涛")


def test_a_second_tap_changes_nothing_and_says_so(en, meeting, chair, residents):
    en.force_login(chair)
    tap(en, meeting, residents[0])
    first = Attendance.objects.get().checked_in_at

    response = tap(en, meeting, residents[0])

    assert response.status_code == 302
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().checked_in_at == first
    page = en.get(response["Location"]).content.decode()
    assert "王红梅 was already checked in at" in page


def test_the_count_and_the_quorum_follow_the_taps(en, meeting, chair, residents):
    en.force_login(chair)
    for person in residents[:3]:
        tap(en, meeting, person)

    page = en.get(roster_url(meeting)).content.decode()

    assert "<span data-quorum-present>3</span> / <span data-quorum-members>5</span>" in page
    assert "Quorum met: the meeting may decide." in page
    assert 'Arrived <span class="count">3</span>' in page
    waiting = en.get(roster_url(meeting, show="waiting")).content.decode()
    assert "刘桂芳" in waiting and "马丽" in waiting and "王红梅" not in waiting


def test_checking_out_makes_the_row_wait_again(en, meeting, chair, residents):
    en.force_login(chair)
    tap(en, meeting, residents[0])

    tap(en, meeting, residents[0], action="out")

    page = en.get(roster_url(meeting)).content.decode()
    assert 'value="in"' in row_of(page, "王红梅")
    assert "<span data-quorum-present>0</span>" in page


def test_the_search_finds_a_person_by_name_or_phone(en, meeting, chair, residents):
    en.force_login(chair)

    by_name = en.get(roster_url(meeting, q="秀兰")).content.decode()
    by_phone = en.get(roster_url(meeting, q=residents[3].phone[-8:])).content.decode()
    nobody = en.get(roster_url(meeting, q="不存在")).content.decode()

    assert "张秀兰" in by_name and "王红梅" not in by_name
    assert 'value="秀兰"' in by_name  # the search box keeps what was typed
    assert "刘桂芳" in by_phone and "张秀兰" not in by_phone
    assert "No one on the roll matches." in nobody


def test_observers_are_listed_apart_and_do_not_count(
    en, meeting, chair, residents, make_person, committee
):
    staff = make_person(committee, Role.STAFF, real_name="周志强")
    en.force_login(chair)

    found = en.get(roster_url(meeting, q="志强")).content.decode()
    tap(en, meeting, staff, row=f"person-{staff.pk}")

    assert "Not on the roll: they attend as observers" in found
    assert 'aria-label="Check in 周志强 as an observer"' in found
    assert Attendance.objects.get(person=staff).is_observer
    page = en.get(roster_url(meeting)).content.decode()
    observers = page[page.index('id="roster-observers"') :]
    assert "1 observer in the hall (may speak, not vote)" in observers
    assert "周志强" in observers
    roll = page[page.index('aria-label="The roll"') : page.index('id="roster-observers"')]
    assert "周志强" not in roll
    assert "<span data-quorum-present>0</span>" in page


def test_a_household_meeting_lists_households_with_a_button_for_each_resident(
    en, committee, grid, chair
):
    household = Household.objects.create(grid=grid, address="3栋2单元501")
    Household.objects.create(grid=grid, address="4栋1单元101")
    wife, husband = (UserFactory(real_name=name) for name in ("陈晓燕", "孙强"))
    for person in (wife, husband):
        MembershipFactory(
            person=person, committee=committee, role=Role.RESIDENT, grid=grid, household=household
        )
    meeting = _open(committee, chair, by_household=True)
    en.force_login(chair)

    page = en.get(roster_url(meeting, q="晓燕")).content.decode()
    row = row_of(page, "3栋2单元501")
    tap(en, meeting, husband)
    after = row_of(en.get(roster_url(meeting)).content.decode(), "3栋2单元501")

    assert "4栋1单元101" not in page  # the search found the household by a resident's name
    assert "陈晓燕 is here" in row and "孙强 is here" in row
    assert "Arrived: 孙强" in after and 'value="in"' not in after
    assert Attendance.objects.get(person=husband).roll_member.household == household


def test_the_roster_queries_do_not_grow_with_a_roll_of_thousands(
    en, committee, grid, chair, django_assert_max_num_queries
):
    en.force_login(chair)
    Household.objects.bulk_create([Household(grid=grid, address=f"{n}栋") for n in range(30)])
    meeting = _open(committee, chair, by_household=True)
    with django_assert_max_num_queries(40) as small_queries:
        en.get(roster_url(meeting, q="栋", page=1))
    Household.objects.bulk_create([Household(grid=grid, address=f"{n}号楼") for n in range(3000)])
    big = _open(committee, chair, by_household=True)
    # Residents for every household on the page asked for: each row lists its people.
    for household in Household.objects.filter(address__endswith="号楼").order_by("address")[:50]:
        MembershipFactory(committee=committee, role=Role.RESIDENT, grid=grid, household=household)

    with django_assert_max_num_queries(len(small_queries)) as big_queries:
        response = en.get(roster_url(big, q="号楼", page=1))

    assert big.roll.count() == 3030
    assert response.status_code == 200
    assert "Page 1 of 60" in response.content.decode()
    assert len(big_queries) <= len(small_queries)


def test_the_tap_goes_back_only_to_this_meetings_roster(en, meeting, chair, residents):
    en.force_login(chair)

    response = tap(en, meeting, residents[0], next_url="https://example.com/roster/")

    assert response["Location"] == reverse("deliberation:meeting_chair", args=[meeting.pk]) + (
        "#check-in"
    )


def test_a_resident_cannot_open_the_roster_or_check_others_in(client, meeting, residents):
    client.force_login(residents[0])

    assert client.get(roster_url(meeting)).status_code == 403
    assert tap(client, meeting, residents[1]).status_code == 403
    assert not Attendance.objects.exists()


def test_a_closed_meetings_roster_shows_who_came_without_buttons(en, meeting, chair, residents):
    en.force_login(chair)
    tap(en, meeting, residents[0])
    services.meeting_close(meeting=meeting, by=chair)

    page = en.get(roster_url(meeting)).content.decode()

    assert "The meeting is closed: this is who came." in page
    assert 'name="action"' not in page
    assert "Did not come" in row_of(page, "马丽")


def test_the_chair_screen_leads_to_the_roster_and_asks_before_closing(en, meeting, chair):
    en.force_login(chair)

    page = en.get(reverse("deliberation:meeting_chair", args=[meeting.pk])).content.decode()

    assert f'href="{roster_url(meeting)}"' in page
    assert (
        'data-confirm="After closing the meeting “居民会议：东门改造”, no one can check in or '
        'vote at it. Close it?"'
    ) in page
    assert "js/confirm.js" in page and 'id="confirm-dialog"' in page

"""The minutes: who may write them and when, the chair's and a supervisor's approval
after the meeting closes, and their disclosure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from deliberation.meetings.minutes import minutes_approve, minutes_save
from deliberation.meetings.models import Meeting, Minutes
from townhall.community.models import Role
from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.review import disclosure_review_decide
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from . import test_decisions

pytestmark = pytest.mark.django_db

# The decision fixtures, shared with test_decisions.py.
board = test_decisions.board
make_meeting = test_decisions.make_meeting
make_motion = test_decisions.make_motion
supervisor = test_decisions.supervisor

TEXT = "主持人宣布开会。3号楼居民代表介绍加装电梯方案。"


@pytest.fixture
def secretary(make_person, committee):
    return make_person(committee, Role.RESIDENT, real_name="钱秘书")


@pytest.fixture
def closed_with_minutes(make_meeting, make_motion, secretary):
    meeting = make_meeting(secretary=secretary)
    make_motion(meeting)
    minutes_save(meeting=meeting, by=secretary, text=TEXT)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    return Meeting.objects.get(pk=meeting.pk)


# Writing -----------------------------------------------------------------------------


def test_the_secretary_writes_the_minutes_during_the_meeting(make_meeting, secretary):
    meeting = make_meeting(secretary=secretary)

    minutes = minutes_save(meeting=meeting, by=secretary, text=f"  {TEXT}  ")

    assert Minutes.objects.get(pk=minutes.pk).text == TEXT


def test_a_committee_member_may_write_them_too(make_meeting, make_person, committee):
    member = make_person(committee, Role.MEMBER, mfa=True)

    minutes_save(meeting=make_meeting(), by=member, text=TEXT)

    assert Minutes.objects.get().text == TEXT


def test_a_resident_who_is_not_the_secretary_cannot_write_them(make_meeting, resident):
    with pytest.raises(PermissionDenied):
        minutes_save(meeting=make_meeting(), by=resident, text=TEXT)


def test_minutes_are_not_written_before_the_meeting_opens(make_meeting, secretary):
    meeting = make_meeting(secretary=secretary, status=Meeting.Status.SCHEDULED)

    with pytest.raises(ValidationError):
        minutes_save(meeting=meeting, by=secretary, text=TEXT)


def test_minutes_can_still_be_written_after_closing(closed_with_minutes, secretary):
    minutes_save(meeting=closed_with_minutes, by=secretary, text=TEXT + "散会。")

    assert Minutes.objects.get().text.endswith("散会。")


def test_approved_minutes_cannot_be_edited(closed_with_minutes, secretary, chair):
    minutes_approve(meeting=closed_with_minutes, by=chair)

    with pytest.raises(ValidationError):
        minutes_save(meeting=closed_with_minutes, by=secretary, text="改写")
    assert Minutes.objects.get().text == TEXT


# Approving ---------------------------------------------------------------------------


def test_minutes_are_approved_only_after_the_meeting_is_closed(make_meeting, secretary, chair):
    meeting = make_meeting(secretary=secretary)
    minutes_save(meeting=meeting, by=secretary, text=TEXT)

    with pytest.raises(ValidationError):
        minutes_approve(meeting=meeting, by=chair)
    assert Minutes.objects.get().chair_approved_at is None


def test_empty_minutes_cannot_be_approved(make_meeting, chair):
    meeting = make_meeting(status=Meeting.Status.CLOSED)

    with pytest.raises(ValidationError):
        minutes_approve(meeting=meeting, by=chair)


def test_the_secretary_cannot_approve(closed_with_minutes, secretary):
    with pytest.raises(PermissionDenied):
        minutes_approve(meeting=closed_with_minutes, by=secretary)


def test_the_chair_approves_once(closed_with_minutes, chair):
    minutes_approve(meeting=closed_with_minutes, by=chair)

    with pytest.raises(ValidationError):
        minutes_approve(meeting=closed_with_minutes, by=chair)
    assert LedgerEntry.objects.filter(kind="minutes.approved").count() == 1


def test_one_approval_drafts_no_disclosure(closed_with_minutes, supervisor, board):
    minutes = minutes_approve(meeting=closed_with_minutes, by=supervisor)

    assert minutes.supervisor_approved_by == supervisor
    assert minutes.disclosure is None
    assert not DisclosurePage.objects.exists()


def test_both_approvals_send_the_minutes_to_the_review_and_it_publishes(
    make_meeting, make_motion, secretary, chair, supervisor, board
):
    meeting = make_meeting(secretary=secretary, short_notice_reason="台风过后抢修")
    make_motion(meeting)
    minutes_save(meeting=meeting, by=secretary, text=TEXT)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)

    minutes_approve(meeting=meeting, by=supervisor)
    minutes = minutes_approve(meeting=meeting, by=chair)

    page = DisclosurePage.objects.get(pk=minutes.disclosure_id)
    assert page.category == "decisions"
    assert TEXT in page.body
    assert "台风过后抢修" in page.body and "社区活动中心" in page.body
    assert "加装电梯方案" in page.body
    disclosure_review_decide(
        task_state=page.current_workflow_state.current_task_state, user=supervisor, approve=True
    )
    assert DisclosurePage.objects.get(pk=page.pk).live
    assert LedgerEntry.objects.filter(kind="minutes.approved").count() == 2
    assert ledger_verify().ok


def test_without_a_board_the_second_approval_is_refused(
    closed_with_minutes, chair, supervisor, wagtail_site
):
    minutes_approve(meeting=closed_with_minutes, by=chair)

    with pytest.raises(ValidationError):
        minutes_approve(meeting=closed_with_minutes, by=supervisor)
    assert Minutes.objects.get().supervisor_approved_at is None


# Pages -------------------------------------------------------------------------------


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_secretary_saves_the_minutes_on_their_page(en, make_meeting, make_motion, secretary):
    meeting = make_meeting(secretary=secretary)
    make_motion(meeting)
    en.force_login(secretary)
    url = reverse("deliberation:minutes_edit", args=[meeting.pk])

    page = en.get(url).content.decode()
    response = en.post(url, {"text": TEXT}, follow=True)

    assert "加装电梯方案" in page  # the agenda beside the editor
    assert "The minutes are saved." in response.content.decode()
    assert Minutes.objects.get().text == TEXT


def test_a_resident_is_refused_the_minutes_editor(en, make_meeting, resident):
    en.force_login(resident)

    response = en.get(reverse("deliberation:minutes_edit", args=[make_meeting().pk]))

    assert response.status_code == 403


def test_approved_minutes_show_no_editor(en, closed_with_minutes, secretary, chair):
    minutes_approve(meeting=closed_with_minutes, by=chair)
    en.force_login(secretary)

    page = en.get(reverse("deliberation:minutes_edit", args=[closed_with_minutes.pk]))

    assert "cannot be edited" in page.content.decode()
    assert "<textarea" not in page.content.decode()


def test_the_chair_approves_on_the_approval_page(en, closed_with_minutes, chair):
    en.force_login(chair)
    url = reverse("deliberation:minutes_approve", args=[closed_with_minutes.pk])

    assert "Approve as chair" in en.get(url).content.decode()
    response = en.post(url, follow=True)

    assert "Your approval is recorded." in response.content.decode()
    assert Minutes.objects.get().chair_approved_by == chair


def test_approving_an_open_meeting_says_why_not(en, make_meeting, secretary, chair):
    meeting = make_meeting(secretary=secretary)
    minutes_save(meeting=meeting, by=secretary, text=TEXT)
    en.force_login(chair)

    response = en.post(reverse("deliberation:minutes_approve", args=[meeting.pk]))

    assert response.status_code == 400
    assert "after the meeting is closed" in response.content.decode()

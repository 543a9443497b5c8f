"""Carrying out a decision (执行): the committee assigns it to a member with a due date,
progress is reported (with photos) until it is done, and the supervision committee
comments and signs off completion or sends it back. Every step is in the ledger, and the
people concerned are told."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import ExifTags, Image

from deliberation.decisions.execution import (
    execution_assign,
    execution_send_back,
    execution_sign_off,
    progress_report,
    supervision_note_add,
)
from deliberation.decisions.execution_selectors import decision_overdue, decisions_overdue
from deliberation.decisions.models import Decision, ProgressUpdate, SupervisionNote
from deliberation.meetings.models import Body, Meeting, Motion
from tests.deliberation.factories import OpinionFactory, TopicFactory
from tests.factories import CommitteeFactory, CommunityFactory
from townhall.accounts.models import Notification
from townhall.community.models import Role, SocialOrganization
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

Execution = Decision.Execution
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def make_decision(committee, convener, *, passed=True, topic=None, **fields) -> Decision:
    """A decision made directly with the models: meeting, counted motion, decision."""
    meeting = Meeting.objects.create(
        committee=committee,
        body=Body.REPRESENTATIVES,
        title="居民代表会议",
        starts_at=timezone.now(),
        place="居委会会议室",
        convened_by=convener,
        chair=convener,
        status=Meeting.Status.CLOSED,
    )
    motion = Motion.objects.create(
        meeting=meeting,
        kind=Motion.Kind.TOPIC if topic else Motion.Kind.PROCEDURAL,
        topic=topic,
        title="更换老旧楼道灯",
        text="由居委会组织更换3栋至5栋楼道灯为声控灯。",
        status=Motion.Status.PASSED if passed else Motion.Status.FAILED,
        yes=20 if passed else 5,
        no=5 if passed else 20,
        abstain=1,
    )
    return Decision.objects.create(
        committee=committee, motion=motion, passed=passed, decided_at=timezone.now(), **fields
    )


@pytest.fixture
def member(make_person, committee):
    return make_person(committee, Role.MEMBER, mfa=True, real_name="李委员")


@pytest.fixture
def supervisor(make_person, committee):
    return make_person(committee, Role.SUPERVISOR, mfa=True, real_name="赵监督")


@pytest.fixture
def topic(committee, grid, resident):
    topic = TopicFactory(committee=committee)
    OpinionFactory(committee=committee, grid=grid, author=resident, topic=topic)
    return topic


@pytest.fixture
def decision(committee, chair, topic):
    return make_decision(committee, chair, topic=topic)


@pytest.fixture
def volunteers(committee):
    return SocialOrganization.objects.create(
        community=committee.community, name="阳光志愿者服务队", kind="志愿服务"
    )


@pytest.fixture
def assigned(decision, chair, member):
    return execution_assign(decision=decision, by=chair, responsible=member, due_on=NEXT_MONTH)


def image_file(name="photo.jpg", fmt="JPEG", size=(64, 48), exif=None):
    buffer = BytesIO()
    Image.new("RGB", size, "green").save(buffer, fmt, **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def kinds() -> list[str]:
    return list(LedgerEntry.objects.order_by("seq").values_list("kind", flat=True))


# Assigning ------------------------------------------------------------------------------


def test_chair_assigns_a_passed_decision_and_the_member_is_told(
    decision, chair, member, volunteers
):
    decision = execution_assign(
        decision=decision,
        by=chair,
        responsible=member,
        due_on=NEXT_MONTH,
        assisting=[volunteers],
    )

    decision.refresh_from_db()
    assert decision.execution == Execution.IN_PROGRESS
    assert (decision.responsible, decision.due_on) == (member, NEXT_MONTH)
    assert list(decision.assisting.all()) == [volunteers]
    entry = LedgerEntry.objects.get(kind="decision.assigned")
    assert entry.subject == f"deliberation.decision:{decision.pk}"
    assert f'"responsible":{member.pk}' in entry.payload
    assert NEXT_MONTH.isoformat() in entry.payload
    assert Notification.objects.filter(recipient=member).count() == 1
    assert ledger_verify().ok


def test_staff_may_assign_a_decision(decision, staff, member):
    execution_assign(decision=decision, by=staff, responsible=member, due_on=TODAY)

    assert Decision.objects.get().responsible == member


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SUPERVISOR, Role.RESIDENT, Role.GRID_WORKER])
def test_only_staff_and_chair_assign(make_person, committee, decision, member, role):
    person = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        execution_assign(decision=decision, by=person, responsible=member, due_on=NEXT_MONTH)

    assert Decision.objects.get().execution == Execution.NOT_ASSIGNED


def test_chair_without_two_step_verification_cannot_assign(
    make_person, committee, decision, member
):
    chair = make_person(committee, Role.CHAIR)

    with pytest.raises(PermissionDenied):
        execution_assign(decision=decision, by=chair, responsible=member, due_on=NEXT_MONTH)


def test_decision_that_did_not_pass_is_not_carried_out(committee, chair, member):
    failed = make_decision(committee, chair, passed=False)

    with translation.override("en"), pytest.raises(ValidationError, match="Only a passed"):
        execution_assign(decision=failed, by=chair, responsible=member, due_on=NEXT_MONTH)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.STAFF, Role.SUPERVISOR, Role.REPRESENTATIVE])
def test_responsible_must_be_a_committee_member(make_person, committee, decision, chair, role):
    outsider = make_person(committee, role, mfa=True)

    with translation.override("en"), pytest.raises(ValidationError, match="member of the"):
        execution_assign(decision=decision, by=chair, responsible=outsider, due_on=NEXT_MONTH)

    assert not LedgerEntry.objects.filter(kind="decision.assigned").exists()


def test_member_of_another_committee_cannot_be_responsible(make_person, decision, chair):
    elsewhere = make_person(CommitteeFactory(), Role.MEMBER, mfa=True)

    with pytest.raises(ValidationError):
        execution_assign(decision=decision, by=chair, responsible=elsewhere, due_on=NEXT_MONTH)


def test_member_whose_term_ended_cannot_be_responsible(make_person, committee, decision, chair):
    former = make_person(committee, Role.MEMBER, mfa=True)
    former.memberships.update(
        start=TODAY - datetime.timedelta(days=400), end=TODAY - datetime.timedelta(days=1)
    )

    with pytest.raises(ValidationError):
        execution_assign(decision=decision, by=chair, responsible=former, due_on=NEXT_MONTH)


def test_due_date_cannot_be_in_the_past(decision, chair, member):
    yesterday = TODAY - datetime.timedelta(days=1)

    with translation.override("en"), pytest.raises(ValidationError, match="past"):
        execution_assign(decision=decision, by=chair, responsible=member, due_on=yesterday)


def test_only_the_communitys_social_organisations_assist(decision, chair, member):
    other = SocialOrganization.objects.create(
        community=CommunityFactory(), name="别处的志愿队", kind="志愿服务"
    )

    with translation.override("en"), pytest.raises(ValidationError, match="this community"):
        execution_assign(
            decision=decision, by=chair, responsible=member, due_on=NEXT_MONTH, assisting=[other]
        )


def test_reassigning_is_recorded_and_both_members_are_told(
    make_person, committee, assigned, chair, member
):
    other = make_person(committee, Role.CHAIR, mfa=True)

    execution_assign(decision=assigned, by=chair, responsible=other, due_on=NEXT_MONTH)

    assert Decision.objects.get().responsible == other
    assert kinds().count("decision.assigned") == 2
    assert Notification.objects.filter(recipient=member).count() == 2  # assigned, relieved
    assert Notification.objects.filter(recipient=other).count() == 1
    assert ledger_verify().ok


def test_completed_decision_cannot_be_reassigned(assigned, chair, member, supervisor):
    progress_report(decision=assigned, by=member, text="全部更换完毕。", percent_done=100)
    execution_sign_off(decision=assigned, by=supervisor)

    with pytest.raises(ValidationError):
        execution_assign(decision=assigned, by=chair, responsible=member, due_on=NEXT_MONTH)


# Progress -------------------------------------------------------------------------------


def test_responsible_member_reports_progress_and_followers_are_told(assigned, member, resident):
    update = progress_report(
        decision=assigned, by=member, text="已更换3栋楼道灯。", percent_done=40
    )

    assigned.refresh_from_db()
    assert (assigned.percent_done, assigned.execution) == (40, Execution.IN_PROGRESS)
    assert (update.by, update.percent_done, update.text) == (member, 40, "已更换3栋楼道灯。")
    assert kinds()[-1] == "decision.progress"
    assert Notification.objects.filter(recipient=resident).count() == 1
    assert ledger_verify().ok


def test_progress_at_100_percent_awaits_the_supervisors_sign_off(assigned, member, supervisor):
    progress_report(decision=assigned, by=member, text="全部完成。", percent_done=100)

    assert Decision.objects.get().execution == Execution.REPORTED_DONE
    assert Notification.objects.filter(recipient=supervisor).count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR])
def test_staff_and_chair_may_report_for_the_responsible_member(
    make_person, committee, assigned, role
):
    person = make_person(committee, role, mfa=True)

    progress_report(decision=assigned, by=person, text="代为录入进展。", percent_done=10)

    assert ProgressUpdate.objects.get().by == person


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SUPERVISOR, Role.RESIDENT, Role.GRID_WORKER])
def test_others_cannot_report_progress(make_person, committee, assigned, role):
    person = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        progress_report(decision=assigned, by=person, text="进展", percent_done=10)

    assert not ProgressUpdate.objects.exists()


def test_no_progress_before_the_decision_is_assigned(decision, chair):
    with translation.override("en"), pytest.raises(ValidationError, match="being carried out"):
        progress_report(decision=decision, by=chair, text="进展", percent_done=10)


@pytest.mark.parametrize("percent", [-1, 101, 250, "50", 50.5, True])
def test_percent_done_must_be_a_whole_number_from_0_to_100(assigned, member, percent):
    with pytest.raises(ValidationError):
        progress_report(decision=assigned, by=member, text="进展", percent_done=percent)

    assert not ProgressUpdate.objects.exists()


def test_progress_needs_a_text(assigned, member):
    with translation.override("en"), pytest.raises(ValidationError, match="what was done"):
        progress_report(decision=assigned, by=member, text="   ", percent_done=10)


def test_progress_photo_is_stored_as_jpeg_without_its_location(assigned, member):
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (36.0, 37.0, 0.0)}

    update = progress_report(
        decision=assigned, by=member, text="见照片。", percent_done=50, photo=image_file(exif=exif)
    )

    with update.photo.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
    assert update.photo.name.startswith("decisions/")


def test_a_file_that_is_not_a_photo_is_refused(assigned, member):
    fake = SimpleUploadedFile("plan.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")

    with translation.override("en"), pytest.raises(ValidationError, match="not a JPEG"):
        progress_report(decision=assigned, by=member, text="见附件", percent_done=50, photo=fake)

    assert not ProgressUpdate.objects.exists()


# Supervision ----------------------------------------------------------------------------


def test_supervisor_comments_and_the_responsible_member_is_told(assigned, supervisor, member):
    note = supervision_note_add(decision=assigned, by=supervisor, text="请在施工前张贴公告。")

    assert SupervisionNote.objects.get() == note
    assert kinds()[-1] == "decision.supervision_note"
    assert Notification.objects.filter(recipient=member).count() == 2  # assigned, comment
    assert ledger_verify().ok


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.MEMBER, Role.RESIDENT])
def test_only_the_supervision_committee_comments(make_person, committee, assigned, role):
    person = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        supervision_note_add(decision=assigned, by=person, text="意见")


def test_supervisor_signs_off_a_decision_reported_done(assigned, member, supervisor, resident):
    progress_report(decision=assigned, by=member, text="全部完成。", percent_done=100)

    execution_sign_off(decision=assigned, by=supervisor)

    decision = Decision.objects.get()
    assert decision.execution == Execution.COMPLETED
    assert decision.signed_off_by == supervisor
    assert decision.signed_off_at is not None
    assert kinds()[-1] == "decision.completed"
    # progress and completion for the follower; assigned and completion for the member
    assert Notification.objects.filter(recipient=resident).count() == 2
    assert Notification.objects.filter(recipient=member).count() == 2
    assert ledger_verify().ok


@pytest.mark.parametrize("percent", [0, 99])
def test_sign_off_only_when_reported_done(assigned, member, supervisor, percent):
    progress_report(decision=assigned, by=member, text="进展", percent_done=percent)

    with translation.override("en"), pytest.raises(ValidationError, match="reported done"):
        execution_sign_off(decision=assigned, by=supervisor)

    assert Decision.objects.get().execution == Execution.IN_PROGRESS


def test_completed_decision_cannot_be_signed_off_twice(assigned, member, supervisor):
    progress_report(decision=assigned, by=member, text="完成", percent_done=100)
    execution_sign_off(decision=assigned, by=supervisor)

    with pytest.raises(ValidationError):
        execution_sign_off(decision=assigned, by=supervisor)


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.MEMBER])
def test_the_committee_cannot_sign_off_its_own_work(make_person, committee, assigned, member, role):
    progress_report(decision=assigned, by=member, text="完成", percent_done=100)
    person = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        execution_sign_off(decision=assigned, by=person)


def test_supervisor_sends_back_with_a_reason(assigned, member, supervisor):
    progress_report(decision=assigned, by=member, text="完成", percent_done=100)

    execution_send_back(decision=assigned, by=supervisor, reason="5栋还有两盏灯未更换。")

    decision = Decision.objects.get()
    assert decision.execution == Execution.IN_PROGRESS
    assert SupervisionNote.objects.get().text == "5栋还有两盏灯未更换。"
    assert kinds()[-1] == "decision.sent_back"
    assert Notification.objects.filter(recipient=member, message__contains="5栋").exists()
    progress_report(decision=decision, by=member, text="补换完成", percent_done=100)
    assert Decision.objects.get().execution == Execution.REPORTED_DONE
    assert ledger_verify().ok


def test_sending_back_needs_a_reason_and_a_decision_reported_done(assigned, member, supervisor):
    with pytest.raises(ValidationError):
        execution_send_back(decision=assigned, by=supervisor, reason="未完成")
    progress_report(decision=assigned, by=member, text="完成", percent_done=100)
    with pytest.raises(ValidationError):
        execution_send_back(decision=assigned, by=supervisor, reason="  ")

    assert Decision.objects.get().execution == Execution.REPORTED_DONE


# Overdue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("passed", "due_in_days", "execution", "overdue"),
    [
        (True, -1, Execution.IN_PROGRESS, True),
        (True, -30, Execution.REPORTED_DONE, True),
        (True, 0, Execution.IN_PROGRESS, False),  # due today is not late yet
        (True, 5, Execution.IN_PROGRESS, False),
        (True, -1, Execution.COMPLETED, False),
        (True, None, Execution.NOT_ASSIGNED, False),
        (False, -1, Execution.NOT_ASSIGNED, False),
    ],
)
def test_overdue_means_passed_past_its_due_date_and_not_signed_off(
    committee, chair, passed, due_in_days, execution, overdue
):
    due_on = TODAY + datetime.timedelta(days=due_in_days) if due_in_days is not None else None
    decision = make_decision(committee, chair, passed=passed, due_on=due_on, execution=execution)

    assert decision_overdue(decision, TODAY) is overdue
    assert list(decisions_overdue(committee, TODAY)) == ([decision] if overdue else [])


def test_overdue_list_is_one_query_and_only_the_committees_own(
    committee, chair, django_assert_num_queries
):
    late = make_decision(
        committee, chair, due_on=TODAY - datetime.timedelta(days=3), execution="in_progress"
    )
    other = CommitteeFactory()
    make_decision(other, chair, due_on=TODAY - datetime.timedelta(days=3), execution="in_progress")

    with django_assert_num_queries(1):
        found = [(d.pk, d.motion.title) for d in decisions_overdue(committee, TODAY)]

    assert found == [(late.pk, late.motion.title)]

"""The committee dashboard: who may see it, and each warning appearing when the law or a
decision asks something of the committee and disappearing once it is done."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.decisions.models import Decision
from deliberation.meetings import dashboard, petitions
from deliberation.meetings.models import Body, Meeting, Motion
from deliberation.opinions.models import Status
from deliberation.topics.models import TopicStatus
from townhall.community.models import Residency, Role
from townhall.disclosures.cms_access import editors_group
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage

from ..factories import ResidencyFactory
from .factories import OpinionFactory, TopicFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def settled(make_person, committee, chair):
    """A committee in order: four representatives beside its chair (exactly 4/5), and a
    representatives' assembly held two months ago."""
    for _ in range(4):
        make_person(committee, Role.REPRESENTATIVE)
    make_meeting(committee, chair, Body.REPRESENTATIVES, days=-60, status=Meeting.Status.CLOSED)
    return committee


def make_meeting(committee, by, body=Body.ASSEMBLY, *, days=12, status=Meeting.Status.SCHEDULED):
    return Meeting.objects.create(
        committee=committee,
        body=body,
        title=f"{body} {days}",
        starts_at=timezone.now() + timedelta(days=days),
        place="社区活动室",
        convened_by=by,
        chair=by,
        status=status,
    )


def make_decision(committee, by, *, passed=True, **fields):
    meeting = make_meeting(committee, by, days=-5, status=Meeting.Status.CLOSED)
    motion = Motion.objects.create(
        meeting=meeting,
        kind=Motion.Kind.PROCEDURAL,
        title="更换单元门禁",
        text="更换1至3栋单元门禁。",
        status=Motion.Status.PASSED if passed else Motion.Status.FAILED,
    )
    return Decision.objects.create(
        committee=committee, motion=motion, passed=passed, decided_at=timezone.now(), **fields
    )


def warnings_seen(client, committee) -> str:
    response = client.get(reverse("deliberation:committee_dashboard", args=[committee.slug]))
    assert response.status_code == 200
    return response.content.decode()


# Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.MEMBER, Role.SUPERVISOR])
def test_committee_and_supervisors_see_the_dashboard(english, make_person, committee, role):
    english.force_login(make_person(committee, role, mfa=True))

    assert "Committee dashboard" in warnings_seen(english, committee)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.GRID_WORKER])
def test_others_are_refused(english, make_person, committee, role):
    english.force_login(make_person(committee, role))

    response = english.get(reverse("deliberation:committee_dashboard", args=[committee.slug]))

    assert response.status_code == 403


def test_staff_of_another_committee_is_refused(english, make_person, committee):
    from ..factories import CommitteeFactory

    english.force_login(make_person(CommitteeFactory(), Role.STAFF, mfa=True))

    response = english.get(reverse("deliberation:committee_dashboard", args=[committee.slug]))

    assert response.status_code == 403


def test_supervisor_without_two_step_is_asked_to_turn_it_on(english, make_person, committee):
    english.force_login(make_person(committee, Role.SUPERVISOR))

    response = english.get(reverse("deliberation:committee_dashboard", args=[committee.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# Warnings ------------------------------------------------------------------------------


def test_committee_in_order_has_nothing_to_attend_to(english, settled, chair):
    english.force_login(chair)

    page = warnings_seen(english, settled)

    assert "Nothing needs attention" in page
    assert "data-warning" not in page


def test_petition_due_appears_until_a_meeting_answers_it(
    english, settled, chair, make_person, grid
):
    starter = make_person(settled, Role.RESIDENT, grid=grid)  # one of one: reached at once
    petition = petitions.petition_start(
        committee=settled, by=starter, body=Body.ASSEMBLY, title="讨论停车收费", reason="涨价。"
    )
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert 'data-warning="petition-due"' in page
    assert reverse("deliberation:petition_detail", args=[petition.pk]) in page

    petitions.petition_answer(petition=petition, meeting=make_meeting(settled, chair))

    assert 'data-warning="petition-due"' not in warnings_seen(english, settled)


def test_representatives_assembly_never_held_is_due(english, make_person, committee, chair):
    for _ in range(4):
        make_person(committee, Role.REPRESENTATIVE)
    english.force_login(chair)

    page = warnings_seen(english, committee)

    assert 'data-warning="representatives-due"' in page
    assert "has never met here" in page


@pytest.mark.parametrize(
    ("days_ago", "status", "due"),
    [
        (60, Meeting.Status.CLOSED, False),
        (170, Meeting.Status.CLOSED, False),
        (200, Meeting.Status.CLOSED, True),
        (60, Meeting.Status.SCHEDULED, True),  # announced but never held
        (60, Meeting.Status.OPEN, True),
    ],
)
def test_representatives_assembly_due_six_months_after_the_last_held(
    english, make_person, committee, chair, days_ago, status, due
):
    make_meeting(committee, chair, Body.REPRESENTATIVES, days=-days_ago, status=status)
    english.force_login(chair)

    page = warnings_seen(english, committee)

    assert ('data-warning="representatives-due"' in page) is due


def test_representatives_assembly_due_soon_is_announced(english, committee, chair):
    make_meeting(committee, chair, Body.REPRESENTATIVES, days=-170, status=Meeting.Status.CLOSED)
    english.force_login(chair)

    page = warnings_seen(english, committee)

    assert 'data-warning="representatives-soon"' in page
    assert 'data-warning="representatives-due"' not in page


def test_residents_assembly_does_not_count_for_the_representatives(committee, chair):
    make_meeting(committee, chair, Body.ASSEMBLY, days=-10, status=Meeting.Status.CLOSED)

    board = dashboard.committee_dashboard(committee)

    assert board.representatives_due and board.representatives_last_held is None


def test_due_by_follows_the_law(committee, chair):
    meeting = make_meeting(committee, chair, Body.REPRESENTATIVES, status=Meeting.Status.CLOSED)
    meeting.starts_at = timezone.make_aware(timezone.datetime(2024, 8, 31, 15, 0))
    meeting.save()

    board = dashboard.committee_dashboard(committee, today=date(2025, 2, 28))

    assert board.representatives_due_by == date(2025, 2, 28)
    assert board.representatives_due


def test_composition_below_four_fifths_appears_until_fixed(english, make_person, committee, chair):
    make_meeting(committee, chair, Body.REPRESENTATIVES, days=-60, status=Meeting.Status.CLOSED)
    for _ in range(3):
        make_person(committee, Role.REPRESENTATIVE)
    english.force_login(chair)

    page = warnings_seen(english, committee)
    assert 'data-warning="composition"' in page
    assert "at least 4/5" in page

    make_person(committee, Role.REPRESENTATIVE)

    assert 'data-warning="composition"' not in warnings_seen(english, committee)


def test_overdue_decision_appears_until_completed(english, settled, chair):
    decision = make_decision(
        settled,
        chair,
        execution=Decision.Execution.IN_PROGRESS,
        responsible=chair,
        due_on=timezone.localdate() - timedelta(days=1),
        percent_done=40,
    )
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert 'data-warning="decision-overdue"' in page
    assert "40% done" in page

    decision.execution = Decision.Execution.COMPLETED
    decision.save()

    assert 'data-warning="decision-overdue"' not in warnings_seen(english, settled)


def test_decision_due_today_is_not_overdue(settled, chair):
    make_decision(
        settled,
        chair,
        execution=Decision.Execution.IN_PROGRESS,
        responsible=chair,
        due_on=timezone.localdate(),
    )

    assert dashboard.committee_dashboard(settled).decisions_overdue == []


def test_unassigned_decision_appears_until_assigned(english, settled, chair):
    decision = make_decision(settled, chair)
    make_decision(settled, chair, passed=False)  # a failed motion is nothing to carry out
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert page.count('data-warning="decision-unassigned"') == 1
    assert reverse("deliberation:decision_assign", args=[decision.pk]) in page

    decision.execution = Decision.Execution.IN_PROGRESS
    decision.responsible = chair
    decision.due_on = timezone.localdate() + timedelta(days=30)
    decision.save()

    assert 'data-warning="decision-unassigned"' not in warnings_seen(english, settled)


def test_topic_waiting_for_a_decision_appears_until_on_an_agenda(english, settled, chair):
    topic = TopicFactory(committee=settled, status=TopicStatus.TO_DECISION, title="加装电梯")
    TopicFactory(committee=settled, status=TopicStatus.DISCUSSION, title="还在讨论")
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert page.count('data-warning="topic-waiting"') == 1
    assert "加装电梯" in page

    Motion.objects.create(
        meeting=make_meeting(settled, chair),
        topic=topic,
        title=topic.title,
        text="加装电梯的方案。",
    )

    assert 'data-warning="topic-waiting"' not in warnings_seen(english, settled)


def test_meetings_coming_up_are_listed(english, settled, chair):
    coming = make_meeting(settled, chair, days=12)
    english.force_login(chair)

    page = warnings_seen(english, settled)

    assert f'data-meeting="{coming.pk}"' in page
    assert page.count("data-meeting=") == 1  # the closed one is not coming up


def test_dashboard_is_read_in_a_fixed_number_of_queries(settled, chair, make_person, grid):
    def count():
        with CaptureQueriesContext(connection) as queries:
            dashboard.committee_dashboard(settled)
        return len(queries)

    few = count()
    for index in range(5):
        make_decision(settled, chair)
        make_decision(
            settled,
            chair,
            execution=Decision.Execution.IN_PROGRESS,
            responsible=chair,
            due_on=timezone.localdate() - timedelta(days=3),
        )
        TopicFactory(committee=settled, status=TopicStatus.TO_DECISION)
        make_meeting(settled, chair, days=index + 1)
        petitions.petition_start(
            committee=settled,
            by=make_person(settled, Role.RESIDENT, grid=grid),
            body=Body.ASSEMBLY,
            title=f"请愿{index}",
            reason="理由。",
        )

    board = dashboard.committee_dashboard(settled)
    assert len(board.decisions_overdue) == len(board.decisions_unassigned) == 5
    assert count() == few == 9


def test_dashboard_page_query_count(english, settled, chair, django_assert_max_num_queries):
    for _ in range(5):
        make_decision(settled, chair)
        TopicFactory(committee=settled, status=TopicStatus.TO_DECISION)
    english.force_login(chair)

    with django_assert_max_num_queries(20):
        warnings_seen(english, settled)


# Work waiting elsewhere: opinions, disclosures, claims ------------------------------------


@pytest.fixture
def board(wagtail_site, settled):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(title="居务公开栏", slug="board", committee=settled)
    )


def disclosure_draft(board, title, *, submit_by=None):
    page = board.add_child(
        instance=DisclosurePage(
            title=title,
            live=False,
            category="funds",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            body="<p>十月经费收支。</p>",
            shown_from=date(2026, 11, 1),
            shown_until=date(2026, 11, 30),
        )
    )
    page.save_revision()
    if submit_by is not None:
        page.get_workflow().start(page, submit_by)
    return page


@pytest.fixture
def on_november_11(monkeypatch):
    """The dashboard's today is 11 November 2026: October's finances were due by the
    10th. Only the dashboard's: memberships still start and end by the real calendar."""
    real = timezone.localdate

    def localdate(value=None):
        return real(value) if value is not None else date(2026, 11, 11)

    monkeypatch.setattr(dashboard, "timezone", SimpleNamespace(localdate=localdate))


def test_flagged_opinion_appears_linked_to_its_page_until_answered(english, settled, chair, grid):
    flagged = OpinionFactory(
        committee=settled,
        grid=grid,
        title="楼道灯坏了",
        flagged_at=timezone.now(),
        seconds_count=31,
    )
    OpinionFactory(committee=settled, grid=grid, title="还没人附议")
    OpinionFactory(
        committee=settled,
        grid=grid,
        title="广告",
        flagged_at=timezone.now(),
        hidden_at=timezone.now(),
        hidden_reason="广告",
    )
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert page.count('data-warning="opinion-flagged"') == 1
    assert reverse("deliberation:opinion_detail", args=[flagged.pk]) in page
    assert "31 supporters (附议)" in page
    assert "Nothing needs attention" not in page

    flagged.status = Status.ANSWERED
    flagged.reply = "已报物业，本周内修好。"
    flagged.save()

    page = warnings_seen(english, settled)
    assert 'data-warning="opinion-flagged"' not in page
    assert "Nothing needs attention" in page


def test_claims_waiting_link_to_the_queue_for_staff_and_are_counted(
    english, settled, make_person, grid
):
    claims = [ResidencyFactory(committee=settled, grid=grid) for _ in range(3)]
    english.force_login(make_person(settled, Role.STAFF, mfa=True))

    page = warnings_seen(english, settled)
    assert page.count('data-warning="claims-waiting"') == 1
    assert "3 address claims wait for a grid worker's verification" in page
    assert f'href="{reverse("community:verify", args=[settled.slug])}"' in page
    assert "Nothing needs attention" not in page

    Residency.objects.filter(pk__in=[c.pk for c in claims]).update(status=Residency.Status.APPROVED)

    assert 'data-warning="claims-waiting"' not in warnings_seen(english, settled)


def test_the_chair_sees_claims_waiting_without_a_link_that_would_refuse_her(
    english, settled, chair, grid
):
    ResidencyFactory(committee=settled, grid=grid)
    english.force_login(chair)

    page = warnings_seen(english, settled)

    assert "1 address claim waits for a grid worker's verification" in page
    assert reverse("community:verify", args=[settled.slug]) not in page


def test_disclosure_in_review_links_to_the_supervision_records(
    english, settled, chair, make_person, board
):
    staff = make_person(settled, Role.STAFF, mfa=True)
    submitted = disclosure_draft(board, "十月经费收支", submit_by=staff)
    disclosure_draft(board, "还在起草")  # a draft nobody submitted waits for nobody
    english.force_login(chair)

    page = warnings_seen(english, settled)
    assert page.count('data-warning="disclosure-in-review"') == 1
    assert "十月经费收支" in page and "还在起草" not in page
    assert f'href="{reverse("audit:committee", args=[settled.slug])}"' in page

    submitted.current_workflow_state.cancel(user=staff)

    assert 'data-warning="disclosure-in-review"' not in warnings_seen(english, settled)


def test_a_member_sees_a_disclosure_in_review_without_a_link_that_would_refuse_him(
    english, settled, make_person, board
):
    disclosure_draft(board, "十月经费收支", submit_by=make_person(settled, Role.STAFF))
    english.force_login(make_person(settled, Role.MEMBER, mfa=True))

    page = warnings_seen(english, settled)

    assert 'data-warning="disclosure-in-review"' in page
    assert reverse("audit:committee", args=[settled.slug]) not in page


def test_overdue_disclosure_links_to_the_board_in_the_cms_for_those_who_draft(
    english, settled, make_person, board, on_november_11
):
    staff = make_person(settled, Role.STAFF, mfa=True)
    staff.groups.add(editors_group())
    english.force_login(staff)

    page = warnings_seen(english, settled)

    overdue = page.count('data-warning="disclosure-overdue"')
    assert overdue == len(dashboard.committee_dashboard(settled).disclosures_overdue) > 0
    assert "Disclose “Government funds and donated money and goods” on the board" in page
    assert "2026-10-01 – 2026-10-31" in page and "Due by 2026-11-10" in page
    assert f'href="{reverse("wagtailadmin_explore", args=[board.pk])}"' in page
    assert "Nothing needs attention" not in page


def test_overdue_disclosure_leads_the_chair_to_the_schedule_she_may_open(
    english, settled, chair, board, on_november_11
):
    english.force_login(chair)

    page = warnings_seen(english, settled)

    assert 'data-warning="disclosure-overdue"' in page
    assert reverse("wagtailadmin_explore", args=[board.pk]) not in page
    assert f'href="{reverse("audit:committee", args=[settled.slug])}"' in page


def test_a_disclosure_published_in_time_is_owed_no_more(settled, board, on_november_11):
    october = disclosure_draft(board, "十月经费收支")
    october.get_latest_revision().publish()

    overdue = dashboard.committee_dashboard(settled).disclosures_overdue

    assert "funds" not in [row.category for row in overdue]


def test_dashboard_with_a_board_is_read_in_a_fixed_number_of_queries(
    settled, make_person, grid, board, on_november_11
):
    staff = make_person(settled, Role.STAFF)

    def count():
        with CaptureQueriesContext(connection) as queries:
            dashboard.committee_dashboard(settled)
        return len(queries)

    few = count()
    for index in range(4):
        OpinionFactory(committee=settled, grid=grid, flagged_at=timezone.now())
        ResidencyFactory(committee=settled, grid=grid)
        disclosure_draft(board, f"送审{index}", submit_by=staff)

    board_seen = dashboard.committee_dashboard(settled)
    assert len(board_seen.opinions_flagged) == len(board_seen.disclosures_in_review) == 4
    assert count() == few == 14

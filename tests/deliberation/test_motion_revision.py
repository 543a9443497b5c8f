"""Art 30 from the chair's screen: the residents' assembly revokes a representatives'
assembly decision by a new decision that names it; the old one is never edited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings import services
from deliberation.meetings.models import Body, Motion
from townhall.community.models import Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _held(committee, chair, body, people):
    meeting = services.meeting_convene(
        committee=committee,
        by=chair,
        body=body,
        title=f"{body}会议",
        starts_at=timezone.now() + timedelta(days=11),
        place="社区活动中心",
        chair=chair,
    )
    meeting = services.meeting_open(meeting=meeting, by=chair)
    for person in people:
        services.attendance_check_in(meeting=meeting, person=person, by=chair)
    return meeting


@pytest.fixture
def representatives_decision(committee, chair, make_person, grid, wagtail_site):
    reps = [make_person(committee, Role.REPRESENTATIVE, grid=grid) for _ in range(4)]
    meeting = _held(committee, chair, Body.REPRESENTATIVES, [chair, *reps])
    motion = services.motion_add(
        meeting=meeting,
        by=chair,
        kind=Motion.Kind.PROCEDURAL,
        title="夜间停车收费",
        text="小区夜间停车每晚收费10元。",
    )
    services.motion_count(motion=motion, by=chair, yes=5, no=0, abstain=0)
    motion.refresh_from_db()
    return motion.decision


def test_the_assembly_revokes_a_representatives_decision_from_the_chairs_screen(
    client, committee, chair, make_person, grid, representatives_decision
):
    residents = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]
    assembly = _held(committee, chair, Body.ASSEMBLY, residents)
    client.cookies["django_language"] = "en"
    client.force_login(chair)

    response = client.post(
        reverse("deliberation:motion_add", args=[assembly.pk]),
        {
            "kind": Motion.Kind.PROCEDURAL,
            "title": "撤销夜间停车收费决议",
            "text": "该决议未经居民会议授权，予以撤销。",
            "revises": representatives_decision.pk,
            "revision": "revoke",
        },
    )
    assert response.status_code == 302
    motion = assembly.motions.get()
    assert motion.revises == representatives_decision and motion.revision == "revoke"

    services.motion_count(motion=motion, by=chair, yes=3, no=0, abstain=0)

    page = client.get(reverse("deliberation:decision_detail", args=[representatives_decision.pk]))
    assert "撤销夜间停车收费决议" in page.content.decode()
    representatives_decision.refresh_from_db()
    assert representatives_decision.passed  # the old record stands as it was


def test_naming_a_decision_without_saying_revoke_or_change_is_refused_keeping_the_text(
    client, committee, chair, make_person, grid, representatives_decision
):
    assembly = _held(committee, chair, Body.ASSEMBLY, [])
    client.cookies["django_language"] = "en"
    client.force_login(chair)

    response = client.post(
        reverse("deliberation:motion_add", args=[assembly.pk]),
        {
            "kind": Motion.Kind.PROCEDURAL,
            "title": "撤销夜间停车收费决议",
            "text": "理由……",
            "revises": representatives_decision.pk,
        },
    )

    assert response.status_code == 400
    assert "Choose both the decision and whether" in response.content.decode()
    assert "撤销夜间停车收费决议" in response.content.decode()
    assert not assembly.motions.exists()


def test_a_representatives_assembly_is_not_offered_revisions(
    client, committee, chair, representatives_decision
):
    meeting = representatives_decision.motion.meeting
    client.force_login(chair)
    page = client.get(reverse("deliberation:meeting_chair", args=[meeting.pk])).content.decode()
    assert 'name="revises"' not in page

"""The demo community's deliberation: what a newcomer finds after `make run`."""

from io import StringIO

import pytest
from django.core.management import call_command

from deliberation.models import CollectionMeeting, Decision, Meeting, Opinion, Petition, Topic
from deliberation.topics.models import TopicStatus
from deliberation.topics.services import topic_ready_for_decision
from townhall.ledger.verification import ledger_verify

pytestmark = pytest.mark.django_db


def test_demo_has_every_stage_to_look_at_and_loads_once(wagtail_site):
    call_command("load_demo", stdout=StringIO())

    resident = Opinion.objects.filter(author__phone="+8613800000001")
    assert resident.count() == 2
    assert resident.filter(topic__isnull=False).exists()  # merged: the path goes on
    recorded = Opinion.objects.get(recorded_by__phone="+8613800000007")
    assert recorded.collection_meeting is not None and recorded.reply
    assert Opinion.objects.filter(flagged_at__isnull=False).exists()
    decided = Topic.objects.get(status=TopicStatus.DECIDED)  # its decision is recorded
    assert topic_ready_for_decision(decided)
    assert decided.stakeholders.count() == 7 and decided.comments.count() == 2
    decision = Decision.objects.get(motion__topic=decided)
    assert decision.passed and decision.motion.meeting.short_notice
    assert (decision.execution, decision.percent_done) == (Decision.Execution.IN_PROGRESS, 40)
    held = decision.motion.meeting
    assert held.minutes.chair_approved_at and held.minutes.supervisor_approved_at
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED, motions__kind="charter")
    assert Petition.objects.filter(reached_at__isnull=True).exists()
    assert Topic.objects.filter(status=TopicStatus.PROPOSED).exists()
    assert CollectionMeeting.objects.count() == 2
    assert ledger_verify().ok

    counts = (Opinion.objects.count(), Topic.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Opinion.objects.count(), Topic.objects.count()) == counts

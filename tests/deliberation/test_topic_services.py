"""Topics as the services write them: creation and merging, joint proposals and the
statutory threshold, discussion meetings, the party review gate and the outcome."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from deliberation.models import Opinion, PartyReview, Signature, Topic
from deliberation.opinions.models import Status
from deliberation.topics import discussion, proposals, selectors, services
from deliberation.topics.models import ConsultationForm, Origin, StakeholderKind, TopicStatus
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.disclosures.models import DisclosureIndexPage
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import GridFactory, HouseholdFactory, MembershipFactory
from .factories import CommentFactory, OpinionFactory, TopicFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_topic(staff, committee):
    def make(**fields):
        values = {
            "committee": committee,
            "by": staff,
            "title": "楼道照明改造",
            "description": "老旧楼道照明改为声控灯。",
            "consultation_form": ConsultationForm.COUNCIL,
            "opinions": [],
        }
        return services.topic_create(**{**values, **fields})

    return make


def kinds(subject_pk=None):
    entries = LedgerEntry.objects.order_by("seq")
    if subject_pk is not None:
        entries = entries.filter(subject=f"deliberation.topic:{subject_pk}")
    return list(entries.values_list("kind", flat=True))


def messages_of(person):
    return list(
        Notification.objects.filter(recipient=person)
        .order_by("pk")
        .values_list("message", flat=True)
    )


# Creating and merging ------------------------------------------------------------------


def test_committee_creates_topic_from_opinions_which_point_to_it_and_authors_are_told(
    make_topic, committee, grid, resident, make_person
):
    other = make_person(committee, Role.RESIDENT, grid=grid)
    first = OpinionFactory(committee=committee, grid=grid, author=resident)
    second = OpinionFactory(committee=committee, grid=grid, author=other, status=Status.CONSIDERING)

    with translation.override("en"):
        topic = make_topic(opinions=[first, second])

    assert topic.status == TopicStatus.DISCUSSION
    assert topic.origin == Origin.COMMITTEE
    assert set(topic.opinions.all()) == {first, second}
    first.refresh_from_db()
    assert first.status == Status.MERGED and first.topic == topic
    assert first.history.last().topic == topic
    for author in (resident, other):
        assert any(topic.title in message for message in messages_of(author))
    assert kinds(topic.pk) == ["topic.created", "topic.opinions_merged"]
    assert ledger_verify().ok


def test_merge_refuses_opinions_of_another_committee_or_already_answered(
    make_topic, committee, grid
):
    topic = make_topic()
    foreign = OpinionFactory()
    answered = OpinionFactory(committee=committee, grid=grid, status=Status.ANSWERED, reply="已修")

    for opinion in (foreign, answered):
        with pytest.raises(ValidationError):
            services.topic_opinions_merge(topic=topic, by=topic.created_by, opinions=[opinion])

    assert not topic.opinions.exists()


def test_merge_is_all_or_nothing(make_topic, committee, grid):
    topic = make_topic()
    good = OpinionFactory(committee=committee, grid=grid)
    answered = OpinionFactory(committee=committee, grid=grid, status=Status.ANSWERED, reply="已修")

    with pytest.raises(ValidationError):
        services.topic_opinions_merge(topic=topic, by=topic.created_by, opinions=[good, answered])

    good.refresh_from_db()
    assert good.status == Status.SUBMITTED and good.topic is None


@pytest.mark.parametrize(
    "status", [TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED]
)
def test_finished_topic_takes_no_more_opinions(staff, committee, grid, status):
    topic = TopicFactory(committee=committee, status=status, outcome_note="已办结")
    opinion = OpinionFactory(committee=committee, grid=grid)

    with pytest.raises(ValidationError):
        services.topic_opinions_merge(topic=topic, by=staff, opinions=[opinion])

    opinion.refresh_from_db()
    assert opinion.status == Status.SUBMITTED


def test_resident_cannot_create_a_topic(resident, committee):
    with pytest.raises(PermissionDenied):
        services.topic_create(
            committee=committee,
            by=resident,
            title="t",
            description="d",
            consultation_form=ConsultationForm.TALK,
            opinions=[],
        )


# Joint proposals and the statutory threshold -------------------------------------------


@pytest.fixture
def residents(make_person, committee, grid):
    def make(count, **fields):
        return [make_person(committee, Role.RESIDENT, grid=grid, **fields) for _ in range(count)]

    return make


def test_proposer_signs_first_and_proposal_collects_signatures(residents, committee):
    proposer, *_others = residents(20)

    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="增设充电桩", description="电动车充电难。"
    )

    assert topic.origin == Origin.JOINT_PROPOSAL
    assert topic.status == TopicStatus.PROPOSED
    assert list(topic.signatures.values_list("person", flat=True)) == [proposer.pk]
    assert kinds(topic.pk) == ["topic.proposed", "topic.signed"]


def test_signing_twice_counts_once(residents, committee):
    proposer, neighbour, *_rest = residents(30)
    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="增设充电桩", description="电动车充电难。"
    )

    assert proposals.proposal_sign(topic=topic, person=neighbour) is True
    assert proposals.proposal_sign(topic=topic, person=neighbour) is False
    assert Signature.objects.filter(topic=topic).count() == 2


def test_proposal_reaching_a_tenth_of_adult_residents_becomes_a_topic_by_itself(
    residents, committee, staff, chair
):
    people = residents(20)  # 1/10 of 20 adult residents: 2 signatures
    proposer, second = people[0], people[1]
    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="增设充电桩", description="电动车充电难。"
    )
    assert topic.status == TopicStatus.PROPOSED

    with translation.override("en"):
        proposals.proposal_sign(topic=topic, person=second)

    topic.refresh_from_db()
    assert topic.status == TopicStatus.DISCUSSION
    assert topic.threshold_reached_at is not None
    change = topic.history.last()
    assert change.by is None and change.from_status == TopicStatus.PROPOSED
    for person in (proposer, second, staff, chair):
        # Stored in the site's language (Chinese), whatever the signer's.
        assert any("已达到法定比例，居委会必须受理" in m for m in messages_of(person))
    assert kinds(topic.pk)[-2:] == ["topic.threshold_reached", "topic.status_changed"]
    assert ledger_verify().ok


def test_households_basis_counts_distinct_households_of_signers(make_person, committee, grid):
    # 30 residents in 10 households: signers from 1 household are 1/10 of households,
    # but 3 of 30 residents would also be 1/10, so sign from one household only twice.
    households = [HouseholdFactory(grid=grid) for _ in range(10)]
    people = []
    for index in range(40):
        person = make_person(committee)
        MembershipFactory(
            person=person,
            committee=committee,
            role=Role.RESIDENT,
            grid=grid,
            household=households[index % 10],
        )
        people.append(person)
    # 40 adult residents need 4; 10 households need 1 household.
    topic = proposals.joint_proposal_start(
        committee=committee, by=people[0], title="加装电梯", description="老人上楼难。"
    )

    topic.refresh_from_db()
    assert topic.signatures.get().household == households[0]
    assert topic.status == TopicStatus.DISCUSSION
    assert "households" in LedgerEntry.objects.filter(kind="topic.threshold_reached").get().payload


def test_representatives_basis_a_third_of_representatives(make_person, committee, grid, residents):
    residents(100)  # 10 signatures needed from residents
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(6)]
    topic = proposals.joint_proposal_start(
        committee=committee, by=representatives[0], title="修缮活动室", description="屋顶漏水。"
    )
    assert topic.signatures.get().as_representative
    assert topic.status == TopicStatus.PROPOSED

    proposals.proposal_sign(topic=topic, person=representatives[1])

    topic.refresh_from_db()
    assert topic.status == TopicStatus.DISCUSSION
    support = selectors.proposal_support(topic)
    assert support.representative_signers == 2 and support.resident_signers == 0


def test_signature_from_outside_the_committee_is_refused(residents, committee, make_person):
    proposer = residents(1)[0]
    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="增设充电桩", description="电动车充电难。"
    )
    outsider = make_person(GridFactory().committee, Role.RESIDENT)

    with pytest.raises(PermissionDenied):
        proposals.proposal_sign(topic=topic, person=outsider)


def test_support_counts_take_a_fixed_number_of_queries(residents, committee):
    people = residents(60)
    topic = proposals.joint_proposal_start(
        committee=committee, by=people[0], title="增设充电桩", description="电动车充电难。"
    )
    topic.committee  # noqa: B018 (the page has it already)
    with CaptureQueriesContext(connection) as few:
        selectors.proposal_support(topic)
    for person in people[1:5]:
        proposals.proposal_sign(topic=topic, person=person)
    with CaptureQueriesContext(connection) as more:
        support = selectors.proposal_support(topic)

    assert support.signatures == 5
    assert len(few) == len(more) == 3


def test_staff_cannot_settle_or_close_a_statutory_proposal(residents, committee, staff):
    people = residents(10)  # one signature is 1/10
    topic = proposals.joint_proposal_start(
        committee=committee, by=people[0], title="增设充电桩", description="电动车充电难。"
    )
    topic.refresh_from_db()
    assert topic.threshold_reached_at is not None

    for to in (TopicStatus.SETTLED, TopicStatus.CLOSED):
        with pytest.raises(ValidationError), translation.override("en"):
            services.topic_outcome_set(topic=topic, by=staff, to=to, note="居委会已处理")

    topic.refresh_from_db()
    assert topic.status == TopicStatus.DISCUSSION


def test_every_status_change_tells_authors_of_merged_opinions_and_signers(
    make_topic, committee, grid, resident
):
    opinion = OpinionFactory(committee=committee, grid=grid, author=resident)
    topic = make_topic(opinions=[opinion])
    before = Notification.objects.filter(recipient=resident).count()

    with translation.override("en"):
        services.topic_outcome_set(
            topic=topic, by=topic.created_by, to=TopicStatus.CLOSED, note="已由物业解决"
        )

    assert Notification.objects.filter(recipient=resident).count() == before + 1
    assert messages_of(resident)[-1] == "议题“楼道照明改造”已关闭：已由物业解决"


# Discussion -----------------------------------------------------------------------------


def test_stakeholders_are_invited_by_the_committee_only(make_topic, resident):
    topic = make_topic()

    discussion.stakeholder_add(
        topic=topic, by=topic.created_by, kind=StakeholderKind.PARTY, name="社区党委"
    )
    with pytest.raises(PermissionDenied):
        discussion.stakeholder_add(
            topic=topic, by=resident, kind=StakeholderKind.RESPECTED, name="王老师"
        )

    assert list(topic.stakeholders.values_list("name", flat=True)) == ["社区党委"]


def test_document_is_a_wagtail_document_and_bad_types_are_refused(
    make_topic, wagtail_site, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    topic = make_topic()

    attached = discussion.topic_document_add(
        topic=topic,
        by=topic.created_by,
        title="改造方案",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf"),
    )
    assert attached.document.title == "改造方案"
    assert attached.document.url.startswith("/documents/")

    with pytest.raises(ValidationError):
        discussion.topic_document_add(
            topic=topic, by=topic.created_by, title="脚本", file=SimpleUploadedFile("x.exe", b"MZ")
        )


def test_comments_thread_and_close_when_the_topic_is_finished(
    make_topic, resident, make_person, committee
):
    topic = make_topic()
    comment = discussion.comment_post(topic=topic, author=resident, body="支持")
    reply = discussion.comment_post(topic=topic, author=resident, body="补充一点", parent=comment)
    assert reply.parent == comment

    other_topic_comment = CommentFactory()
    with pytest.raises(ValidationError):
        discussion.comment_post(topic=topic, author=resident, body="x", parent=other_topic_comment)
    with pytest.raises(PermissionDenied):
        discussion.comment_post(topic=topic, author=make_person(committee), body="路人")

    services.topic_outcome_set(
        topic=topic, by=topic.created_by, to=TopicStatus.CLOSED, note="已解决"
    )
    topic.refresh_from_db()
    with pytest.raises(ValidationError):
        discussion.comment_post(topic=topic, author=resident, body="晚了")


def test_meeting_records_verified_residents_and_a_count_at_least_as_large(
    make_topic, resident, make_person
):
    topic = make_topic()
    meeting = discussion.discussion_meeting_schedule(
        topic=topic,
        by=topic.created_by,
        held_at=timezone.now() - timedelta(hours=1),
        place="居委会会议室",
    )
    stranger = make_person(GridFactory().committee, Role.RESIDENT)

    with pytest.raises(ValidationError):
        discussion.discussion_meeting_record(
            meeting=meeting,
            by=topic.created_by,
            attendee_count=0,
            attendees=[resident],
            minutes="纪要",
        )
    with pytest.raises(ValidationError):
        discussion.discussion_meeting_record(
            meeting=meeting,
            by=topic.created_by,
            attendee_count=5,
            attendees=[stranger],
            minutes="纪要",
        )
    discussion.discussion_meeting_record(
        meeting=meeting,
        by=topic.created_by,
        attendee_count=12,
        attendees=[resident],
        minutes="一致同意改造",
    )

    meeting.refresh_from_db()
    assert meeting.attendee_count == 12 and list(meeting.attendees.all()) == [resident]
    assert "topic.meeting_recorded" in kinds(topic.pk)


def test_meeting_in_the_future_cannot_have_minutes(make_topic):
    topic = make_topic()
    meeting = discussion.discussion_meeting_schedule(
        topic=topic, by=topic.created_by, held_at=timezone.now() + timedelta(days=2), place="线上"
    )
    with pytest.raises(ValidationError):
        discussion.discussion_meeting_record(
            meeting=meeting, by=topic.created_by, attendee_count=3, attendees=[], minutes="纪要"
        )


@pytest.fixture
def consulted(make_topic):
    """A topic whose discussion meeting reached a consultation opinion."""
    topic = make_topic()
    by = topic.created_by
    meeting = discussion.discussion_meeting_schedule(
        topic=topic, by=by, held_at=timezone.now() - timedelta(hours=2), place="会议室"
    )
    discussion.discussion_meeting_record(
        meeting=meeting, by=by, attendee_count=8, attendees=[], minutes="讨论"
    )
    return discussion.consultation_opinion_record(topic=topic, by=by, text="分两期更换声控灯。")


def test_consultation_opinion_needs_a_recorded_meeting(make_topic):
    topic = make_topic()
    with pytest.raises(ValidationError):
        discussion.consultation_opinion_record(topic=topic, by=topic.created_by, text="意见")


def test_consultation_opinion_makes_the_topic_consulted_with_a_ledger_entry(consulted):
    assert consulted.status == TopicStatus.CONSULTED
    assert consulted.consultation_opinion == "分两期更换声控灯。"
    assert kinds(consulted.pk)[-2:] == ["topic.consultation_recorded", "topic.status_changed"]
    assert ledger_verify().ok


# The party review gate and the outcome ---------------------------------------------------


def test_topic_cannot_go_to_a_decision_before_the_party_review(consulted):
    assert not services.topic_ready_for_decision(consulted)
    with pytest.raises(ValidationError):
        services.topic_outcome_set(
            topic=consulted, by=consulted.created_by, to=TopicStatus.TO_DECISION
        )


def test_party_review_agreed_opens_the_gate(consulted, chair):
    discussion.party_review_record(
        topic=consulted,
        by=chair,
        reviewed_on=date.today(),
        reviewed_by="社区党委 张书记",
        outcome=PartyReview.Outcome.AGREED,
        note="",
    )

    assert services.topic_ready_for_decision(consulted)
    entry = LedgerEntry.objects.filter(kind="topic.party_review_recorded").get()
    assert "社区党委 张书记" in entry.payload
    topic = services.topic_outcome_set(topic=consulted, by=chair, to=TopicStatus.TO_DECISION)
    assert topic.status == TopicStatus.TO_DECISION
    assert ledger_verify().ok


def test_party_review_returned_sends_the_topic_back_to_discussion(consulted, staff):
    with pytest.raises(ValidationError):  # a reason is required
        discussion.party_review_record(
            topic=consulted,
            by=staff,
            reviewed_on=date.today(),
            reviewed_by="社区党委",
            outcome=PartyReview.Outcome.RETURNED,
            note="",
        )
    discussion.party_review_record(
        topic=consulted,
        by=staff,
        reviewed_on=date.today(),
        reviewed_by="社区党委",
        outcome=PartyReview.Outcome.RETURNED,
        note="请征求一楼住户意见",
    )

    consulted.refresh_from_db()
    assert consulted.status == TopicStatus.DISCUSSION
    assert not services.topic_ready_for_decision(consulted)


def test_an_agreement_given_to_an_earlier_consultation_opinion_does_not_open_the_gate(
    consulted, chair
):
    discussion.party_review_record(
        topic=consulted,
        by=chair,
        reviewed_on=date.today(),
        reviewed_by="社区党委",
        outcome=PartyReview.Outcome.AGREED,
    )
    # The committee reopens the discussion and reaches a different consultation opinion.
    services.topic_status_change(topic=consulted, by=chair, to=TopicStatus.DISCUSSION)
    discussion.consultation_opinion_record(topic=consulted, by=chair, text="改为一次性更换。")
    consulted.refresh_from_db()

    verdict = services.topic_ready_for_decision(consulted)

    assert not verdict
    with translation.override("en"):
        assert "review has not been recorded" in services.topic_ready_for_decision(consulted).reason


def test_committee_member_cannot_record_the_party_review(consulted, make_person, committee):
    member = make_person(committee, Role.MEMBER, mfa=True)
    with pytest.raises(PermissionDenied):
        discussion.party_review_record(
            topic=consulted,
            by=member,
            reviewed_on=date.today(),
            reviewed_by="社区党委",
            outcome=PartyReview.Outcome.AGREED,
        )


def test_settling_drafts_a_consultations_disclosure(consulted, wagtail_site, committee):
    board = wagtail_site.add_child(
        instance=DisclosureIndexPage(title="居务公开栏", slug="board", committee=committee)
    )

    topic = services.topic_outcome_set(
        topic=consulted, by=consulted.created_by, to=TopicStatus.SETTLED, note="物业已更换灯具"
    )

    assert topic.status == TopicStatus.SETTLED
    draft = topic.settlement_disclosure
    assert draft is not None and not draft.live and draft.category == "consultations"
    assert draft.get_parent().pk == board.pk
    assert "物业已更换灯具" in str(draft.body)
    assert ledger_verify().ok


def test_settling_without_a_board_says_so_and_changes_nothing(consulted, wagtail_site):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.topic_outcome_set(
            topic=consulted, by=consulted.created_by, to=TopicStatus.SETTLED, note="物业已更换灯具"
        )

    assert "no disclosure board" in str(error.value)
    consulted.refresh_from_db()
    assert consulted.status == TopicStatus.CONSULTED


def test_settling_or_closing_needs_a_note(make_topic):
    topic = make_topic()
    for to in (TopicStatus.SETTLED, TopicStatus.CLOSED):
        with pytest.raises(ValidationError):
            services.topic_outcome_set(topic=topic, by=topic.created_by, to=to, note=" ")
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.DISCUSSION
    assert not Opinion.objects.exists()

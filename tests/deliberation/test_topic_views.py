"""Topic pages as people use them: who may do what, what the page shows, and that the
topic page costs the same number of queries however long its discussion."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.models import Comment, Topic
from deliberation.opinions.models import Status
from deliberation.topics import discussion, proposals, services
from deliberation.topics.models import ConsultationForm, Origin, TopicStatus
from townhall.accounts.models import Notification
from townhall.community.models import Role

from ..factories import GridFactory
from .factories import CommentFactory, OpinionFactory, TopicFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def topic(committee, staff):
    return services.topic_create(
        committee=committee,
        by=staff,
        title="楼道照明改造",
        description="老旧楼道照明改为声控灯。",
        consultation_form=ConsultationForm.COUNCIL,
        opinions=[],
    )


def test_anyone_reads_the_topic_list_and_page(client, topic):
    listing = client.get(reverse("deliberation:topic_list", args=[topic.committee.slug]))
    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk]))

    assert listing.status_code == page.status_code == 200
    assert topic.title in listing.content.decode()
    assert "老旧楼道照明改为声控灯。" in page.content.decode()


def test_list_buttons_follow_the_role(en, committee, resident, staff):
    url = reverse("deliberation:topic_list", args=[committee.slug])
    en.force_login(resident)
    page = en.get(url).content.decode()
    assert "Propose a topic jointly" in page and "New topic" not in page

    en.force_login(staff)
    page = en.get(url).content.decode()
    assert "New topic" in page and "Propose a topic jointly" not in page


def test_list_filters_by_status(client, committee, staff, topic):
    closed = TopicFactory(
        committee=committee, title="已关闭的议题", status=TopicStatus.CLOSED, outcome_note="重复"
    )
    url = reverse("deliberation:topic_list", args=[committee.slug])

    page = client.get(url, {"status": TopicStatus.CLOSED}).content.decode()

    assert closed.title in page and topic.title not in page


def test_list_shows_proposals_with_progress_in_a_fixed_number_of_queries(
    client, committee, make_person, grid
):
    people = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(40)]
    url = reverse("deliberation:topic_list", args=[committee.slug])
    proposals.joint_proposal_start(
        committee=committee, by=people[0], title="增设充电桩0", description="d"
    )
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(1, 5):
        topic = proposals.joint_proposal_start(
            committee=committee, by=people[index], title=f"增设充电桩{index}", description="d"
        )
        proposals.proposal_sign(topic=topic, person=people[10])
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()

    assert "增设充电桩4" in page and "<progress" in page
    assert len(one) == len(five)


def test_resident_proposes_a_topic_and_it_shows_progress(
    en, committee, resident, make_person, grid
):
    for _ in range(29):
        make_person(committee, Role.RESIDENT, grid=grid)
    en.force_login(resident)

    response = en.post(
        reverse("deliberation:topic_propose", args=[committee.slug]),
        {"title": "增设充电桩", "description": "电动车充电难。"},
    )

    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deliberation:topic_detail", args=[topic.pk])
    assert topic.origin == Origin.JOINT_PROPOSAL and topic.created_by == resident
    page = en.get(response["Location"]).content.decode()
    assert "1 of 3 adult residents" in page
    assert "You signed this proposal" in page


def test_proposal_form_keeps_what_was_typed(en, committee, resident):
    en.force_login(resident)

    response = en.post(
        reverse("deliberation:topic_propose", args=[committee.slug]),
        {"title": "增设充电桩", "description": ""},
    )

    assert response.status_code == 200
    assert 'value="增设充电桩"' in response.content.decode()
    assert not Topic.objects.exists()


def test_signed_out_person_is_sent_to_sign_in_and_unverified_refused(
    client, committee, make_person
):
    url = reverse("deliberation:topic_propose", args=[committee.slug])
    assert client.get(url).status_code == 302

    client.force_login(make_person(committee))
    assert client.get(url).status_code == 403


def test_resident_signs_once_by_button(en, committee, make_person, grid):
    proposer, neighbour, *_ = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(30)]
    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="充电桩", description="d"
    )
    en.force_login(neighbour)
    url = reverse("deliberation:topic_sign", args=[topic.pk])

    first = en.post(url, follow=True)
    again = en.post(url, follow=True)

    assert "You signed this proposal." in first.content.decode()
    assert "You had already signed this proposal." in again.content.decode()
    assert topic.signatures.count() == 2


def test_staff_creates_a_topic_from_preselected_opinions(en, committee, grid, staff, resident):
    first = OpinionFactory(committee=committee, grid=grid, author=resident, title="一号楼灯坏")
    second = OpinionFactory(committee=committee, grid=grid, author=resident, title="二号楼灯坏")
    OpinionFactory(
        committee=committee, grid=grid, status=Status.ANSWERED, reply="已修", title="已答复"
    )
    en.force_login(staff)
    url = reverse("deliberation:topic_create", args=[committee.slug])

    form = en.get(url, {"opinions": f"{first.pk},{second.pk}"}).content.decode()
    assert f'value="{first.pk}" id="opinion-{first.pk}" checked' in form
    assert "已答复" not in form

    response = en.post(
        url,
        {
            "title": "楼道照明",
            "description": "合并两条意见",
            "consultation_form": ConsultationForm.HEARING,
            "opinions": [first.pk, second.pk],
        },
    )

    topic = Topic.objects.get()
    assert response["Location"] == reverse("deliberation:topic_detail", args=[topic.pk])
    assert set(topic.opinions.all()) == {first, second}
    assert Notification.objects.filter(recipient=resident).count() == 2
    page = en.get(response["Location"]).content.decode()
    assert reverse("deliberation:opinion_detail", args=[first.pk]) in page


def test_create_page_searches_open_opinions(client, committee, grid, staff):
    OpinionFactory(committee=committee, grid=grid, title="停车位不足")
    OpinionFactory(committee=committee, grid=grid, title="垃圾分类")
    client.force_login(staff)

    page = client.get(
        reverse("deliberation:topic_create", args=[committee.slug]), {"q": "停车"}
    ).content.decode()

    assert "停车位不足" in page and "垃圾分类" not in page


def test_create_form_keeps_what_was_typed_on_error(en, committee, staff):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:topic_create", args=[committee.slug]),
        {"title": "", "description": "描述还在", "consultation_form": ConsultationForm.TALK},
    )

    assert response.status_code == 200
    assert "描述还在" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "topic_merge",
        "topic_stakeholder_add",
        "topic_document_add",
        "topic_meeting_schedule",
        "topic_consultation",
        "topic_party_review",
        "topic_outcome",
    ],
)
def test_residents_cannot_reach_the_committee_pages(client, topic, resident, name):
    client.force_login(resident)

    assert client.get(reverse(f"deliberation:{name}", args=[topic.pk])).status_code == 403


def test_staff_without_two_step_verification_is_asked_to_turn_it_on(
    client, topic, make_person, committee
):
    client.force_login(make_person(committee, Role.STAFF))

    response = client.get(reverse("deliberation:topic_merge", args=[topic.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_resident_cannot_create_a_topic(client, committee, resident):
    client.force_login(resident)
    assert (
        client.get(reverse("deliberation:topic_create", args=[committee.slug])).status_code == 403
    )


def test_member_cannot_record_the_party_review_but_chair_can_reach_it(
    client, topic, make_person, committee, chair
):
    client.force_login(make_person(committee, Role.MEMBER, mfa=True))
    url = reverse("deliberation:topic_party_review", args=[topic.pk])
    assert client.get(url).status_code == 403

    client.force_login(chair)
    assert client.get(url).status_code == 200


def test_merge_page_merges_and_says_when_topic_is_finished(en, committee, grid, staff, topic):
    opinion = OpinionFactory(committee=committee, grid=grid)
    en.force_login(staff)
    url = reverse("deliberation:topic_merge", args=[topic.pk])

    response = en.post(url, {"opinions": [opinion.pk]})

    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.topic == topic
    finished = TopicFactory(committee=committee, status=TopicStatus.CLOSED, outcome_note="重复")
    page = en.get(reverse("deliberation:topic_merge", args=[finished.pk])).content.decode()
    assert "it takes no more opinions" in page


def test_resident_comments_and_replies_under_it(en, topic, resident):
    en.force_login(resident)
    url = reverse("deliberation:topic_comment", args=[topic.pk])

    response = en.post(url, {"body": "支持改造"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    en.post(url, {"body": "先改三栋", "parent": comment.pk})

    reply = Comment.objects.get(parent=comment)
    page = en.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert page.index("支持改造") < page.index(reply.body)


def test_empty_comment_is_refused_with_a_message(en, topic, resident):
    en.force_login(resident)

    response = en.post(reverse("deliberation:topic_comment", args=[topic.pk]), {"body": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_closed_on_a_finished_topic(en, committee, resident):
    topic = TopicFactory(committee=committee, status=TopicStatus.SETTLED, outcome_note="已办")
    en.force_login(resident)

    response = en.post(reverse("deliberation:topic_comment", args=[topic.pk]), {"body": "还有问题"})

    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_hidden_comment_shows_the_reason_to_others_and_the_text_to_its_author(
    en, topic, resident, make_person, committee, grid
):
    CommentFactory(
        topic=topic,
        author=resident,
        body="不当言论",
        hidden_at=timezone.now(),
        hidden_reason="人身攻击",
    )
    url = reverse("deliberation:topic_detail", args=[topic.pk])
    en.force_login(make_person(committee, Role.RESIDENT, grid=grid))

    page = en.get(url).content.decode()
    assert "Hidden by moderators: 人身攻击" in page and "不当言论" not in page

    en.force_login(resident)
    assert "不当言论" in en.get(url).content.decode()


def _discussion(topic, people, count):
    root = None
    for index in range(count):
        author = people[index % len(people)]
        comment = CommentFactory(topic=topic, author=author, parent=root if index % 2 else None)
        root = root or comment
    CommentFactory(topic=topic, author=people[0], hidden_at=timezone.now(), hidden_reason="广告")


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "staff"])
def test_topic_page_queries_do_not_grow_with_the_discussion(
    client, committee, grid, staff, make_person, viewer, wagtail_site
):
    people = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(4)]
    if viewer == "resident":
        client.force_login(people[0])
    elif viewer == "staff":
        client.force_login(staff)

    def topic_with(size):
        topic = proposals.joint_proposal_start(
            committee=committee, by=people[0], title=f"议题{size}", description="d"
        )
        Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.DISCUSSION)
        _discussion(topic, people, size)
        for _ in range(size):
            OpinionFactory(committee=committee, grid=grid, topic=topic, status=Status.MERGED)
        meeting = discussion.discussion_meeting_schedule(
            topic=topic, by=staff, held_at=timezone.now() - timedelta(hours=1), place="会议室"
        )
        discussion.discussion_meeting_record(
            meeting=meeting,
            by=staff,
            attendee_count=9,
            attendees=people[: size // 2],
            minutes="纪要",
        )
        return topic

    small, large = topic_with(2), topic_with(12)
    client.get(reverse("deliberation:topic_detail", args=[small.pk]))  # warm caches

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("deliberation:topic_detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("deliberation:topic_detail", args=[large.pk]))

    assert response.status_code == 200
    assert len(few) == len(many)


def test_outcome_page_offers_only_a_decision_for_a_statutory_proposal(
    en, committee, make_person, grid, staff
):
    proposer = make_person(committee, Role.RESIDENT, grid=grid)  # the only resident: 1/1
    topic = proposals.joint_proposal_start(
        committee=committee, by=proposer, title="充电桩", description="d"
    )
    Topic.objects.filter(pk=topic.pk).update(
        status=TopicStatus.CONSULTED, consultation_opinion="同意"
    )
    en.force_login(staff)
    url = reverse("deliberation:topic_outcome", args=[topic.pk])

    page = en.get(url).content.decode()
    assert 'value="to_decision"' in page and 'value="closed"' not in page

    response = en.post(url, {"to": "closed", "note": "不办"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.CONSULTED


def test_outcome_to_decision_before_the_review_shows_the_reason(en, committee, staff, topic):
    Topic.objects.filter(pk=topic.pk).update(
        status=TopicStatus.CONSULTED, consultation_opinion="同意"
    )
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:topic_outcome", args=[topic.pk]), {"to": "to_decision"}
    )

    assert response.status_code == 200
    assert (
        "The party organisation&#x27;s review has not been recorded." in response.content.decode()
    )


def test_staff_schedules_and_records_a_meeting_by_phone_numbers(en, topic, staff, resident):
    en.force_login(staff)
    response = en.post(
        reverse("deliberation:topic_meeting_schedule", args=[topic.pk]),
        {
            "held_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "会议室",
        },
    )
    assert response.status_code == 302
    meeting = topic.meetings.get()
    url = reverse("deliberation:topic_meeting_record", args=[topic.pk, meeting.pk])

    unknown = en.post(
        url, {"attendee_count": 5, "attendee_phones": "13900000000", "minutes": "纪要"}
    )
    assert "No account uses these numbers" in unknown.content.decode()
    assert "纪要" in unknown.content.decode()

    local = resident.phone.removeprefix("+86")
    en.post(url, {"attendee_count": 5, "attendee_phones": local, "minutes": "纪要"})
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [resident] and meeting.minutes == "纪要"


def test_outsider_committee_staff_cannot_manage_the_topic(client, topic, make_person):
    other = GridFactory().committee
    client.force_login(make_person(other, Role.STAFF, mfa=True))

    assert client.get(reverse("deliberation:topic_outcome", args=[topic.pk])).status_code == 403


def test_stakeholders_are_listed_in_the_6_plus_x_order(client, topic):
    from deliberation.topics.models import Stakeholder, StakeholderKind

    for kind, name in (
        (StakeholderKind.CONCERNED, "3栋全体住户"),
        (StakeholderKind.COMMITTEE, "李主任"),
        (StakeholderKind.PARTY, "社区党委"),
    ):
        Stakeholder.objects.create(topic=topic, kind=kind, name=name)

    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()

    assert page.index("社区党委") < page.index("李主任") < page.index("3栋全体住户")

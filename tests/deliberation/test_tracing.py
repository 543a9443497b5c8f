"""“My opinions”: a resident sees every opinion they submitted or seconded, and every joint
proposal they signed, with what happened to it."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.models import (
    CollectionMeeting,
    DiscussionMeeting,
    Opinion,
    OpinionStatusChange,
    PartyReview,
    Second,
    Signature,
    TopicStatusChange,
)
from deliberation.opinions.models import Channel, Status
from deliberation.opinions.services import opinion_status_change
from deliberation.topics.models import Origin, TopicStatus
from deliberation.tracing.selectors import Relation, decisions_for_topics, trace_list

from ..factories import UserFactory
from .factories import OpinionFactory, TopicFactory

URL = reverse("deliberation:my_opinions")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client, resident):
    client.force_login(resident)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def neighbour(make_person, committee, grid):
    return make_person(committee, "resident", grid=grid, display_name="老张")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_sign_in_is_required(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_resident_with_nothing_yet_is_told_how_to_start(en):
    html = page(en)

    assert "You have not said anything yet" in html


def test_an_opinion_submitted_online_is_listed_as_submitted_by_the_resident(en, opinion):
    html = page(en)

    assert opinion.title in html
    assert "You submitted it online" in html
    assert "Waiting for the committee." in html


def test_an_opinion_recorded_on_behalf_shows_who_recorded_it_and_how(
    en, committee, grid, resident, make_person
):
    worker = make_person(
        committee, "grid_worker", grid=grid, real_name="李明", display_name="网格员小李"
    )
    OpinionFactory(
        committee=committee,
        grid=grid,
        author=resident,
        recorded_by=worker,
        channel=Channel.HOME_VISIT,
        title="门口台阶太高",
    )

    html = page(en)

    assert "门口台阶太高" in html
    # Grid workers serve residents under their real names, as on the committee page.
    assert "Recorded on your behalf by 李明 (On a home visit)" in html


def test_an_opinion_gathered_at_a_collection_meeting_names_the_meeting(
    en, committee, grid, resident, staff
):
    meeting = CollectionMeeting.objects.create(
        committee=committee,
        title="三月意见收集会",
        held_at=timezone.now() - timedelta(days=3),
        place="社区活动室",
        created_by=staff,
    )
    OpinionFactory(
        committee=committee,
        grid=grid,
        author=resident,
        recorded_by=staff,
        channel=Channel.MEETING,
        collection_meeting=meeting,
    )

    html = page(en)

    assert "Gathered at the opinion collection meeting “三月意见收集会”" in html
    assert "社区活动室" in html


def test_each_status_change_is_shown_with_its_note(en, opinion, staff):
    opinion_status_change(opinion=opinion, by=staff, to=Status.CONSIDERING)
    opinion_status_change(
        opinion=opinion, by=staff, to=Status.DECLINED, text="该楼道属于物业维修范围。"
    )

    html = page(en)

    assert html.count("Under consideration (研究中)") == 1
    assert "Declined (不予采纳)" in html
    assert "该楼道属于物业维修范围。" in html
    assert "Waiting for the committee." not in html


def test_once_merged_the_topic_its_meetings_and_party_review_are_shown(
    en, committee, opinion, staff
):
    topic = TopicFactory(
        committee=committee,
        title="楼道照明改造",
        status=TopicStatus.CONSULTED,
        consultation_opinion="先改造3栋，再推广到全小区。",
    )
    opinion_status_change(opinion=opinion, by=staff, to=Status.MERGED, topic=topic)
    DiscussionMeeting.objects.create(
        topic=topic,
        held_at=timezone.now(),
        place="3栋楼下",
        attendee_count=14,
        minutes="居民一致同意先改造3栋。",
        created_by=staff,
    )
    TopicStatusChange.objects.create(
        topic=topic, from_status=TopicStatus.DISCUSSION, to_status=TopicStatus.CONSULTED, by=staff
    )
    PartyReview.objects.create(
        topic=topic,
        reviewed_on=date.today(),
        reviewed_by="社区党委 王书记",
        outcome=PartyReview.Outcome.AGREED,
        recorded_by=staff,
    )

    html = page(en)

    assert "Taken up with others in the topic “楼道照明改造”" in html
    assert "Topic discussion meeting (议题讨论会)" in html
    assert "3栋楼下" in html
    assert "14 people present" in html
    assert "居民一致同意先改造3栋。" in html
    assert "先改造3栋，再推广到全小区。" in html
    assert "Agreed to put it to a decision" in html
    assert "社区党委 王书记" in html
    assert "Not decided yet." in html


def test_a_seconded_opinion_is_listed_with_its_author_public_name(
    en, committee, grid, resident, neighbour
):
    theirs = OpinionFactory(committee=committee, grid=grid, author=neighbour, title="增设充电桩")
    Second.objects.create(opinion=theirs, person=resident)

    html = page(en)

    assert "增设充电桩" in html
    assert "You seconded this on" in html
    assert "Submitted by 老张" in html


def test_a_signed_joint_proposal_is_listed_with_its_signatures(en, committee, resident, neighbour):
    topic = TopicFactory(
        committee=committee,
        origin=Origin.JOINT_PROPOSAL,
        status=TopicStatus.PROPOSED,
        created_by=neighbour,
        title="召开居民会议讨论加装电梯",
    )
    Signature.objects.create(topic=topic, person=neighbour)
    Signature.objects.create(topic=topic, person=resident)

    html = page(en)

    assert "召开居民会议讨论加装电梯" in html
    assert "You signed this joint proposal on" in html
    assert "Proposed by 老张" in html
    assert "2 signatures so far" in html


def test_other_peoples_opinions_are_never_shown(en, committee, grid, neighbour):
    OpinionFactory(committee=committee, grid=grid, author=neighbour, title="别人的意见")
    TopicFactory(committee=committee, title="别人的议题")

    html = page(en)

    assert "别人的意见" not in html
    assert "别人的议题" not in html


def test_a_hidden_opinion_is_shown_to_its_author_with_the_moderators_reason(en, opinion):
    Opinion.objects.filter(pk=opinion.pk).update(
        hidden_at=timezone.now(), hidden_reason="含有他人电话号码"
    )

    html = page(en)

    assert "Hidden by moderators: 含有他人电话号码" in html
    assert opinion.body in html


def test_a_hidden_opinion_one_seconded_keeps_its_text_from_the_seconder(
    en, committee, grid, resident, neighbour
):
    theirs = OpinionFactory(
        committee=committee,
        grid=grid,
        author=neighbour,
        body="隔壁王某某的电话是138……",
        hidden_at=timezone.now(),
        hidden_reason="含有他人电话号码",
    )
    Second.objects.create(opinion=theirs, person=resident)

    html = page(en)

    assert "Hidden by moderators: 含有他人电话号码" in html
    assert "隔壁王某某" not in html


def test_the_tabs_show_one_kind_at_a_time(en, committee, grid, resident, neighbour, opinion):
    theirs = OpinionFactory(committee=committee, grid=grid, author=neighbour, title="增设充电桩")
    Second.objects.create(opinion=theirs, person=resident)

    seconded = page(en, show="seconded")
    mine = page(en, show="authored")
    nonsense = page(en, show="everything")

    assert "增设充电桩" in seconded and opinion.title not in seconded
    assert opinion.title in mine and "增设充电桩" not in mine
    assert "增设充电桩" in nonsense and opinion.title in nonsense


def test_items_are_listed_newest_first_by_when_the_person_took_part(
    committee, grid, resident, neighbour
):
    old = OpinionFactory(committee=committee, grid=grid, author=resident)
    theirs = OpinionFactory(committee=committee, grid=grid, author=neighbour)
    Opinion.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    Second.objects.create(opinion=theirs, person=resident)
    new = OpinionFactory(committee=committee, grid=grid, author=resident)

    traces = trace_list(person=resident)

    assert [(t.relation, t.opinion.pk) for t in traces] == [
        (Relation.AUTHORED, new.pk),
        (Relation.SECONDED, theirs.pk),
        (Relation.AUTHORED, old.pk),
    ]


def test_decisions_are_not_built_yet_so_none_are_shown(committee):
    topic = TopicFactory(committee=committee)

    assert decisions_for_topics([topic.pk]) == {}


def make_full_path(*, committee, grid, resident, staff, neighbour, n: int) -> None:
    """`n` opinions of the resident's and `n` seconded ones, each merged into its own topic
    with a meeting and a party review, and `n` signed joint proposals."""
    for _ in range(n):
        topic = TopicFactory(committee=committee, consultation_opinion="同意。")
        DiscussionMeeting.objects.create(
            topic=topic, held_at=timezone.now(), place="活动室", created_by=staff
        )
        PartyReview.objects.create(
            topic=topic,
            reviewed_on=date.today(),
            reviewed_by="社区党委",
            outcome=PartyReview.Outcome.AGREED,
            recorded_by=staff,
        )
        mine = OpinionFactory(
            committee=committee, grid=grid, author=resident, recorded_by=staff, topic=topic
        )
        OpinionStatusChange.objects.create(
            opinion=mine, from_status=Status.SUBMITTED, to_status=Status.CONSIDERING, by=staff
        )
        theirs = OpinionFactory(committee=committee, grid=grid, author=neighbour)
        Second.objects.create(opinion=theirs, person=resident)
        proposal = TopicFactory(
            committee=committee, origin=Origin.JOINT_PROPOSAL, created_by=UserFactory()
        )
        Signature.objects.create(topic=proposal, person=resident)


def queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_for_ten_items_of_each_kind_as_for_two(
    en, committee, grid, resident, staff, neighbour
):
    people = dict(committee=committee, grid=grid, resident=resident, staff=staff)
    make_full_path(**people, neighbour=neighbour, n=2)
    with_two = queries_for_page(en)

    make_full_path(**people, neighbour=neighbour, n=8)
    with_ten = queries_for_page(en)

    assert page(en).count('class="card trace"') == 30
    assert with_ten == with_two


def test_the_selector_reads_everything_in_eight_queries(
    committee, grid, resident, staff, neighbour, django_assert_num_queries
):
    make_full_path(
        committee=committee, grid=grid, resident=resident, staff=staff, neighbour=neighbour, n=3
    )

    with django_assert_num_queries(8):  # the eighth: the topics' decisions
        traces = trace_list(person=resident)
        for trace in traces:
            if trace.opinion:
                list(trace.opinion.history.all())
                str(trace.opinion.recorded_by), trace.opinion.grid.name

    assert len(traces) == 9

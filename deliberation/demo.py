"""Demo deliberation: opinions with seconds, one recorded for an elderly resident, a
collection meeting held and one coming, a topic ready for decision, a joint proposal
collecting signatures. Written through the services, as the real flow would."""

import random
from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from townhall.community.models import Community, Membership, Role

from .collection.services import (
    collection_meeting_attendance_record,
    collection_meeting_schedule,
    collection_meeting_summary_save,
)
from .decisions.execution import execution_assign, progress_report
from .meetings.minutes import minutes_approve, minutes_save
from .meetings.models import Body, Motion
from .meetings.petitions import petition_sign, petition_start
from .meetings.services import (
    attendance_check_in,
    meeting_close,
    meeting_convene,
    meeting_open,
    motion_add,
    motion_count,
)
from .models import Opinion
from .opinions.models import Category, Channel, Kind, Status
from .opinions.services import opinion_second, opinion_status_change, opinion_submit
from .topics.discussion import (
    comment_post,
    consultation_opinion_record,
    discussion_meeting_record,
    discussion_meeting_schedule,
    party_review_record,
    stakeholder_add,
)
from .topics.models import ConsultationForm, PartyReview, StakeholderKind, TopicStatus
from .topics.proposals import joint_proposal_start, proposal_sign
from .topics.services import topic_create, topic_outcome_set

# (author index, kind, category, title, body, seconds)
OPINIONS = (
    (
        "login",
        Kind.OPINION,
        Category.FACILITIES,
        "3栋电梯经常停运",
        "3栋电梯这个月停了四次，楼上老人下不了楼，希望尽快彻底维修。",
        18,
    ),
    (
        1,
        Kind.OPINION,
        Category.FACILITIES,
        "3栋电梯年久失修，建议更换",
        "电梯用了二十年，修了又坏，建议申请维修基金整体更换。",
        9,
    ),
    (
        2,
        Kind.PROPOSAL,
        Category.PARKING,
        "晚上消防通道停满了车",
        "建议划出夜间临时停车位，消防通道贴禁停标识并请物业巡查。",
        34,
    ),
    (
        3,
        Kind.OPINION,
        Category.ENVIRONMENT,
        "垃圾分类点气味太大",
        "5栋旁的垃圾分类点夏天气味很大，希望增加清运次数。",
        6,
    ),
    (
        4,
        Kind.PROPOSAL,
        Category.ELDERLY_CARE,
        "开办老年助餐点",
        "社区独居老人多，建议在活动中心开一个老年助餐点，中午供餐。",
        12,
    ),
    (
        "login",
        Kind.OPINION,
        Category.SAFETY,
        "小区东门路灯不亮",
        "东门到菜市场那段路灯坏了，晚上很黑。",
        3,
    ),
    (
        5,
        Kind.OPINION,
        Category.PROPERTY,
        "物业费公示不清楚",
        "希望物业每季度公示物业费收支明细。",
        4,
    ),
)


def holder_of(committee, role):
    """The demo login holding the role (138 0000 00xx) if in this committee, else the
    first holder."""
    holders = (
        Membership.objects.current()
        .filter(committee=committee, role=role)
        .select_related("person")
        .order_by("pk")
    )
    login = holders.filter(person__phone__startswith="+86138000000").first()
    return (login or holders.first()).person


def deliberation_demo_load(community: Community) -> bool:
    """Once per demo community; returns True if built."""
    committee = community.committees.order_by("pk").first()
    if committee is None or Opinion.objects.filter(committee=committee).exists():
        return False
    # Demo staff have no authenticator yet; the services check the two-step rule as they
    # should, so the demo acts as if it were on.
    with override_settings(TOWNHALL_MFA_REQUIRED_ROLES=[]), transaction.atomic():
        lift = _build(committee)
        _decide(committee, lift)
    return True


def residents_of(committee):
    return list(
        Membership.objects.current()
        .filter(committee=committee, role=Role.RESIDENT)
        .select_related("person", "grid")
        .order_by("pk")
    )


def _build(committee):
    rng = random.Random(2026)
    now = timezone.now()
    staff = holder_of(committee, Role.STAFF)
    chair = holder_of(committee, Role.CHAIR)
    worker_membership = (
        Membership.objects.current()
        .filter(
            committee=committee,
            role=Role.GRID_WORKER,
            person=holder_of(committee, Role.GRID_WORKER),
        )
        .first()
    )
    residents = residents_of(committee)
    login = next(m for m in residents if m.person == holder_of(committee, Role.RESIDENT))
    others = [m for m in residents if m.person != login.person]

    held = collection_meeting_schedule(
        committee=committee,
        by=staff,
        title="十一月意见收集会",
        held_at=now - timedelta(days=9),
        place="社区活动中心二楼",
        online=False,
        grids=list(committee.grids.all()),
    )
    present = [m.person for m in others[:12]]
    collection_meeting_attendance_record(
        meeting=held, by=staff, attendee_count=26, attendees=present
    )
    collection_meeting_summary_save(
        meeting=held,
        by=staff,
        summary="到会居民26人，收集意见9条，集中在电梯维修、停车和老年助餐。",
    )
    collection_meeting_schedule(
        committee=committee,
        by=staff,
        title="十二月意见收集会",
        held_at=now + timedelta(days=6),
        place="",
        online=True,
        grids=list(committee.grids.all()),
    )

    opinions = []
    for author, kind, category, title, body, seconds in OPINIONS:
        membership = login if author == "login" else others[author * 7]
        opinion, _created = opinion_submit(
            committee=committee,
            author=membership.person,
            grid=membership.grid or committee.grids.first(),
            kind=kind,
            title=title,
            body=body,
            category=category,
        )
        for supporter in rng.sample(others[40:], seconds):
            if supporter.person != membership.person:
                opinion_second(opinion=opinion, person=supporter.person)
        opinions.append(opinion)

    # An elderly resident told the grid worker at the meeting; he typed it in for her.
    elderly = next(m for m in others if worker_membership and m.grid == worker_membership.grid)
    on_behalf, _created = opinion_submit(
        committee=committee,
        author=elderly.person,
        grid=elderly.grid,
        kind=Kind.OPINION,
        title="楼道扶手松了",
        body="我家单元楼道的扶手松了，上下楼不敢扶，请帮忙修一下。",
        category=Category.FACILITIES,
        recorded_by=worker_membership.person if worker_membership else staff,
        channel=Channel.MEETING,
        collection_meeting=held,
    )
    opinion_status_change(
        opinion=on_behalf,
        by=staff,
        to=Status.ANSWERED,
        text="已通知物业，12月5日前加固扶手，网格员会上门回访。",
    )
    opinion_status_change(opinion=opinions[3], by=staff, to=Status.CONSIDERING)
    opinion_status_change(
        opinion=opinions[6],
        by=staff,
        to=Status.REFERRED,
        text="物业费属物业服务合同事项，已转社区公共服务中心督促物业公示。",
    )

    lift = topic_create(
        committee=committee,
        by=chair,
        title="3栋电梯更换",
        description="3栋电梯故障频繁，居民提出维修或整体更换。讨论资金来源（维修基金、业主分摊）和施工期间老人出行安排。",
        consultation_form=ConsultationForm.COUNCIL,
        opinions=opinions[:2],
    )
    for kind, name in (
        (StakeholderKind.PARTY, "社区党委"),
        (StakeholderKind.COMMITTEE, "居委会"),
        (StakeholderKind.SUPERVISION, "居务监督委员会"),
        (StakeholderKind.RESIDENTS_GROUP, "3栋居民小组"),
        (StakeholderKind.SOCIAL_ORG, "物业服务公司"),
        (StakeholderKind.RESPECTED, "老党员代表"),
        (StakeholderKind.CONCERNED, "3栋全体住户"),
    ):
        stakeholder_add(topic=lift, by=chair, kind=kind, name=name)
    first = comment_post(
        topic=lift, author=others[3].person, body="支持更换，维修基金应该够用，请公布余额。"
    )
    comment_post(
        topic=lift, author=login.person, body="施工期间请安排志愿者帮老人买菜。", parent=first
    )
    meeting = discussion_meeting_schedule(
        topic=lift, by=chair, held_at=now - timedelta(days=3), place="社区议事厅"
    )
    discussion_meeting_record(
        meeting=meeting,
        by=chair,
        attendee_count=31,
        attendees=[m.person for m in others[:8]],
        minutes="到会31人。物业介绍电梯检测结果；居民代表提出使用维修基金；多数人同意整体更换。",
    )
    consultation_opinion_record(
        topic=lift,
        by=chair,
        text="建议使用住宅专项维修基金整体更换3栋电梯，施工期间由志愿者服务队协助老人出行。",
    )
    party_review_record(
        topic=lift,
        by=staff,
        reviewed_on=timezone.localdate() - timedelta(days=1),
        reviewed_by="社区党委（书记签字）",
        outcome=PartyReview.Outcome.AGREED,
        note="同意提交居民代表会议表决。",
    )

    proposal = joint_proposal_start(
        committee=committee,
        by=others[30].person,
        title="增设电动自行车集中充电桩",
        description="为杜绝楼道充电的火灾隐患，联名提议在小区北侧增设集中充电车棚。",
    )
    for signer in others[31:34]:
        proposal_sign(topic=proposal, person=signer.person)
    return lift


def _decide(committee, lift):
    """The lift topic goes to the representatives' assembly, which passes it; the
    committee starts carrying it out. Also a residents' assembly announced and a petition
    collecting signatures."""
    now = timezone.now()
    staff = holder_of(committee, Role.STAFF)
    chair = holder_of(committee, Role.CHAIR)
    member = holder_of(committee, Role.MEMBER)
    supervisor = holder_of(committee, Role.SUPERVISOR)
    current = Membership.objects.current().filter(committee=committee)
    body = list(
        current.filter(role__in=[Role.CHAIR, Role.MEMBER, Role.REPRESENTATIVE]).select_related(
            "person"
        )
    )
    lift = topic_outcome_set(topic=lift, by=chair, to=TopicStatus.TO_DECISION)
    meeting = meeting_convene(
        committee=committee,
        by=chair,
        body=Body.REPRESENTATIVES,
        title="居民代表会议：3栋电梯更换",
        starts_at=now + timedelta(minutes=5),
        place="社区议事厅",
        chair=chair,
        secretary=member,
        short_notice_reason="3栋电梯停运，楼上老人无法下楼，需尽快表决更换方案。",
    )
    motion = motion_add(
        meeting=meeting,
        by=chair,
        kind=Motion.Kind.TOPIC,
        topic=lift,
        title="使用维修基金更换3栋电梯",
        text=lift.consultation_opinion,
    )
    meeting_open(meeting=meeting, by=chair)
    seen = set()
    for membership in body:
        if membership.person_id not in seen and len(seen) < len(body) - 1:
            attendance_check_in(meeting=meeting, person=membership.person, by=chair)
            seen.add(membership.person_id)
    present = len(seen)
    motion_count(motion=motion, by=chair, yes=present - 2, no=1, abstain=1)
    meeting_close(meeting=meeting, by=chair)
    minutes_save(
        meeting=meeting,
        by=member,
        text="主持人王红梅。应到、实到人数见签到记录。物业介绍检测结果，代表发言后举手表决，"
        "议案获通过。会议要求居委会在两个月内完成招标和更换。",
    )
    minutes_approve(meeting=meeting, by=chair)
    minutes_approve(meeting=meeting, by=supervisor)
    motion.refresh_from_db()
    decision = motion.decision
    volunteers = committee.community.social_organizations.order_by("pk")[:1]
    decision = execution_assign(
        decision=decision,
        by=chair,
        responsible=member,
        due_on=timezone.localdate() + timedelta(days=60),
        assisting=list(volunteers),
    )
    progress_report(
        decision=decision,
        by=member,
        text="已向住建部门申请使用维修基金，电梯公司完成现场勘察，正在编制更换方案。",
        percent_done=40,
    )

    coming = meeting_convene(
        committee=committee,
        by=staff,
        body=Body.ASSEMBLY,
        by_household=True,
        title="居民会议：修订居民公约",
        starts_at=now + timedelta(days=12),
        place="小区中心广场",
        chair=chair,
        secretary=member,
    )
    motion_add(
        meeting=coming,
        by=staff,
        kind=Motion.Kind.CHARTER,
        title="居民公约增加电动自行车充电条款",
        text="第五条 电动自行车不进楼道，不在室内充电，统一在集中充电点充电。",
    )
    residents = residents_of(committee)
    petition = petition_start(
        committee=committee,
        by=residents[50].person,
        body=Body.ASSEMBLY,
        title="召开居民会议讨论物业服务合同续签",
        reason="物业合同年底到期，服务质量意见较多，请召开居民会议决定是否续签。",
    )
    for membership in residents[51:54]:
        petition_sign(petition=petition, person=membership.person)

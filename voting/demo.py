"""Demo polls: one open to residents (with a written proxy for the demo resident to
carry), a satisfaction rating open, and one counted with its public ballot board.
Written through the services, as the real flow would."""

import random
from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from deliberation.demo import holder_of, residents_of
from townhall.community.models import Community, Role

from .models import Poll
from .proxies import proxy_grant
from .services import ballot_cast, poll_close, poll_create, poll_open


def voting_demo_load(community: Community) -> bool:
    """Once per demo community; returns True if built."""
    committee = community.committees.order_by("pk").first()
    if committee is None or Poll.objects.filter(committee=committee).exists():
        return False
    # As in the deliberation demo: the demo officials have no authenticator yet.
    with override_settings(TOWNHALL_MFA_REQUIRED_ROLES=[]), transaction.atomic():
        _build(committee)
    return True


def _vote(poll, voters, pick, rng):
    for membership in voters:
        ballot_cast(poll=poll, voter=membership.person, content=pick(rng))


def _build(committee):
    rng = random.Random(2026)
    now = timezone.now()
    chair = holder_of(committee, Role.CHAIR)
    staff = holder_of(committee, Role.STAFF)
    login = holder_of(committee, Role.RESIDENT)
    residents = [m for m in residents_of(committee) if m.person != login]

    gate = poll_create(
        committee=committee,
        by=staff,
        title="东门是否改为24小时开放",
        description="东门夜间关闭后，下夜班的居民需绕行北门。征求居民意见：东门是否改为24小时开放，"
        "夜间由保安刷卡管理。本次为意见征询，结果供居委会决定时参考。",
        method=Poll.Method.YES_NO,
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
        proxies_allowed=True,
        closes_at=now + timedelta(days=7),
    )
    poll_open(poll=gate, by=staff)
    yes, no, abstain = (gate.options.get(code=code).pk for code in ("yes", "no", "abstain"))
    # The demo resident carries the written proxy of an elderly neighbour.
    neighbour = residents[0].person
    proxy_grant(
        poll=gate, grantor=neighbour, holder=login, by=staff, document="书面委托书 2026-001号"
    )
    _vote(
        gate,
        residents[1:70],
        lambda r: {"options": [r.choices([yes, no, abstain], weights=[6, 3, 1])[0]]},
        rng,
    )

    grades = ["满意", "基本满意", "不满意"]
    rating = poll_create(
        committee=committee,
        by=staff,
        title="2026年度居委会工作满意度测评",
        description="请对居委会整体工作和主任的工作分别评价。评价匿名，意见与评价分开保存。",
        method=Poll.Method.GRADED,
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
        options=grades,
        subjects=["居委会整体工作", f"居委会主任 {chair.real_name}"],
        closes_at=now + timedelta(days=14),
    )
    poll_open(poll=rating, by=staff)

    lockers = poll_create(
        committee=committee,
        by=staff,
        title="快递柜安装位置",
        description="物业将新装一组快递柜，请选择您认为最方便的位置。",
        method=Poll.Method.SINGLE,
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
        options=["东门岗亭旁", "3栋架空层", "地下车库入口"],
        closes_at=now + timedelta(days=3),
    )
    poll_open(poll=lockers, by=staff)
    places = list(lockers.options.values_list("pk", flat=True))
    _vote(
        lockers,
        residents[1:90] + [m for m in residents_of(committee) if m.person == login],
        lambda r: {"options": [r.choices(places, weights=[5, 3, 2])[0]]},
        rng,
    )
    poll_close(
        poll=lockers,
        by=chair,
        reason="物业需在月底前下单，经居委会会议同意提前结束投票。",
    )

"""A whole decision meeting in a browser: the chair convenes a residents' assembly with
notice, puts the topic on the agenda, opens it, checks people in (one scans the code on
her phone), counts the hands; the decision is carried out and the supervision committee
signs it off. Screenshots of the chair's screens."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberation.models import Decision, Meeting, PartyReview
from deliberation.topics.models import TopicStatus
from townhall.community.models import Role
from townhall.ledger.verification import ledger_verify

from ..conftest import give_totp
from ..deliberation.factories import TopicFactory
from ..factories import CommitteeFactory, GridFactory
from .conftest import DESKTOP, PHONE
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_residents_assembly_decides_and_the_decision_is_carried_out(
    open_page, screenshot, wagtail_site
):
    committee = CommitteeFactory(name="幸福里居委会")
    grid = GridFactory(committee=committee)
    chair = person("13900000021", Role.CHAIR, committee, real_name="王红梅")
    member = person("13900000022", Role.MEMBER, committee, real_name="陈晓燕")
    supervisor = person("13900000023", Role.SUPERVISOR, committee, real_name="赵德明")
    for official in (chair, member, supervisor):
        give_totp(official)
    residents = [
        person(f"1390000003{n}", Role.RESIDENT, committee, grid=grid, real_name=name)
        for n, name in enumerate(["李海涛", "张秀兰", "刘桂芳", "马丽", "孙强"])
    ]
    topic = TopicFactory(
        committee=committee,
        title="3栋电梯更换",
        status=TopicStatus.TO_DECISION,
        consultation_opinion="使用维修基金整体更换3栋电梯。",
        created_by=chair,
    )
    PartyReview.objects.create(
        topic=topic,
        reviewed_on=timezone.localdate(),
        reviewed_by="社区党委",
        outcome=PartyReview.Outcome.AGREED,
        recorded_by=chair,
    )

    # The chair convenes with twelve days' notice, on a laptop.
    desk = open_page(viewport=DESKTOP, language="zh-hans")
    sign_in(desk, "13900000021", totp=True)
    desk.goto(f"/committees/{committee.slug}/meetings/new/")
    desk.locator("#id_body").select_option("assembly")
    desk.locator("#id_title").fill("居民会议：3栋电梯更换")
    starts = timezone.localtime() + timedelta(days=12)
    desk.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    desk.locator("#id_place").fill("社区活动中心")
    desk.locator("#id_chair").select_option(str(chair.pk))
    desk.locator("main form button[type=submit]").last.click()
    desk.wait_for_url(re.compile(r"/meetings/\d+/"))
    meeting = Meeting.objects.get()
    assert not meeting.short_notice
    screenshot(desk, "meeting-notice-desktop")

    # The agenda: the topic, which passed the party organisation's review.
    desk.goto(f"/meetings/{meeting.pk}/chair/")
    desk.locator("#id_kind").select_option("topic")
    desk.locator("#id_topic").select_option(str(topic.pk))
    desk.locator("#id_title").fill("使用维修基金更换3栋电梯")
    desk.locator("#id_text").fill("同意使用住宅专项维修基金整体更换3栋电梯。")
    desk.locator("form[action$='/motions/new/'] button[type=submit]").click()
    desk.get_by_text("使用维修基金更换3栋电梯").first.wait_for()
    desk.locator("form[action$='/open/'] button[type=submit]").click()
    desk.locator(".quorum").wait_for()
    screenshot(desk, "meeting-chair-opened-desktop")

    # Two residents are marked present by the chair from the roll; a third scans the
    # code herself.
    desk.goto(f"/meetings/{meeting.pk}/roster/")
    for resident in residents[:2]:
        desk.get_by_role("button", name=f"为{resident.real_name}签到").click()
        desk.locator(".roster-row--arrived", has_text=resident.real_name).wait_for()
    phone = open_page(viewport=PHONE, language="zh-hans")
    sign_in(phone, "13900000032")
    meeting.refresh_from_db()
    phone.goto(reverse("deliberation:meeting_check_in", args=[meeting.pk, meeting.check_in_token]))
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state()
    screenshot(phone, "meeting-self-check-in-phone")
    assert meeting.attendance.count() == 3

    desk.goto(f"/meetings/{meeting.pk}/chair/")
    desk.locator(".quorum--met").wait_for()  # 3 of 5: more than half
    screenshot(desk, "meeting-chair-quorum-met-desktop")

    # The show of hands: 3 for, none against.
    motion = meeting.motions.get()
    desk.locator(f"#m{motion.pk}-yes").fill("3")
    desk.locator(f"#m{motion.pk}-no").fill("0")
    desk.locator(f"#m{motion.pk}-abstain").fill("0")
    desk.locator(f"form[action$='/motions/{motion.pk}/count/'] button[type=submit]").click()
    desk.wait_for_load_state()
    screenshot(desk, "meeting-chair-counted-desktop")
    decision = Decision.objects.get()
    assert decision.passed
    assert (decision.motion.present_at_vote, decision.motion.members_at_vote) == (3, 5)
    desk.locator("form[action$='/close/'] button[type=submit]").click()
    assert "关闭会议「居民会议：3栋电梯更换」后不能再签到或表决" in (
        desk.locator("dialog[open]").inner_text()
    )
    desk.locator("dialog[open] [data-confirm-ok]").click()
    desk.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert Meeting.objects.get().status == Meeting.Status.CLOSED

    # Execution: the chair names the responsible member and a due date.
    desk.goto(f"/decisions/{decision.pk}/assign/")
    desk.locator("#id_responsible").select_option(str(member.pk))
    desk.locator("#id_due_on").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    desk.locator("main form button[type=submit]").last.click()
    desk.wait_for_url(re.compile(rf"/decisions/{decision.pk}/"))

    # The responsible member reports it done from her phone.
    worker = open_page(viewport=PHONE, language="zh-hans")
    sign_in(worker, "13900000022", totp=True)
    worker.goto(f"/decisions/{decision.pk}/progress/")
    worker.locator("#id_text").fill("新电梯已安装并通过验收检测。")
    worker.locator("#id_percent_done").fill("100")
    worker.locator("main form button[type=submit]").last.click()
    worker.wait_for_url(re.compile(rf"/decisions/{decision.pk}/"))

    # The supervision committee signs off completion.
    auditor = open_page(viewport=PHONE, language="zh-hans")
    sign_in(auditor, "13900000023", totp=True)
    auditor.goto(f"/decisions/{decision.pk}/sign-off/")
    auditor.locator("button[name=verdict][value=sign_off]").click()
    auditor.wait_for_url(re.compile(rf"/decisions/{decision.pk}/"))
    screenshot(auditor, "decision-completed-phone")
    decision.refresh_from_db()
    assert decision.execution == Decision.Execution.COMPLETED
    assert decision.signed_off_by == supervisor
    assert ledger_verify().ok

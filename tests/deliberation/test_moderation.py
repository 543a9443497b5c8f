"""Moderation: residents report, staff hide with a public reason, the author appeals once;
nothing is deleted and every step is logged."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from deliberation.models import Comment, Opinion
from deliberation.moderation import services
from deliberation.moderation.models import Appeal, ModerationEvent, Report
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..factories import CommitteeFactory
from .factories import CommentFactory, OpinionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def neighbour(make_person, committee, grid):
    return make_person(committee, Role.RESIDENT, grid=grid)


@pytest.fixture
def comment(committee, resident):
    return CommentFactory(topic=TopicFactory(committee=committee), author=resident)


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def hide(item, by, reason="含有他人电话号码"):
    return services.item_hide(item=item, by=by, reason=reason)


def appeal(item, author, text="号码是物业公开的值班电话"):
    return services.appeal_file(item=item, author=author, text=text)


# --- Reports ---------------------------------------------------------------------------


def test_resident_reports_an_opinion_and_it_is_logged(opinion, neighbour):
    report = services.report_file(item=opinion, reporter=neighbour, reason="人身攻击")

    assert report.opinion == opinion and report.handled_at is None
    event = ModerationEvent.objects.get(opinion=opinion)
    assert (event.action, event.by, event.reason) == ("reported", neighbour, "人身攻击")


def test_resident_cannot_report_the_same_opinion_twice(opinion, neighbour):
    services.report_file(item=opinion, reporter=neighbour, reason="人身攻击")

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_file(item=opinion, reporter=neighbour, reason="还是人身攻击")

    assert error.value.messages == ["You have already reported this."]
    assert Report.objects.count() == 1


def test_author_cannot_report_their_own_opinion(opinion, resident):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_file(item=opinion, reporter=resident, reason="写错了")

    assert error.value.messages == ["You cannot report what you wrote yourself."]


def test_report_needs_a_reason(opinion, neighbour):
    with pytest.raises(ValidationError):
        services.report_file(item=opinion, reporter=neighbour, reason="   ")
    assert not Report.objects.exists()


def test_resident_of_another_committee_cannot_report(opinion, make_person):
    stranger = make_person(CommitteeFactory(), Role.RESIDENT)

    with pytest.raises(PermissionDenied):
        services.report_file(item=opinion, reporter=stranger, reason="广告")


def test_resident_reports_a_comment(comment, neighbour):
    services.report_file(item=comment, reporter=neighbour, reason="广告")

    assert Report.objects.get().comment == comment


def test_report_page_files_the_report_and_goes_back_to_the_opinion(en, opinion, neighbour):
    en.force_login(neighbour)

    response = en.post(
        reverse("deliberation:opinion_report", args=[opinion.pk]), {"reason": "人身攻击"}
    )

    assert response.status_code == 302
    assert response.url == reverse("deliberation:opinion_detail", args=[opinion.pk])
    assert Report.objects.filter(opinion=opinion, reporter=neighbour).exists()
    page = en.get(response.url)
    assert "Thank you. Moderators will look at it." in page.content.decode()
    assert "You reported this" in page.content.decode()


def test_second_report_shows_the_reason_and_keeps_what_was_typed(en, opinion, neighbour):
    services.report_file(item=opinion, reporter=neighbour, reason="人身攻击")
    en.force_login(neighbour)

    response = en.post(
        reverse("deliberation:opinion_report", args=[opinion.pk]), {"reason": "又骂人了"}
    )

    assert response.status_code == 200
    assert "You have already reported this." in response.content.decode()
    assert "又骂人了" in response.content.decode()


def test_signed_out_visitor_is_sent_to_sign_in_to_report(client, opinion):
    response = client.get(reverse("deliberation:opinion_report", args=[opinion.pk]))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_resident_of_another_committee_is_refused_the_report_page(client, opinion, make_person):
    client.force_login(make_person(CommitteeFactory(), Role.RESIDENT))

    response = client.post(
        reverse("deliberation:opinion_report", args=[opinion.pk]), {"reason": "广告"}
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


# --- Hiding ----------------------------------------------------------------------------


def test_hiding_keeps_the_opinion_and_its_text(opinion, neighbour, staff):
    body = opinion.body
    services.report_file(item=opinion, reporter=neighbour, reason="泄露隐私")

    hide(opinion, staff)

    opinion = Opinion.objects.get(pk=opinion.pk)
    assert opinion.body == body
    assert opinion.is_hidden and opinion.hidden_reason == "含有他人电话号码"
    assert Report.objects.get().handled_at is not None
    assert ModerationEvent.objects.filter(opinion=opinion, action="hidden", by=staff).exists()


def test_hiding_an_opinion_writes_a_ledger_entry_that_verifies(opinion, staff):
    hide(opinion, staff)

    entry = LedgerEntry.objects.get(kind="opinion.hidden")
    assert entry.subject == f"deliberation.opinion:{opinion.pk}"
    assert entry.actor == staff
    assert ledger_verify().ok


def test_author_is_told_why_and_that_they_may_appeal(opinion, resident, staff, settings):
    settings.LANGUAGE_CODE = "en"

    hide(opinion, staff)

    note = Notification.objects.get(recipient=resident)
    assert "含有他人电话号码" in note.message
    assert "appeal" in note.message
    assert note.url == reverse("deliberation:opinion_detail", args=[opinion.pk])


def test_hiding_a_comment_keeps_it_and_writes_a_ledger_entry(comment, staff):
    hide(comment, staff)

    comment = Comment.objects.get(pk=comment.pk)
    assert comment.is_hidden and comment.body
    entry = LedgerEntry.objects.get(kind="comment.hidden")
    assert entry.subject == f"deliberation.comment:{comment.pk}"
    assert ledger_verify().ok


def test_hiding_twice_is_refused(opinion, staff):
    hide(opinion, staff)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        hide(opinion, staff, reason="再次隐藏")

    assert error.value.messages == ["This is already hidden."]
    assert LedgerEntry.objects.filter(kind="opinion.hidden").count() == 1


def test_hiding_needs_a_reason(opinion, staff):
    with pytest.raises(ValidationError):
        hide(opinion, staff, reason=" ")
    assert not Opinion.objects.get(pk=opinion.pk).is_hidden


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.CHAIR, Role.MEMBER, Role.GRID_WORKER])
def test_only_staff_may_hide(opinion, make_person, committee, role):
    someone = make_person(committee, role, mfa=True)

    with pytest.raises(PermissionDenied):
        hide(opinion, someone)


def test_staff_hides_from_the_hide_page(en, opinion, staff):
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:opinion_hide", args=[opinion.pk]), {"reason": "广告内容"}
    )

    assert response.status_code == 302
    assert Opinion.objects.get(pk=opinion.pk).hidden_reason == "广告内容"


def test_resident_is_refused_the_hide_page(client, opinion, neighbour):
    client.force_login(neighbour)

    response = client.post(
        reverse("deliberation:opinion_hide", args=[opinion.pk]), {"reason": "广告"}
    )

    assert response.status_code == 403
    assert not Opinion.objects.get(pk=opinion.pk).is_hidden


def test_staff_without_two_step_verification_is_sent_to_set_it_up(
    client, opinion, make_person, committee
):
    client.force_login(make_person(committee, Role.STAFF))

    response = client.get(reverse("deliberation:opinion_hide", args=[opinion.pk]))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_hidden_opinion_page_shows_the_reason_to_others_and_the_text_to_author_and_staff(
    en, opinion, resident, neighbour, staff
):
    hide(opinion, staff)
    url = reverse("deliberation:opinion_detail", args=[opinion.pk])

    en.force_login(neighbour)
    page = en.get(url).content.decode()
    assert "Hidden by moderators: 含有他人电话号码" in page
    assert opinion.body not in page

    for reader in (resident, staff):
        en.force_login(reader)
        assert opinion.body in en.get(url).content.decode()


# --- Appeals ---------------------------------------------------------------------------


def test_author_appeals_once_and_moderators_are_told(opinion, resident, staff):
    hide(opinion, staff)

    filed = appeal(opinion, resident)

    assert filed.decision == Appeal.Decision.PENDING
    assert ModerationEvent.objects.filter(opinion=opinion, action="appealed").exists()
    note = Notification.objects.get(recipient=staff)
    assert note.url == reverse("deliberation:appeal_decide", args=[filed.pk])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appeal(opinion, resident, text="再申诉一次")
    assert error.value.messages == ["You have already appealed."]
    assert Appeal.objects.count() == 1


def test_only_the_author_may_appeal(opinion, neighbour, staff):
    hide(opinion, staff)

    with pytest.raises(PermissionDenied):
        appeal(opinion, neighbour)


def test_a_shown_opinion_cannot_be_appealed(opinion, resident):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appeal(opinion, resident)

    assert error.value.messages == ["Only a hidden item can be appealed."]


def test_appeal_page_refuses_someone_else(client, opinion, neighbour, staff):
    hide(opinion, staff)
    client.force_login(neighbour)

    response = client.post(
        reverse("deliberation:opinion_appeal", args=[opinion.pk]), {"text": "我替他申诉"}
    )

    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_author_appeals_a_hidden_comment_from_the_appeal_page(en, comment, resident, staff):
    hide(comment, staff)
    en.force_login(resident)

    response = en.post(
        reverse("deliberation:comment_appeal", args=[comment.pk]), {"text": "没有违规"}
    )

    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert Appeal.objects.get().comment == comment


def test_upheld_appeal_shows_the_opinion_again(opinion, resident, staff, settings):
    hide(opinion, staff)
    filed = appeal(opinion, resident)
    settings.LANGUAGE_CODE = "en"

    services.appeal_decide(appeal=filed, by=staff, uphold=True, answer="核实后确认无误")

    opinion = Opinion.objects.get(pk=opinion.pk)
    assert not opinion.is_hidden and opinion.hidden_reason == ""
    filed.refresh_from_db()
    assert (filed.decision, filed.decided_by, filed.answer) == ("upheld", staff, "核实后确认无误")
    assert ModerationEvent.objects.filter(opinion=opinion, action="restored", by=staff).exists()
    assert LedgerEntry.objects.filter(kind="opinion.restored").exists()
    assert ledger_verify().ok
    told = Notification.objects.filter(recipient=resident).latest("pk")
    assert "upheld" in told.message and "核实后确认无误" in told.message


def test_rejected_appeal_leaves_it_hidden_and_tells_the_author(opinion, resident, staff):
    hide(opinion, staff)
    filed = appeal(opinion, resident)

    services.appeal_decide(appeal=filed, by=staff, uphold=False, answer="号码属于个人")

    assert Opinion.objects.get(pk=opinion.pk).is_hidden
    assert ModerationEvent.objects.filter(opinion=opinion, action="appeal_rejected").exists()
    assert not LedgerEntry.objects.filter(kind="opinion.restored").exists()
    assert "号码属于个人" in Notification.objects.filter(recipient=resident).latest("pk").message


def test_upheld_comment_appeal_writes_a_restored_entry(comment, resident, staff):
    hide(comment, staff)

    services.appeal_decide(appeal=appeal(comment, resident), by=staff, uphold=True, answer="好")

    assert not Comment.objects.get(pk=comment.pk).is_hidden
    assert LedgerEntry.objects.filter(kind="comment.restored").exists()
    assert ledger_verify().ok


def test_an_appeal_is_decided_once(opinion, resident, staff, make_person, committee):
    hide(opinion, staff)
    filed = appeal(opinion, resident)
    services.appeal_decide(appeal=filed, by=staff, uphold=False, answer="维持")
    other_staff = make_person(committee, Role.STAFF, mfa=True)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.appeal_decide(appeal=filed, by=other_staff, uphold=True, answer="改判")

    assert error.value.messages == ["This appeal has already been decided."]
    assert Opinion.objects.get(pk=opinion.pk).is_hidden


def test_staff_decides_an_appeal_from_its_page(en, opinion, resident, staff):
    hide(opinion, staff)
    filed = appeal(opinion, resident)
    en.force_login(staff)
    url = reverse("deliberation:appeal_decide", args=[filed.pk])

    assert "号码是物业公开的值班电话" in en.get(url).content.decode()
    response = en.post(url, {"decision": "uphold", "answer": "已核实"})

    assert response.status_code == 302
    assert not Opinion.objects.get(pk=opinion.pk).is_hidden


def test_appeal_decision_without_an_answer_keeps_the_choice(en, opinion, resident, staff):
    hide(opinion, staff)
    filed = appeal(opinion, resident)
    en.force_login(staff)

    response = en.post(
        reverse("deliberation:appeal_decide", args=[filed.pk]), {"decision": "reject"}
    )

    assert response.status_code == 200
    assert re.search(r'<input[^>]*value="reject"[^>]*checked', response.content.decode())
    assert "This field is required." in response.content.decode()
    assert Appeal.objects.get().decision == "pending"


def test_resident_cannot_decide_an_appeal(client, opinion, resident, staff, neighbour):
    hide(opinion, staff)
    filed = appeal(opinion, resident)
    client.force_login(neighbour)

    response = client.post(
        reverse("deliberation:appeal_decide", args=[filed.pk]),
        {"decision": "uphold", "answer": "放出来"},
    )

    assert response.status_code == 403
    assert Opinion.objects.get(pk=opinion.pk).is_hidden


# --- Queue -----------------------------------------------------------------------------


def test_queue_lists_reported_items_with_counts_and_reasons_and_pending_appeals(
    en, committee, opinion, comment, neighbour, make_person, grid, staff, resident
):
    third = make_person(committee, Role.RESIDENT, grid=grid)
    services.report_file(item=comment, reporter=neighbour, reason="广告链接")
    services.report_file(item=comment, reporter=third, reason="重复刷屏")
    hidden = OpinionFactory(committee=committee, grid=grid, author=resident, title="被隐藏的意见")
    hide(hidden, staff)
    appeal(hidden, resident)
    en.force_login(staff)

    page = en.get(reverse("deliberation:moderation_queue", args=[committee.slug]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "2 reports" in text and "广告链接" in text and "重复刷屏" in text
    assert f"#comment-{comment.pk}" in text
    assert "被隐藏的意见" in text
    assert reverse("deliberation:appeal_decide", args=[Appeal.objects.get().pk]) in text


def test_queue_stays_a_fixed_number_of_queries(client, committee, grid, make_person, staff):
    def report_some(count):
        for _ in range(count):
            item = OpinionFactory(committee=committee, grid=grid)
            services.report_file(
                item=item, reporter=make_person(committee, Role.RESIDENT), reason="广告"
            )

    client.force_login(staff)
    url = reverse("deliberation:moderation_queue", args=[committee.slug])
    report_some(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    report_some(8)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_moderator_leaves_a_reported_item_shown(en, committee, opinion, neighbour, staff):
    services.report_file(item=opinion, reporter=neighbour, reason="我不同意")
    en.force_login(staff)

    response = en.post(reverse("deliberation:opinion_reports_dismiss", args=[opinion.pk]))

    assert response.status_code == 302
    assert Report.objects.get().handled_at is not None
    assert ModerationEvent.objects.filter(opinion=opinion, action="dismissed", by=staff).exists()
    assert not Opinion.objects.get(pk=opinion.pk).is_hidden
    page = en.get(reverse("deliberation:moderation_queue", args=[committee.slug]))
    assert "Nothing reported" in page.content.decode()


def test_resident_is_refused_the_queue(client, committee, neighbour):
    client.force_login(neighbour)

    response = client.get(reverse("deliberation:moderation_queue", args=[committee.slug]))

    assert response.status_code == 403

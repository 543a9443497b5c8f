"""The execution pages and the panel on the decision page: who sees which button, the
forms that keep what was typed, the overdue badge, and a fixed number of queries."""

import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from deliberation.decisions.execution import execution_assign, progress_report
from deliberation.decisions.models import Decision, ProgressUpdate, SupervisionNote
from townhall.community.models import Role, SocialOrganization

from .test_execution import make_decision

Execution = Decision.Execution
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def member(make_person, committee):
    return make_person(committee, Role.MEMBER, mfa=True, real_name="李委员")


@pytest.fixture
def supervisor(make_person, committee):
    return make_person(committee, Role.SUPERVISOR, mfa=True, real_name="赵监督")


@pytest.fixture
def decision(committee, chair):
    return make_decision(committee, chair)


@pytest.fixture
def assigned(decision, chair, member):
    return execution_assign(decision=decision, by=chair, responsible=member, due_on=NEXT_MONTH)


def url(name, decision):
    return reverse(f"deliberation:{name}", args=[decision.pk])


def panel(decision, user=None) -> str:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.LANGUAGE_CODE = "en"
    return render_to_string(
        "deliberation/execution/_execution.html", {"decision": decision}, request=request
    )


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("lamp.jpg", buffer.getvalue(), content_type="image/jpeg")


# Assign ---------------------------------------------------------------------------------


def test_chair_assigns_from_the_assign_page(en, chair, decision, member, committee):
    orgs = SocialOrganization.objects.create(
        community=committee.community, name="阳光志愿者服务队", kind="志愿服务"
    )
    en.force_login(chair)
    page = en.get(url("decision_assign", decision))
    assert "李委员" in page.content.decode()
    assert "阳光志愿者服务队" in page.content.decode()

    response = en.post(
        url("decision_assign", decision),
        {"responsible": member.pk, "due_on": NEXT_MONTH.isoformat(), "assisting": [orgs.pk]},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("decision_detail", decision)
    assert "Assigned; the responsible member is told." in response.content.decode()
    assert Decision.objects.get().responsible == member


def test_assign_page_keeps_what_was_typed_when_the_date_is_past(en, chair, decision, member):
    en.force_login(chair)
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()

    response = en.post(
        url("decision_assign", decision), {"responsible": member.pk, "due_on": yesterday}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The due date cannot be in the past." in html
    assert f'value="{yesterday}"' in html
    assert Decision.objects.get().responsible is None


def test_assigning_a_failed_decision_shows_why(en, committee, chair, member):
    failed = make_decision(committee, chair, passed=False)
    en.force_login(chair)

    response = en.post(
        url("decision_assign", failed), {"responsible": member.pk, "due_on": NEXT_MONTH}
    )

    assert response.status_code == 200
    assert "Only a passed decision is carried out." in response.content.decode()


@pytest.mark.parametrize("name", ["decision_assign", "decision_supervise", "decision_sign_off"])
def test_a_committee_member_is_refused_the_assign_and_supervision_pages(en, member, decision, name):
    en.force_login(member)

    assert en.get(url(name, decision)).status_code == 403


def test_pages_ask_a_visitor_to_sign_in(client, decision):
    response = client.get(url("decision_progress", decision))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_chair_without_two_step_verification_is_sent_to_set_it_up(
    en, make_person, committee, decision
):
    chair = make_person(committee, Role.CHAIR)
    en.force_login(chair)

    response = en.get(url("decision_assign", decision))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# Progress -------------------------------------------------------------------------------


def test_responsible_member_reports_progress_with_a_photo(en, assigned, member):
    en.force_login(member)

    response = en.post(
        url("decision_progress", assigned),
        {"text": "已更换3栋楼道灯。", "percent_done": "60", "photo": jpeg()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("decision_detail", assigned)
    html = response.content.decode()
    assert "Progress reported" in html
    assert "已更换3栋楼道灯。" in html
    update = ProgressUpdate.objects.get()
    assert update.photo.url in html
    assert Decision.objects.get().percent_done == 60


def test_progress_form_refuses_out_of_range_and_keeps_the_text(en, assigned, member):
    en.force_login(member)

    response = en.post(
        url("decision_progress", assigned), {"text": "进展顺利", "percent_done": "120"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "less than or equal to 100" in html
    assert "进展顺利" in html
    assert not ProgressUpdate.objects.exists()


def test_progress_form_refuses_a_file_that_is_not_a_photo(en, assigned, member):
    en.force_login(member)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")

    response = en.post(
        url("decision_progress", assigned),
        {"text": "见照片", "percent_done": "30", "photo": fake},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a JPEG, PNG or WebP photo" in html
    assert "Choose the photo again" in html
    assert not ProgressUpdate.objects.exists()


def test_member_who_is_not_responsible_cannot_report(en, make_person, committee, assigned):
    other = make_person(committee, Role.MEMBER, mfa=True)
    en.force_login(other)

    assert en.get(url("decision_progress", assigned)).status_code == 403


def test_progress_before_assignment_shows_why(en, chair, decision):
    en.force_login(chair)

    response = en.post(url("decision_progress", decision), {"text": "进展", "percent_done": "5"})

    assert response.status_code == 200
    assert "Progress is reported while the decision is being carried out" in (
        response.content.decode()
    )


# Supervision ----------------------------------------------------------------------------


def test_supervisor_comments_from_the_supervision_page(en, assigned, supervisor):
    en.force_login(supervisor)

    response = en.post(
        url("decision_supervise", assigned), {"text": "请张贴施工公告。"}, follow=True
    )

    assert "Your comment is on the decision" in response.content.decode()
    assert SupervisionNote.objects.get().by == supervisor


def test_supervisor_signs_off_from_the_sign_off_page(en, assigned, member, supervisor):
    progress_report(decision=assigned, by=member, text="全部完成", percent_done=100)
    en.force_login(supervisor)
    page = en.get(url("decision_sign_off", assigned)).content.decode()
    assert "全部完成" in page

    response = en.post(url("decision_sign_off", assigned), {"verdict": "sign_off"}, follow=True)

    assert "Signed off: the decision is carried out." in response.content.decode()
    assert Decision.objects.get().execution == Execution.COMPLETED


def test_supervisor_sends_back_and_an_empty_reason_is_refused(en, assigned, member, supervisor):
    progress_report(decision=assigned, by=member, text="全部完成", percent_done=100)
    en.force_login(supervisor)

    empty = en.post(url("decision_sign_off", assigned), {"verdict": "send_back", "reason": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()

    en.post(url("decision_sign_off", assigned), {"verdict": "send_back", "reason": "还缺5栋"})
    assert Decision.objects.get().execution == Execution.IN_PROGRESS


def test_signing_off_work_in_progress_shows_an_error(en, assigned, supervisor):
    en.force_login(supervisor)

    response = en.post(url("decision_sign_off", assigned), {"verdict": "sign_off"}, follow=True)

    assert "Only a decision reported done" in response.content.decode()
    assert Decision.objects.get().execution == Execution.IN_PROGRESS


# The panel ------------------------------------------------------------------------------


def test_residents_see_progress_read_only(en, assigned, member, resident):
    progress_report(decision=assigned, by=member, text="已更换3栋", percent_done=30)

    html = panel(assigned, resident)

    assert "已更换3栋" in html
    assert "李委员" in html  # the responsible member's real name: a public office
    assert 'value="30"' in html
    for name in ["decision_progress", "decision_assign", "decision_supervise"]:
        assert url(name, assigned) not in html


def test_panel_shows_each_role_its_buttons(assigned, chair, member, supervisor):
    assert url("decision_assign", assigned) in panel(assigned, chair)
    assert url("decision_progress", assigned) in panel(assigned, chair)
    assert url("decision_progress", assigned) in panel(assigned, member)
    assert url("decision_assign", assigned) not in panel(assigned, member)
    for_supervisor = panel(assigned, supervisor)
    assert url("decision_supervise", assigned) in for_supervisor
    assert url("decision_sign_off", assigned) not in for_supervisor  # not reported done
    progress_report(decision=assigned, by=member, text="完成", percent_done=100)
    assert url("decision_sign_off", assigned) in panel(assigned, supervisor)


def test_failed_decision_has_no_execution_panel(committee, chair):
    failed = make_decision(committee, chair, passed=False)

    assert "Carrying it out" not in panel(failed, chair)


def test_overdue_decision_is_flagged_on_the_decision_page(en, committee, chair, member):
    late = make_decision(
        committee,
        chair,
        responsible=member,
        due_on=TODAY - datetime.timedelta(days=2),
        execution=Execution.IN_PROGRESS,
    )

    html = en.get(url("decision_detail", late)).content.decode()

    assert "Overdue" in html
    assert "李委员" in html


def test_decision_due_in_future_is_not_flagged(assigned, chair):
    assert "Overdue" not in panel(assigned, chair)


def test_panel_queries_do_not_grow_with_the_timeline(assigned, member, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(user) -> int:
        user.__dict__.pop("_townhall_roles", None)
        user.__dict__.pop("_townhall_mfa", None)
        with CaptureQueriesContext(connection) as queries:
            panel(Decision.objects.get(pk=assigned.pk), user)
        return len(queries)

    SupervisionNote.objects.create(decision=assigned, by=supervisor, text="看过")
    for _ in range(2):
        progress_report(decision=assigned, by=member, text="进展", percent_done=10, photo=jpeg())
    few = count(supervisor)
    for _ in range(18):
        progress_report(decision=assigned, by=member, text="进展", percent_done=20, photo=jpeg())
    SupervisionNote.objects.create(decision=assigned, by=supervisor, text="再看")

    assert ProgressUpdate.objects.count() == 20
    assert count(supervisor) == few

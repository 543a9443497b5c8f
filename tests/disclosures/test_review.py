"""The supervision committee reviews each disclosure before it is published."""

import re

import pytest
from django.urls import reverse
from wagtail.models import WorkflowPage

from townhall.community.models import Role
from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.review import REVIEW_WORKFLOW_NAME
from townhall.ledger.models import LedgerEntry
from townhall.ledger.verification import ledger_verify

from ..conftest import give_totp
from ..factories import CommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft):
    """A draft that staff submitted for review."""
    staff = UserFactory(is_staff=True, is_superuser=True, real_name="周敏")
    page = draft()
    page.get_workflow().start(page, staff)
    return DisclosurePage.objects.get(pk=page.pk)


@pytest.fixture
def supervisor(make_person, committee):
    person = make_person(committee, Role.SUPERVISOR, real_name="赵德明")
    give_totp(person)
    return person


def pending_state(page):
    return page.current_workflow_state.current_task_state


def test_every_board_gets_the_supervision_review_workflow(board):
    assert WorkflowPage.objects.get(page=board).workflow.name == REVIEW_WORKFLOW_NAME


def test_supervisor_sees_the_submitted_disclosure_in_their_queue(client, supervisor, submitted):
    client.force_login(supervisor)

    response = client.get(reverse("disclosures:review_queue"))

    assert submitted.title in response.content.decode()


def test_supervisor_sees_the_draft_figures_before_approving(client, supervisor, submitted):
    client.force_login(supervisor)

    response = client.get(reverse("disclosures:review_detail", args=[pending_state(submitted).pk]))

    page = response.content.decode()
    assert "楼道照明维修" in page and "3799.50" in page


def test_approval_publishes_and_is_recorded_before_the_publication(client, supervisor, submitted):
    client.force_login(supervisor)

    response = client.post(
        reverse("disclosures:review_detail", args=[pending_state(submitted).pk]), {"approve": ""}
    )

    assert response.status_code == 302
    assert DisclosurePage.objects.get(pk=submitted.pk).live
    entries = list(LedgerEntry.objects.values_list("kind", "actor_id"))
    assert entries == [
        ("disclosure.review_approved", supervisor.pk),
        ("disclosure.published", supervisor.pk),
    ]
    assert ledger_verify().ok


def test_residents_see_who_reviewed_the_published_disclosure(client, supervisor, submitted):
    client.force_login(supervisor)
    client.post(
        reverse("disclosures:review_detail", args=[pending_state(submitted).pk]), {"approve": ""}
    )
    client.logout()
    client.cookies["django_language"] = "en"

    page = client.get(DisclosurePage.objects.get(pk=submitted.pk).url).content.decode()

    assert "Reviewed by the supervision committee on" in page
    assert "赵德明" in page


def test_requesting_changes_needs_a_comment_and_keeps_it_unpublished(client, supervisor, submitted):
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    url = reverse("disclosures:review_detail", args=[pending_state(submitted).pk])

    empty = client.post(url, {"reject": "", "comment": " "})
    assert "Say what needs to change" in empty.content.decode()

    sent_back = client.post(url, {"reject": "", "comment": "维修费金额与发票不符"})
    assert sent_back.status_code == 302
    page = DisclosurePage.objects.get(pk=submitted.pk)
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"
    entry = LedgerEntry.objects.get(kind="disclosure.review_changes_requested")
    assert "维修费金额与发票不符" in entry.payload


def test_supervisor_of_another_committee_can_neither_see_nor_approve(client, submitted):
    from ..factories import MembershipFactory

    outsider = UserFactory()
    MembershipFactory(person=outsider, committee=CommitteeFactory(), role=Role.SUPERVISOR)
    give_totp(outsider)
    client.force_login(outsider)

    queue = client.get(reverse("disclosures:review_queue")).content.decode()
    approve = client.post(
        reverse("disclosures:review_detail", args=[pending_state(submitted).pk]), {"approve": ""}
    )

    assert submitted.title not in queue
    assert approve.status_code == 403
    assert not DisclosurePage.objects.get(pk=submitted.pk).live


def test_staff_cannot_approve_their_own_disclosure(client, make_person, committee, submitted):
    staff = make_person(committee, Role.STAFF)
    give_totp(staff)
    client.force_login(staff)

    response = client.post(
        reverse("disclosures:review_detail", args=[pending_state(submitted).pk]), {"approve": ""}
    )

    assert response.status_code == 403


def test_supervisor_without_two_step_verification_is_sent_to_turn_it_on(
    client, make_person, committee, submitted
):
    supervisor = make_person(committee, Role.SUPERVISOR)
    client.force_login(supervisor)

    response = client.get(reverse("disclosures:review_queue"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_review_queue_queries_do_not_grow_with_the_waiting_disclosures(client, supervisor, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor)

    def submit(n):
        for i in range(n):
            page = draft(title=f"公示{n}-{i}")
            page.get_workflow().start(page, None)

    def queries_for_queue():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("disclosures:review_queue"))
        assert response.status_code == 200
        return len(queries)

    submit(1)
    one = queries_for_queue()
    submit(5)

    assert queries_for_queue() == one


def test_approving_asks_first_naming_the_disclosure_and_what_happens(client, supervisor, submitted):
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"

    page = client.get(
        reverse("disclosures:review_detail", args=[pending_state(submitted).pk])
    ).content.decode()

    approve = re.search(r'<button[^>]*name="approve"[^>]*>', page).group(0)
    assert f"Approving publishes “{submitted.title}” on the notice board at once." in approve
    assert 'data-confirm-yes="Approve and publish"' in approve
    reject = re.search(r'<button[^>]*name="reject"[^>]*>', page).group(0)
    assert "data-confirm" not in reject  # sending back can be undone: it does not ask
    assert "js/confirm.js" in page

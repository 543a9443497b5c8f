"""Who may do what with polls, as a table: every role × every action of
`voting.permissions.GRANTS`, through the gatekeeper and through the page that does it."""

import pytest
from django.urls import reverse

from townhall.community.models import Role
from townhall.community.permissions import Outcome
from voting.models import PaperEntry, Poll
from voting.permissions import GRANTS, Action, check

from ..factories import CommitteeFactory
from .conftest import choose

MFA_ROLES = {Role.MEMBER, Role.CHAIR, Role.SUPERVISOR, Role.STAFF}
ROLES = [
    Role.RESIDENT,
    Role.REPRESENTATIVE,
    Role.MEMBER,
    Role.CHAIR,
    Role.STAFF,
    Role.SUPERVISOR,
    Role.GRID_WORKER,
    "outsider",  # a resident of another committee
]

# The table as the law and the committee's rules give it; GRANTS must say the same.
EXPECTED = {
    Action.CREATE_POLL: {Role.STAFF, Role.CHAIR},
    Action.RUN_POLL: {Role.STAFF, Role.CHAIR},
    Action.CONFIRM_ENTRY: {Role.STAFF, Role.CHAIR, Role.MEMBER, Role.SUPERVISOR},
    Action.RECORD_PROXY: {Role.STAFF, Role.CHAIR},
    Action.AUDIT: {Role.STAFF, Role.CHAIR, Role.MEMBER, Role.SUPERVISOR},
}


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(Action) == set(GRANTS)
    assert {action: set(GRANTS[action]) for action in Action} == EXPECTED


@pytest.fixture
def person_with(make_person, committee, grid):
    def make(role: str, *, mfa: bool = True):
        if role == "outsider":
            return make_person(CommitteeFactory(), Role.RESIDENT)
        return make_person(committee, role, grid=grid, mfa=mfa and role in MFA_ROLES)

    return make


def _create_poll(client, poll):
    return client.get(reverse("voting:poll_new", args=[poll.committee_id])), None


def _run_poll(client, poll):
    return client.get(reverse("voting:poll_close", args=[poll.pk])), None


def _confirm_entry(client, poll):
    # Entered by the fixture's chair: whoever confirms is a second official.
    elector = poll.electors.first()
    entry = PaperEntry.objects.create(
        poll=poll,
        kind=PaperEntry.Kind.PAPER,
        electors=[elector.pk],
        ballots=[choose(poll, "yes")],
        entered_by=poll.created_by,
    )
    response = client.post(reverse("voting:paper_confirm", args=[poll.pk, entry.pk]))
    entry.refresh_from_db()
    return response, entry.confirmed_by_id is not None


def _record_proxy(client, poll):
    Poll.objects.filter(pk=poll.pk).update(proxies_allowed=True)
    response = client.get(reverse("voting:proxy_new", args=[poll.pk]))
    # Residents of the electorate may give their own vote; only the office types in
    # someone else's signed form.
    return response, 'name="grantor_phone"' in response.content.decode()


def _audit(client, poll):
    return client.get(reverse("voting:poll_audit", args=[poll.pk])), None


PAGES = {
    Action.CREATE_POLL: _create_poll,
    Action.RUN_POLL: _run_poll,
    Action.CONFIRM_ENTRY: _confirm_entry,
    Action.RECORD_PROXY: _record_proxy,
    Action.AUDIT: _audit,
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLES)
def test_role_may_or_may_not(client, open_poll, residents, committee, person_with, role, action):
    person = person_with(role)
    poll = open_poll()  # after the person: a resident is then in its electorate
    allowed = role in GRANTS[action]
    client.force_login(person)

    response, done = PAGES[action](client, poll)

    assert bool(check(person, action, committee)) is allowed
    if allowed:
        assert response.status_code in (200, 302)
        assert done in (None, True)
    elif action == Action.RECORD_PROXY and role == Role.RESIDENT:
        assert response.status_code == 200  # their own proxy, not the office's form
        assert done is False
    else:
        assert response.status_code == 403
        assert done in (None, False)


@pytest.mark.parametrize(
    ("role", "action"),
    [(role, action) for action in Action for role in sorted(GRANTS[action] & MFA_ROLES)],
)
def test_a_granted_role_without_two_step_verification_is_sent_to_set_it_up(
    client, open_poll, residents, committee, person_with, role, action
):
    person = person_with(role, mfa=False)
    poll = open_poll()
    client.force_login(person)

    response, done = PAGES[action](client, poll)

    assert check(person, action, committee).outcome is Outcome.NEEDS_MFA
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert done in (None, False)

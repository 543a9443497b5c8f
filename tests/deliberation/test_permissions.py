"""Who may do what in opinion collection and topic discussion: role × action, against a
table written out here, not read from the code it checks."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from deliberation.permissions import Action, check
from townhall.community.models import Role
from townhall.community.permissions import Outcome

from ..factories import CommitteeFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# One row per action; Y: a person holding only that role in the committee may do it.
EXPECTED = """
action                  resident  representative  member  chair  supervisor  staff  grid_worker
submit                  Y         .               .       .      .           .      .
second                  Y         .               .       .      .           .      .
report                  Y         .               .       .      .           .      .
comment                 Y         .               .       .      .           .      .
sign                    Y         Y               .       .      .           .      .
record_on_behalf        .         .               .       .      .           Y      Y
see_recorder            .         .               Y       Y      Y           Y      Y
handle_opinion          .         .               Y       Y      .           Y      .
moderate                .         .               .       .      .           Y      .
run_collection_meeting  .         .               Y       Y      .           Y      .
manage_topic            .         .               Y       Y      .           Y      .
record_party_review     .         .               .       Y      .           Y      .
petition                Y         Y               .       .      .           .      .
convene                 .         .               .       Y      .           Y      .
run_meeting             .         .               .       Y      .           Y      .
write_minutes           .         .               Y       Y      .           Y      .
approve_minutes_as_chair .        .               .       Y      .           .      .
supervise               .         .               .       .      Y           .      .
assign_execution        .         .               .       Y      .           Y      .
report_progress         .         .               Y       Y      .           Y      .
"""

# Roles whose holders must turn on two-step verification (settings default).
NEEDS_TOTP = {Role.MEMBER, Role.CHAIR, Role.SUPERVISOR, Role.STAFF}


def expected_cells():
    header, *rows = EXPECTED.strip().splitlines()
    roles = header.split()[1:]
    for row in rows:
        action, *marks = row.split()
        for role, mark in zip(roles, marks, strict=True):
            yield Action(action), Role(role), mark == "Y"


CELLS = list(expected_cells())


def test_the_table_covers_every_role_and_every_action():
    assert {(action, role) for action, role, _ in CELLS} == {
        (action, role) for action in Action for role in Role
    }


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    CELLS,
    ids=[f"{role}-{'may' if allowed else 'may_not'}-{action}" for action, role, allowed in CELLS],
)
def test_role_may_or_may_not_do_action(make_person, committee, action, role, allowed):
    person = make_person(committee, role, mfa=role in NEEDS_TOTP)

    decision = check(person, action, committee)

    assert bool(decision) is allowed
    assert decision.outcome is (Outcome.ALLOWED if allowed else Outcome.DENIED)


STAFF_ACTIONS = [action for action, role, allowed in CELLS if role == Role.STAFF and allowed]


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_staff_without_totp_is_asked_to_turn_it_on(make_person, committee, action):
    staff = make_person(committee, Role.STAFF)

    decision = check(staff, action, committee)

    assert not decision
    assert decision.outcome is Outcome.NEEDS_MFA


def test_staff_who_is_also_a_resident_takes_part_without_totp(make_person, committee):
    person = make_person(committee, Role.STAFF, Role.RESIDENT)

    assert check(person, Action.SUBMIT, committee)
    assert check(person, Action.HANDLE_OPINION, committee).outcome is Outcome.NEEDS_MFA


@pytest.mark.parametrize("action", list(Action))
def test_resident_of_another_committee_is_denied(make_person, committee, action):
    elsewhere = make_person(CommitteeFactory(), Role.RESIDENT, Role.STAFF, mfa=True)

    assert check(elsewhere, action, committee).outcome is Outcome.DENIED


@pytest.mark.parametrize("action", list(Action))
def test_signed_out_visitor_is_denied(committee, action):
    assert check(AnonymousUser(), action, committee).outcome is Outcome.DENIED


def test_a_former_role_no_longer_counts(make_person, committee):
    person = make_person(committee, Role.RESIDENT)
    person.memberships.update(
        start=date.today() - timedelta(days=400), end=date.today() - timedelta(days=1)
    )

    assert check(person, Action.SUBMIT, committee).outcome is Outcome.DENIED

"""Who may do what in a residents' committee: the role × action table, with and without MFA."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.conftest import give_totp
from tests.factories import CommitteeFactory, MembershipFactory, UserFactory
from townhall.community.models import Role
from townhall.community.permissions import Action, Outcome, check, decide

# The policy as it reads: which roles each action is granted to.
GRANTED_TO = {
    Action.TAKE_PART: {Role.RESIDENT},
    Action.VERIFY_RESIDENT: {Role.GRID_WORKER, Role.STAFF},
    Action.REGISTER_ON_BEHALF: {Role.GRID_WORKER, Role.STAFF},
    Action.SEE_RESIDENT_REGISTER: {Role.GRID_WORKER, Role.STAFF, Role.CHAIR, Role.MEMBER},
    Action.MANAGE_STRUCTURE: {Role.STAFF, Role.CHAIR},
}

# Roles that must turn on TOTP before acting in them (TOWNHALL_MFA_REQUIRED_ROLES).
NEEDS_TOTP = {Role.MEMBER, Role.CHAIR, Role.SUPERVISOR, Role.STAFF}
MFA_ROLES = frozenset(str(role) for role in NEEDS_TOTP)


def expected_outcome(role: Role, action: Action, *, has_mfa: bool) -> Outcome:
    if role not in GRANTED_TO[action]:
        return Outcome.DENIED
    if role in NEEDS_TOTP and not has_mfa:
        return Outcome.NEEDS_MFA
    return Outcome.ALLOWED


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The factories set a password; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


MATRIX = [
    pytest.param(
        role, action, has_mfa, id=f"{role.value}-{action.value}-{'mfa' if has_mfa else 'no-mfa'}"
    )
    for role in Role
    for action in Action
    for has_mfa in (False, True)
]


def test_mfa_policy_in_settings_matches_this_table(settings):
    assert frozenset(settings.TOWNHALL_MFA_REQUIRED_ROLES) == MFA_ROLES


def test_every_action_is_in_the_table():
    assert set(Action) == set(GRANTED_TO)


@pytest.mark.parametrize(("role", "action", "has_mfa"), MATRIX)
def test_decide_follows_the_role_action_table(role, action, has_mfa):
    decision = decide(
        action=action, roles=frozenset({role.value}), has_mfa=has_mfa, mfa_roles=MFA_ROLES
    )

    assert decision.outcome is expected_outcome(role, action, has_mfa=has_mfa)
    assert bool(decision) is (decision.outcome is Outcome.ALLOWED)


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
@pytest.mark.parametrize("has_mfa", [False, True], ids=["no-mfa", "mfa"])
def test_decide_denies_someone_with_no_role(action, has_mfa):
    decision = decide(action=action, roles=frozenset(), has_mfa=has_mfa, mfa_roles=MFA_ROLES)

    assert decision.outcome is Outcome.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "has_mfa"), MATRIX)
def test_check_follows_the_role_action_table(role, action, has_mfa, committee):
    person = UserFactory()
    MembershipFactory(person=person, committee=committee, role=role)
    if has_mfa:
        give_totp(person)

    decision = check(person, action, committee)

    assert decision.outcome is expected_outcome(role, action, has_mfa=has_mfa)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_roles_in_another_committee_grant_nothing_here(action, committee):
    elsewhere = CommitteeFactory()
    person = UserFactory()
    for role in Role:
        MembershipFactory(person=person, committee=elsewhere, role=role)
    give_totp(person)

    assert check(person, action, elsewhere).outcome is Outcome.ALLOWED
    assert check(person, action, committee).outcome is Outcome.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_expired_membership_grants_nothing(action, committee):
    today = timezone.localdate()
    person = UserFactory()
    for role in Role:
        MembershipFactory(
            person=person,
            committee=committee,
            role=role,
            start=today - timedelta(days=5 * 365),
            end=today - timedelta(days=1),
        )
    give_totp(person)

    assert check(person, action, committee).outcome is Outcome.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_membership_starting_tomorrow_grants_nothing_yet(action, committee):
    person = UserFactory()
    for role in Role:
        MembershipFactory(
            person=person,
            committee=committee,
            role=role,
            start=timezone.localdate() + timedelta(days=1),
        )
    give_totp(person)

    assert check(person, action, committee).outcome is Outcome.DENIED


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_membership_ending_today_still_counts(action, committee):
    today = timezone.localdate()
    person = UserFactory()
    for role in Role:
        MembershipFactory(person=person, committee=committee, role=role, start=today, end=today)
    give_totp(person)

    assert check(person, action, committee).outcome is Outcome.ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_anonymous_visitor_is_denied_everything(action, committee):
    assert check(AnonymousUser(), action, committee).outcome is Outcome.DENIED


@pytest.mark.django_db
def test_staff_member_who_is_also_a_resident_takes_part_without_mfa(make_person, committee):
    person = make_person(committee, Role.STAFF, Role.RESIDENT)

    assert check(person, Action.TAKE_PART, committee).outcome is Outcome.ALLOWED
    assert check(person, Action.VERIFY_RESIDENT, committee).outcome is Outcome.NEEDS_MFA


@pytest.mark.django_db
def test_grid_worker_who_is_also_a_member_sees_register_without_mfa(make_person, committee):
    person = make_person(committee, Role.GRID_WORKER, Role.MEMBER)

    assert check(person, Action.SEE_RESIDENT_REGISTER, committee).outcome is Outcome.ALLOWED
    assert check(person, Action.MANAGE_STRUCTURE, committee).outcome is Outcome.DENIED


@pytest.mark.django_db
def test_chair_with_totp_manages_structure(make_person, committee):
    chair = make_person(committee, Role.CHAIR, mfa=True)

    assert check(chair, Action.MANAGE_STRUCTURE, committee)

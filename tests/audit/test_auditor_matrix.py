"""Every role × every act across the apps: auditors read all of their committee's
records and change nothing but their own reviews and findings."""

import pytest

from townhall.audit import permissions as audit
from townhall.community import permissions as community
from townhall.community.models import Role
from townhall.disclosures import permissions as disclosures

from ..conftest import give_totp

pytestmark = pytest.mark.django_db

ACTS = {
    "verify a resident": (community, community.Action.VERIFY_RESIDENT),
    "register on behalf": (community, community.Action.REGISTER_ON_BEHALF),
    "manage structure, record charter versions": (community, community.Action.MANAGE_STRUCTURE),
    "take part as a resident": (community, community.Action.TAKE_PART),
    "review a disclosure": (disclosures, disclosures.Action.REVIEW),
    "query a disclosure": (disclosures, disclosures.Action.QUERY),
    "answer a query": (disclosures, disclosures.Action.ANSWER),
    "open the supervision workspace": (audit, audit.Action.OPEN_WORKSPACE),
    "raise a finding": (audit, audit.Action.RAISE_FINDING),
    "respond to a finding": (audit, audit.Action.RESPOND_TO_FINDING),
    "close a finding": (audit, audit.Action.CLOSE_FINDING),
}

# The policy, written out: who may do each act (with two-step verification where the
# role needs it).
MAY = {
    Role.SUPERVISOR: {
        "review a disclosure",
        "open the supervision workspace",
        "raise a finding",
        "close a finding",
    },
    Role.STAFF: {
        "verify a resident",
        "register on behalf",
        "manage structure, record charter versions",
        "answer a query",
        "open the supervision workspace",
        "respond to a finding",
    },
    Role.CHAIR: {
        "manage structure, record charter versions",
        "answer a query",
        "open the supervision workspace",
        "respond to a finding",
    },
    Role.MEMBER: {"answer a query", "respond to a finding"},
    Role.GRID_WORKER: {"verify a resident", "register on behalf"},
    Role.REPRESENTATIVE: set(),
    Role.RESIDENT: {"take part as a resident", "query a disclosure"},
}


@pytest.mark.parametrize("role", list(MAY), ids=str)
@pytest.mark.parametrize("act", list(ACTS), ids=str)
def test_role_may_do_exactly_what_the_policy_says(make_person, committee, role, act):
    person = make_person(committee, role)
    give_totp(person)
    module, action = ACTS[act]

    allowed = bool(module.check(person, action, committee))

    assert allowed is (act in MAY[role])


def test_an_auditor_has_no_cms_editing_rights(make_person, committee, wagtail_site):
    auditor = make_person(committee, Role.SUPERVISOR)
    give_totp(auditor)

    permissions = wagtail_site.permissions_for_user(auditor)

    assert not permissions.can_edit()
    assert not permissions.can_publish()
    assert not auditor.has_perm("wagtailadmin.access_admin")

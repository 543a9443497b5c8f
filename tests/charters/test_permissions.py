"""The rule for recording charter versions, beyond what the views' role table shows."""

import pytest
from django.contrib.auth.models import AnonymousUser

from townhall.charters.models import CharterKind, CharterPage
from townhall.charters.permissions import charter_version_record_check
from townhall.community.models import Role
from townhall.community.permissions import Outcome

pytestmark = pytest.mark.django_db


def test_nobody_signed_out_may_record(charter):
    assert charter_version_record_check(AnonymousUser(), charter).outcome is Outcome.DENIED


def test_a_charter_outside_any_committees_index_takes_no_versions(
    wagtail_site, make_person, committee
):
    stray = wagtail_site.add_child(
        instance=CharterPage(title="孤立章程", slug="stray", kind=CharterKind.CONVENTION)
    )
    staff = make_person(committee, Role.STAFF, mfa=True)

    assert charter_version_record_check(staff, stray).outcome is Outcome.DENIED


def test_the_chair_of_the_charters_committee_may_record(charter, make_person, committee):
    chair = make_person(committee, Role.CHAIR, mfa=True)

    assert charter_version_record_check(chair, charter).outcome is Outcome.ALLOWED

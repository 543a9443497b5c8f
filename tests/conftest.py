import pytest
from allauth.mfa.models import Authenticator

from townhall.accounts import sms
from townhall.community.models import Role

from .factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def grid(committee):
    return GridFactory(committee=committee)


@pytest.fixture
def make_person(db):
    """A person holding the given roles in a committee; `mfa=True` turns on TOTP."""

    def make(committee, *roles: str, mfa: bool = False, grid=None, **fields):
        person = UserFactory(**fields)
        for role in roles:
            MembershipFactory(person=person, committee=committee, role=role, grid=grid)
        if mfa:
            give_totp(person)
        return person

    return make


def give_totp(person):
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


@pytest.fixture
def grid_worker(make_person, committee, grid):
    return make_person(committee, Role.GRID_WORKER, grid=grid)


@pytest.fixture
def resident(make_person, committee, grid):
    return make_person(committee, Role.RESIDENT, grid=grid)

import pytest

from townhall.community.models import Role

from .factories import OpinionFactory


@pytest.fixture
def staff(make_person, committee):
    """Community staff with two-step verification on, as their role requires."""
    return make_person(committee, Role.STAFF, mfa=True)


@pytest.fixture
def chair(make_person, committee):
    return make_person(committee, Role.CHAIR, mfa=True)


@pytest.fixture
def opinion(committee, grid, resident):
    return OpinionFactory(committee=committee, grid=grid, author=resident)

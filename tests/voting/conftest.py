"""Shared voting fixtures: officials with two-step verification, residents, and polls
made and opened through the services as a chair would."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from townhall.community.models import Role
from voting import services
from voting.models import Option, Poll


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chair(make_person, committee):
    return make_person(committee, Role.CHAIR, mfa=True)


@pytest.fixture
def staff(make_person, committee):
    return make_person(committee, Role.STAFF, mfa=True)


@pytest.fixture
def residents(make_person, committee, grid):
    """Five verified residents of the committee."""
    return [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(5)]


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)


@pytest.fixture
def make_poll(committee, chair):
    """`make_poll(**fields)`: a draft through `poll_create`, by default a committee's
    yes / no / abstain consultation of its verified residents, closing in a day."""

    def make(**fields):
        values = {
            "committee": committee,
            "by": chair,
            "title": "是否同意在3号楼加装电梯",
            "method": Poll.Method.YES_NO,
            "closes_at": in_hours(24),
            "electorate": Poll.Electorate.RESIDENTS,
            "base": Poll.Base.CAST,
        }
        return services.poll_create(**{**values, **fields})

    return make


@pytest.fixture
def open_poll(make_poll, chair):
    """`open_poll(**fields)`: `make_poll`, then opened by the chair."""

    def make(**fields):
        return services.poll_open(poll=make_poll(**fields), by=chair)

    return make


@pytest.fixture
def poll(open_poll, residents):
    """An open secret yes / no / abstain poll of the five residents."""
    return open_poll()


def option_id(poll: Poll, code: str = "", label: str = "") -> int:
    options = Option.objects.filter(poll=poll)
    return (options.get(code=code) if code else options.get(label=label)).pk


def choose(poll: Poll, code: str) -> dict:
    """The content of a yes / no / abstain ballot."""
    return {"options": [option_id(poll, code)]}


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' refusals are asserted in English; pages choose their own language per
    request, and what is stored for the public (results) is in the site's language."""
    with translation.override("en"):
        yield

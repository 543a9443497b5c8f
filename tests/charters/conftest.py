from datetime import date

import pytest

from townhall.charters.models import CharterIndexPage, CharterKind, CharterPage
from townhall.charters.services import charter_version_adopt
from townhall.community.models import Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def index(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=CharterIndexPage(title="章程制度", slug="zhangcheng", committee=committee)
    )


@pytest.fixture
def make_charter(index):
    def make(kind=CharterKind.SELF_GOVERNANCE, title="居民自治章程", **fields):
        slug = fields.pop("slug", kind.replace("_", "-"))
        return index.add_child(instance=CharterPage(title=title, slug=slug, kind=kind, **fields))

    return make


@pytest.fixture
def charter(make_charter):
    return make_charter()


@pytest.fixture
def staff(make_person, committee):
    return make_person(committee, Role.STAFF, mfa=True)


@pytest.fixture
def adopt(staff):
    """Record a version as the committee's staff; dates default to the effective day."""

    def record(page, text, effective_from=date(2026, 1, 1), adopted_on=None, **fields):
        return charter_version_adopt(
            page=page,
            text=text,
            effective_from=effective_from,
            adopted_on=adopted_on or effective_from,
            adoption_reference=fields.pop("adoption_reference", "2026年第1次居民会议决议"),
            by=fields.pop("by", staff),
        )

    return record

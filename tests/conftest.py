import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from townhall.accounts import sms
from townhall.community.models import Role

from .factories import CommitteeFactory, GridFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    # Production serves hashed names from collectstatic's manifest; tests do not run
    # collectstatic, so they resolve static files from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_outbox_and_cache():
    # The cache holds allauth's rate-limit counters: each test starts with none used.
    cache.clear()
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


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def give_totp(person):
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )


@pytest.fixture
def grid_worker(make_person, committee, grid):
    return make_person(committee, Role.GRID_WORKER, grid=grid)


@pytest.fixture
def resident(make_person, committee, grid):
    return make_person(committee, Role.RESIDENT, grid=grid)


@pytest.fixture
def wagtail_site(db):
    """The Wagtail page tree (root, home page, default Site) that the data migration
    made. Transactional tests flush it away, so they ask for it here."""
    from wagtail.models import Collection, Locale, Page, Site

    from townhall.cms.models import HomePage

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="议事厅", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home

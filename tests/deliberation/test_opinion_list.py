"""The public list of a committee's opinions: anyone may read it; filters, sorting and
pages; hidden items show the moderators' reason; a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.opinions.models import Category, Status
from tests.deliberation.factories import OpinionFactory
from townhall.community.models import Role

from ..factories import CommitteeFactory, GridFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def list_url(committee):
    return reverse("deliberation:opinion_list", args=[committee.slug])


def titles(response):
    return [opinion.title for opinion in response.context["page"].object_list]


def test_signed_out_visitor_reads_the_list_with_public_names(en, committee, grid, resident):
    OpinionFactory(committee=committee, grid=grid, author=resident, title="小区门口积水")
    OpinionFactory(committee=CommitteeFactory(), title="别的居委会")

    response = en.get(list_url(committee))

    html = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == ["小区门口积水"]
    assert resident.display_name in html
    assert resident.real_name not in html
    assert "Submit an opinion" not in html
    assert "Sign in to submit or second an opinion." in html


def test_filters_by_status_category_and_grid(en, committee, grid):
    other_grid = GridFactory(committee=committee)
    OpinionFactory(committee=committee, grid=grid, title="停车", category=Category.PARKING)
    OpinionFactory(committee=committee, grid=other_grid, title="别的网格停车", category="parking")
    OpinionFactory(committee=committee, grid=grid, title="垃圾", category=Category.ENVIRONMENT)
    OpinionFactory(
        committee=committee,
        grid=grid,
        title="已答复",
        category="parking",
        status=Status.ANSWERED,
        reply="已划线。",
    )

    by_category_and_grid = en.get(list_url(committee), {"category": "parking", "grid": grid.pk})
    by_status = en.get(list_url(committee), {"status": "answered"})

    assert sorted(titles(by_category_and_grid)) == ["停车", "已答复"]
    assert titles(by_status) == ["已答复"]


def test_sorts_by_newest_and_by_most_seconded(en, committee, grid):
    old = OpinionFactory(committee=committee, grid=grid, title="旧的", seconds_count=9)
    OpinionFactory(committee=committee, grid=grid, title="新的", seconds_count=2)
    old.submitted_at = timezone.now() - timezone.timedelta(days=3)
    old.save()

    assert titles(en.get(list_url(committee))) == ["新的", "旧的"]
    assert titles(en.get(list_url(committee), {"sort": "seconds"})) == ["旧的", "新的"]


def test_unknown_filter_values_show_everything_instead_of_failing(en, committee, grid):
    OpinionFactory(committee=committee, grid=grid)

    response = en.get(
        list_url(committee), {"status": "nope", "grid": "x", "sort": "drop", "page": "999"}
    )

    assert response.status_code == 200
    assert len(titles(response)) == 1


def test_pages_of_twenty_with_links_that_keep_the_filters(en, committee, grid):
    for _ in range(25):
        OpinionFactory(committee=committee, grid=grid, category=Category.SAFETY)

    first = en.get(list_url(committee), {"category": "safety", "sort": "seconds"})
    second = en.get(list_url(committee), {"category": "safety", "sort": "seconds", "page": 2})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    html = first.content.decode()
    assert "?category=safety&amp;sort=seconds&amp;page=2" in html
    assert "25 opinions" in html
    assert "Page 1 of 2" in html


def test_hidden_opinion_shows_the_moderators_reason_instead_of_its_title(
    en, committee, grid, resident
):
    OpinionFactory(
        committee=committee,
        grid=grid,
        title="某某是骗子",
        hidden_at=timezone.now(),
        hidden_reason="人身攻击",
    )

    html = en.get(list_url(committee)).content.decode()

    assert "Hidden by moderators: 人身攻击" in html
    assert "某某是骗子" not in html


def test_author_still_sees_the_title_of_their_hidden_opinion(en, committee, grid, resident):
    OpinionFactory(
        committee=committee,
        grid=grid,
        author=resident,
        title="我的意见",
        hidden_at=timezone.now(),
        hidden_reason="含电话号码",
    )
    en.force_login(resident)

    assert "我的意见" in en.get(list_url(committee)).content.decode()


def test_resident_sees_submit_and_grid_worker_sees_record(en, committee, resident, grid_worker):
    en.force_login(resident)
    html = en.get(list_url(committee)).content.decode()
    assert "Submit an opinion" in html
    assert "Record for a resident" not in html

    en.force_login(grid_worker)
    html = en.get(list_url(committee)).content.decode()
    assert "Record for a resident" in html
    assert "Submit an opinion" not in html


@pytest.mark.parametrize("viewer", ["signed_out", "resident", "grid_worker"])
def test_query_count_does_not_grow_with_the_opinions_shown(
    en, committee, resident, grid_worker, viewer
):
    if viewer != "signed_out":
        en.force_login({"resident": resident, "grid_worker": grid_worker}[viewer])

    def make(count):
        for n in range(count):
            OpinionFactory(
                committee=committee,
                grid=GridFactory(committee=committee),
                recorded_by=grid_worker if n % 2 else None,
                hidden_at=timezone.now() if n % 3 == 0 else None,
                hidden_reason="理由" if n % 3 == 0 else "",
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = en.get(list_url(committee), {"sort": "seconds"})
        assert response.status_code == 200
        return len(response.context["page"].object_list), len(captured)

    make(3)
    shown_few, few = queries()
    make(17)
    shown_many, many = queries()

    assert (shown_few, shown_many) == (3, 20)
    assert few == many


def test_a_committee_that_does_not_exist_is_not_found(en, db):
    assert en.get(reverse("deliberation:opinion_list", args=["nowhere"])).status_code == 404


def test_roles_do_not_change_what_the_list_counts(en, make_person, committee, grid):
    staff = make_person(committee, Role.STAFF, mfa=True)
    OpinionFactory(committee=committee, grid=grid)
    en.force_login(staff)

    assert len(titles(en.get(list_url(committee)))) == 1

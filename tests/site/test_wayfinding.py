"""Every person finds the tools their roles give them from the home page and 我的, with
what waits there; the 我的社区 tab and the home page's 提意见 lead to the right place."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings.dashboard import committee_dashboard
from tests.conftest import give_totp
from tests.deliberation.factories import OpinionFactory
from tests.factories import GridFactory, MembershipFactory, ResidencyFactory
from townhall.cms.wayfinding import tools_for
from townhall.community import services as community_services
from townhall.community.models import Residency, Role
from townhall.disclosures.cms_access import editors_group
from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def board(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(
            title="居务公开栏", slug=f"board-{committee.pk}", committee=committee
        )
    )


def draft_on(board, title="2026年10月社区经费收支", submit_by=None):
    page = board.add_child(
        instance=DisclosurePage(
            title=title,
            live=False,
            category="funds",
            period_start="2026-10-01",
            period_end="2026-10-31",
            body="<p>十月经费收支。</p>",
            shown_from="2026-11-01",
            shown_until="2026-11-30",
        )
    )
    page.save_revision()
    if submit_by is not None:
        page.get_workflow().start(page, submit_by)
    return page


def tools(person) -> dict[str, list]:
    found: dict[str, list] = {}
    for tool in tools_for(person):
        found.setdefault(tool.key, []).append(tool)
    return found


# What each role is given -------------------------------------------------------------


def test_grid_worker_gets_the_queue_with_the_claims_waiting_and_their_own_records(
    grid_worker, committee, grid
):
    ResidencyFactory(committee=committee, grid=grid)
    ResidencyFactory(committee=committee, grid=grid)
    community_services.resident_register_assisted(
        by=grid_worker, committee=committee, grid=grid, address="1栋101", real_name="王秀英"
    )
    OpinionFactory(committee=committee, grid=grid, recorded_by=grid_worker)

    found = tools(grid_worker)

    assert [t.count for t in found["verify"]] == [2]
    assert found["verify"][0].url == reverse("community:verify", args=[committee.slug])
    assert found["registered"][0].count == 1
    assert found["recorded"][0].count == 1
    assert not {"dashboard", "audit", "cms"} & found.keys()


def test_resident_has_no_tools(resident):
    assert tools_for(resident) == []


def test_chair_gets_the_dashboard_counting_what_it_lists(make_person, committee, grid):
    chair = make_person(committee, Role.CHAIR, mfa=True)
    ResidencyFactory(committee=committee, grid=grid)

    found = tools(chair)

    [dashboard_tool] = found["dashboard"]
    assert dashboard_tool.url == reverse("deliberation:committee_dashboard", args=[committee.slug])
    assert dashboard_tool.count == committee_dashboard(committee).warning_count > 0
    assert "verify" not in found


def test_supervisor_gets_the_workspace_counting_disclosures_in_review(
    make_person, committee, board
):
    supervisor = make_person(committee, Role.SUPERVISOR, mfa=True)
    staff = make_person(committee, Role.STAFF, mfa=True)
    draft_on(board, "十月经费", submit_by=staff)
    draft_on(board, "九月经费")  # a draft nobody submitted is not in review

    found = tools(supervisor)

    assert found["audit"][0].url == reverse("audit:workspace")
    assert found["audit"][0].count == 1
    assert "dashboard" in found


def test_staff_get_the_workspace_without_counting_reviews_that_wait_for_supervisors(
    make_person, committee, board
):
    staff = make_person(committee, Role.STAFF, mfa=True)
    draft_on(board, "十月经费", submit_by=staff)

    [workspace] = tools(staff)["audit"]

    assert workspace.count is None


def test_what_a_grid_worker_did_elsewhere_is_not_counted_as_theirs_here(
    make_person, committee, grid
):
    worker = make_person(committee, Role.GRID_WORKER, grid=grid)
    community_services.resident_register_assisted(
        by=worker, committee=committee, grid=grid, address="1栋101", real_name="王秀英"
    )
    OpinionFactory(committee=committee, grid=grid, recorded_by=worker)
    elsewhere = GridFactory()
    MembershipFactory(person=worker, committee=elsewhere.committee, role=Role.GRID_WORKER)
    worker.memberships.filter(committee=committee).update(start="2019-01-01", end="2020-01-01")

    found = tools(worker)

    assert (found["registered"][0].count, found["recorded"][0].count) == (0, 0)


def test_staff_who_may_draft_get_the_cms_counting_drafts_not_yet_submitted(
    make_person, committee, board
):
    staff = make_person(committee, Role.STAFF, mfa=True)
    draft_on(board, "十月经费", submit_by=staff)
    draft_on(board, "九月经费")
    assert "cms" not in tools(staff)  # staff without CMS access are not offered it

    staff.groups.add(editors_group())
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per object

    [cms] = tools(staff)["cms"]
    assert cms.url == reverse("wagtailadmin_home")
    assert cms.count == 1


def test_tools_cost_a_fixed_number_of_queries(make_person, committee, grid, board):
    staff = make_person(committee, Role.STAFF)
    give_totp(staff)
    staff.groups.add(editors_group())

    def count() -> int:
        person = type(staff).objects.get(pk=staff.pk)
        with CaptureQueriesContext(connection) as queries:
            tools_for(person)
        return len(queries)

    few = count()
    for index in range(4):
        ResidencyFactory(committee=committee, grid=grid)
        OpinionFactory(committee=committee, grid=grid, recorded_by=staff)
        draft_on(board, f"草稿{index}")
        draft_on(board, f"送审{index}", submit_by=staff)

    assert count() == few


# The pages ---------------------------------------------------------------------------


def test_home_page_and_me_show_the_same_tools(en, grid_worker, committee, grid, wagtail_site):
    ResidencyFactory(committee=committee, grid=grid)
    en.force_login(grid_worker)
    verify_url = reverse("community:verify", args=[committee.slug])

    for url in ("/", reverse("accounts:profile")):
        page = en.get(url).content.decode()
        assert "My work" in page
        assert f'href="{verify_url}"' in page
        assert "1 waiting" in page
        assert reverse("community:registered") in page
        assert reverse("deliberation:opinions_recorded") in page


def test_residents_home_page_has_no_tools_section(en, resident, wagtail_site):
    en.force_login(resident)

    assert "My work" not in en.get("/").content.decode()


# The 我的社区 tab and 提意见 ------------------------------------------------------------


def test_my_community_tab_takes_a_verified_resident_to_their_committee(client, resident, committee):
    client.force_login(resident)

    response = client.get(reverse("community:mine"))

    assert response["Location"] == reverse("community:committee", args=[committee.slug])


def test_my_community_tab_takes_someone_unverified_to_the_claim_form(
    client, make_person, committee, grid
):
    person = make_person(committee)
    ResidencyFactory(person=person, committee=committee, grid=grid)  # still pending
    client.force_login(person)

    response = client.get(reverse("community:mine"))

    assert response["Location"] == reverse("community:claim")


def test_the_tab_links_to_my_community(client, resident, wagtail_site):
    client.force_login(resident)

    assert f'href="{reverse("community:mine")}"' in client.get("/").content.decode()


def test_home_page_offers_an_opinion_to_a_signed_out_person_through_sign_in(en, wagtail_site):
    page = en.get("/").content.decode()

    assert f"{reverse('account_login')}?next=%2Fcommittees%2Fmine%2Fopinion%2F" in page


def test_give_an_opinion_leads_a_resident_to_their_committees_form(client, resident, committee):
    client.force_login(resident)

    response = client.get(reverse("community:my_opinion"))

    assert response["Location"] == reverse("deliberation:opinion_submit", args=[committee.slug])


def test_give_an_opinion_leads_someone_unverified_to_the_claim_form(client, make_person, committee):
    client.force_login(make_person(committee))

    assert client.get(reverse("community:my_opinion"))["Location"] == reverse("community:claim")


# Residents I registered, opinions I recorded ----------------------------------------


def test_grid_worker_sees_the_residents_they_registered_and_nobody_elses(
    en, grid_worker, make_person, committee, grid
):
    community_services.resident_register_assisted(
        by=grid_worker, committee=committee, grid=grid, address="1栋101", real_name="王秀英"
    )
    other = make_person(committee, Role.GRID_WORKER, grid=grid)
    community_services.resident_register_assisted(
        by=other, committee=committee, grid=grid, address="2栋202", real_name="李建国"
    )
    en.force_login(grid_worker)

    page = en.get(reverse("community:registered")).content.decode()

    assert "王秀英" in page and "1栋101" in page
    assert "李建国" not in page


def test_a_former_grid_worker_no_longer_sees_the_register(en, make_person, committee, grid):
    worker = make_person(committee, Role.GRID_WORKER, grid=grid)
    community_services.resident_register_assisted(
        by=worker, committee=committee, grid=grid, address="1栋101", real_name="王秀英"
    )
    worker.memberships.update(end="2020-01-01", start="2019-01-01")
    en.force_login(worker)

    assert "王秀英" not in en.get(reverse("community:registered")).content.decode()


def test_grid_worker_sees_the_opinions_they_recorded(en, grid_worker, committee, grid):
    mine = OpinionFactory(committee=committee, grid=grid, recorded_by=grid_worker, title="路灯")
    OpinionFactory(committee=committee, grid=grid, title="别人的")
    en.force_login(grid_worker)

    page = en.get(reverse("deliberation:opinions_recorded")).content.decode()

    assert reverse("deliberation:opinion_detail", args=[mine.pk]) in page
    assert "别人的" not in page


# The claim form: the committee first, then only its grids ------------------------------


def grid_options(page: str) -> set[str]:
    select = page[page.index('name="grid"') : page.index("</select>", page.index('name="grid"'))]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_claim_form_offers_only_the_chosen_committees_grids(en, make_person, committee, grid):
    other = GridFactory()  # another committee's grid
    own = GridFactory(committee=committee)
    en.force_login(make_person(committee))

    page = en.get(reverse("community:claim"), {"committee": committee.slug}).content.decode()

    assert grid_options(page) == {str(grid.pk), str(own.pk)}
    assert other.name not in page
    assert f'<input type="hidden" name="committee" value="{committee.pk}"' in page
    assert "Choose another committee" in page


def test_with_several_committees_the_claim_asks_for_the_committee_first(
    en, make_person, committee, grid
):
    other = GridFactory()
    en.force_login(make_person(committee))

    page = en.get(reverse("community:claim")).content.decode()

    assert 'name="grid"' not in page
    assert "First choose your residents' committee" in page
    assert f'<option value="{committee.slug}"' in page
    assert f'<option value="{other.committee.slug}"' in page


def test_a_committee_that_does_not_exist_is_refused_on_the_first_step(en, make_person, committee):
    GridFactory()
    en.force_login(make_person(committee))

    response = en.get(reverse("community:claim"), {"committee": "no-such-committee"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_grid_of_another_committee_posted_is_refused_and_what_was_typed_is_kept(
    en, make_person, committee, grid
):
    other = GridFactory()
    en.force_login(make_person(committee))

    response = en.post(
        reverse("community:claim"),
        {
            "real_name": "陈晓明",
            "committee": committee.pk,
            "grid": other.pk,
            "address": "3栋2单元501",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "That grid belongs to another residents&#x27; committee." in page
    assert 'value="陈晓明"' in page and 'value="3栋2单元501"' in page
    assert grid_options(page) == {str(grid.pk)}  # still the chosen committee's grids
    assert not Residency.objects.exists()


def test_with_one_committee_it_is_chosen_for_you(en, make_person, committee, grid):
    en.force_login(make_person(committee))

    page = en.get(reverse("community:claim")).content.decode()

    assert committee.name in page
    assert grid_options(page) == {str(grid.pk)}
    assert "Choose another committee" not in page
    assert "First choose your residents' committee" not in page


def test_the_claim_is_sent_from_the_chosen_committees_form(client, make_person, committee, grid):
    GridFactory()
    person = make_person(committee)
    client.force_login(person)

    response = client.post(
        f"{reverse('community:claim')}?committee={committee.slug}",
        {"real_name": "陈晓明", "committee": committee.pk, "grid": grid.pk, "address": "1栋"},
    )

    assert response["Location"] == reverse("community:committee", args=[committee.slug])
    assert Residency.objects.get(person=person).grid == grid


def test_someone_unverified_is_told_why_submit_an_opinion_led_to_the_address_form(
    en, make_person, committee
):
    en.force_login(make_person(committee))

    page = en.get(reverse("community:my_opinion"), follow=True).content.decode()

    assert "You can submit opinions once a grid worker has verified your address." in page


def test_home_page_with_tools_costs_the_same_queries_as_work_piles_up(
    en, make_person, committee, grid, board, wagtail_site
):
    chair = make_person(committee, Role.CHAIR, mfa=True)
    staff = make_person(committee, Role.STAFF, mfa=True)
    en.force_login(chair)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert en.get("/").status_code == 200
        return len(queries)

    few = count()
    for index in range(4):
        ResidencyFactory(committee=committee, grid=grid)
        OpinionFactory(committee=committee, grid=grid, flagged_at=timezone.now())
        draft_on(board, f"送审{index}", submit_by=staff)

    assert count() == few

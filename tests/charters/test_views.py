"""Charters as people see them: residents read and compare, staff and the chair record."""

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import give_totp
from tests.factories import CommitteeFactory
from townhall.charters.models import CharterKind, CharterPage, CharterVersion
from townhall.community.models import Role
from townhall.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

V1 = "\n".join(
    [
        "第一条 为规范居民自治，制定本章程。",
        "第二条 居民会议每年至少召开两次。",
        "第三条 本章程自通过之日起施行。",
    ]
)
V2 = V1.replace("两次", "一次").replace("第三条", "第二条之一 居民代表会议每季度召开一次。\n第三条")

FORM = {
    "text": V2,
    "adopted_on": "2026-05-10",
    "effective_from": "2026-06-01",
    "adoption_reference": "2026年第2次居民会议决议",
}


def new_version_url(page):
    return reverse("charters:version_new", args=[page.pk])


def compare_url(page, a, b):
    return reverse("charters:compare", args=[page.pk]) + f"?a={a}&b={b}"


# --- Who may record a version --------------------------------------------------------

DENIED = [Role.RESIDENT, Role.REPRESENTATIVE, Role.MEMBER, Role.GRID_WORKER, Role.SUPERVISOR]
MAY_RECORD = [Role.STAFF, Role.CHAIR]


def test_the_table_covers_every_role():
    assert set(DENIED) | set(MAY_RECORD) == set(Role)


@pytest.mark.parametrize("role", DENIED, ids=str)
@pytest.mark.parametrize("mfa", [False, True], ids=["no-mfa", "mfa"])
def test_other_roles_cannot_record_a_version(client, make_person, committee, charter, role, mfa):
    client.force_login(make_person(committee, role, mfa=mfa))

    assert client.get(new_version_url(charter)).status_code == 403
    assert client.post(new_version_url(charter), FORM).status_code == 403
    assert not CharterVersion.objects.exists()


@pytest.mark.parametrize("role", MAY_RECORD, ids=str)
def test_staff_and_chair_turn_on_two_step_verification_first(
    client, make_person, committee, charter, role
):
    client.force_login(make_person(committee, role))

    response = client.post(new_version_url(charter), FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not CharterVersion.objects.exists()


@pytest.mark.parametrize("role", MAY_RECORD, ids=str)
def test_staff_and_chair_with_two_step_verification_record_a_version(
    client, make_person, committee, charter, role
):
    person = make_person(committee, role)
    give_totp(person)
    client.force_login(person)

    response = client.post(new_version_url(charter), FORM)

    assert response.status_code == 302
    assert response["Location"] == charter.url
    version = CharterVersion.objects.get()
    assert (version.number, version.text, version.adopted_by) == (1, V2, person)
    assert version.effective_from == date(2026, 6, 1)
    assert LedgerEntry.objects.get().kind == "charter.version_adopted"


def test_staff_of_another_committee_cannot_record_a_version(client, make_person, charter):
    client.force_login(make_person(CommitteeFactory(), Role.STAFF, mfa=True))

    assert client.post(new_version_url(charter), FORM).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client, charter):
    response = client.get(new_version_url(charter))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The form -------------------------------------------------------------------------


def test_form_starts_from_the_text_it_amends(client, staff, charter, adopt):
    adopt(charter, V1)
    client.force_login(staff)

    response = client.get(new_version_url(charter))

    assert response.status_code == 200
    assert "居民会议每年至少召开两次" in response.content.decode()


def test_in_force_before_adoption_is_refused_keeping_what_was_typed(en, staff, charter):
    en.force_login(staff)

    response = en.post(new_version_url(charter), {**FORM, "effective_from": "2026-05-01"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "A version cannot be in force before the day it was adopted." in page
    assert "第二条之一 居民代表会议每季度召开一次。" in page
    assert 'value="2026年第2次居民会议决议"' in page
    assert 'value="2026-05-01"' in page
    assert not CharterVersion.objects.exists()


def test_unchanged_text_is_refused_keeping_what_was_typed(en, staff, charter, adopt):
    adopt(charter, V2)
    en.force_login(staff)

    response = en.post(new_version_url(charter), {**FORM, "effective_from": "2026-07-01"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "The text is the same as version 1. Change it first." in page
    assert 'value="2026-07-01"' in page
    assert CharterVersion.objects.count() == 1


def test_missing_fields_are_named(en, staff, charter):
    en.force_login(staff)

    response = en.post(new_version_url(charter), {"text": V1})

    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 3
    assert "第一条 为规范居民自治" in response.content.decode()


def test_recording_says_so_on_the_charter_page(en, staff, charter):
    en.force_login(staff)

    response = en.post(new_version_url(charter), FORM, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(charter.url, 302)]
    assert "Version 1 of 居民自治章程 is recorded." in response.content.decode()


# --- What residents see ---------------------------------------------------------------


@pytest.fixture
def amended(charter, adopt):
    adopt(
        charter, V1, effective_from=date(2024, 1, 1), adoption_reference="2024年第1次居民会议决议"
    )
    adopt(
        charter, V2, effective_from=date(2025, 3, 1), adoption_reference="2025年第2次居民会议决议"
    )
    return charter


def test_anyone_reads_the_version_in_force_and_the_history(en, amended):
    response = en.get(amended.url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 2, in force since" in page
    assert "2025年第2次居民会议决议" in page
    assert "<p>第二条之一 居民代表会议每季度召开一次。</p>" in page
    assert "2024年第1次居民会议决议" in page  # the history
    assert "Self-governance charter (居民自治章程)" in page
    assert "Compare two versions" in page
    assert "Record a new version" not in page


def test_an_adopted_version_not_yet_in_force_is_announced(en, amended, adopt):
    adopt(amended, V2 + "\n第四条 附则。", effective_from=date(2099, 1, 1))

    page = en.get(amended.url).content.decode()

    assert "Version 2, in force since" in page
    assert "Version 3 was adopted on" in page
    assert "Adopted, in force from" in page
    assert compare_url(amended, 2, 3).replace("&", "&amp;") in page


def test_staff_see_the_way_to_record_a_version(en, staff, amended):
    en.force_login(staff)

    assert "Record a new version" in en.get(amended.url).content.decode()


def test_a_charter_without_versions_says_so(en, charter):
    page = en.get(charter.url).content.decode()

    assert "No version recorded yet" in page


def test_compare_shows_removed_and_added_text_marked(en, amended):
    response = en.get(compare_url(amended, 1, 2))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>两</del><ins>一</ins>" in page
    assert "第二条之一 居民代表会议每季度召开一次。</ins>" in page
    assert "struck through" in page and "underlined" in page  # the legend
    assert "1 paragraph changed" in page


def test_compare_defaults_to_the_last_amendment(en, amended):
    page = en.get(reverse("charters:compare", args=[amended.pk])).content.decode()

    assert "<del>两</del><ins>一</ins>" in page


@pytest.mark.parametrize(("a", "b"), [(1, 9), (7, 2)])
def test_compare_with_an_unknown_version_is_not_found(client, amended, a, b):
    assert client.get(compare_url(amended, a, b)).status_code == 404


def test_an_unpublished_charter_cannot_be_compared(client, amended):
    amended.unpublish()

    assert client.get(compare_url(amended, 1, 2)).status_code == 404


def test_the_index_lists_the_committees_charters_with_the_version_in_force(
    en, index, amended, make_charter, adopt
):
    convention = make_charter(CharterKind.CONVENTION, title="幸福里居民公约")
    adopt(convention, "一、爱护公共环境。", effective_from=date(2099, 1, 1))

    response = en.get(index.url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "居民自治章程" in page and "Version 2, in force since" in page
    assert "幸福里居民公约" in page and "Version 1 adopted, in force from" in page


def test_the_index_takes_the_same_queries_however_many_charters(en, index, make_charter, adopt):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert en.get(index.url).status_code == 200
        return len(captured)

    adopt(make_charter(), "章程")
    queries()  # the first request fills the site's caches
    one = queries()
    for kind in list(CharterKind)[1:]:
        adopt(make_charter(kind, title=kind.label), "规则")

    assert queries() == one


# --- The Wagtail admin ----------------------------------------------------------------


def test_admin_refuses_to_delete_a_charter_with_versions(client, amended, django_user_model):
    admin = django_user_model.objects.create_superuser("editor", password="x" * 12)
    client.force_login(admin)

    response = client.post(reverse("wagtailadmin_pages:delete", args=[amended.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[amended.pk])
    assert CharterVersion.objects.filter(page=amended).count() == 2


def test_a_new_charter_previews_in_the_editor_before_it_is_saved(rf, index, staff):
    # Wagtail's preview of an unsaved page: a path under its parent, no primary key.
    page = CharterPage(title="居民公约", slug="gongyue", kind=CharterKind.CONVENTION)
    page.depth = index.depth + 1
    page.path = page._get_path(index.path, page.depth, 1)
    request = rf.get("/")
    request.user = staff

    context = page.get_context(request)

    assert context["history"] == [] and context["in_force"] is None
    assert page.committee == index.committee
    assert "居民公约" in render_to_string(page.template, context, request=request)

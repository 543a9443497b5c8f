"""`manage.py load_demo`: the demo community a newcomer sees on `make run`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from townhall.accounts.models import ConsentRecord, Notification, User
from townhall.community import demo, selectors
from townhall.community.models import (
    COMMITTEE_ROLES,
    CloseRelative,
    Community,
    Grid,
    Household,
    Membership,
    Relation,
    Residency,
    ResidentsCommittee,
    Role,
    SocialOrganization,
)

COUNTED = (
    Community,
    ResidentsCommittee,
    Grid,
    Household,
    SocialOrganization,
    User,
    Membership,
    Residency,
    CloseRelative,
    ConsentRecord,
    Notification,
)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def fresh_build() -> list[list[tuple]]:
    """Build the demo in a transaction that is then undone; what a resident would see
    of every person, in creation order."""
    with transaction.atomic():
        demo.demo_build()
        people = list(User.objects.order_by("pk").values_list("real_name", "display_name", "phone"))
        addresses = list(Household.objects.order_by("pk").values_list("grid__name", "address"))
        roles = list(
            Membership.objects.order_by("pk").values_list("person__real_name", "role", "grid__name")
        )
        transaction.set_rollback(True)
    return [people, addresses, roles]


# These two need an empty database, so they come before the shared load below.


@pytest.mark.django_db
def test_two_fresh_loads_give_the_same_people_addresses_and_roles():
    assert demo.demo_community() is None, "run before the module's shared load"

    first, second = fresh_build(), fresh_build()

    assert first == second
    assert len(first[0]) > 300


@pytest.mark.django_db
def test_running_twice_creates_nothing_new_and_prints_the_logins_again():
    assert demo.demo_community() is None, "run before the module's shared load"
    load_demo()
    counts = {model: model.objects.count() for model in COUNTED}

    output = load_demo()

    assert {model: model.objects.count() for model in COUNTED} == counts
    assert "nothing created" in output
    assert all(login.phone in output for login in demo.DEMO_LOGINS)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """One load shared by the read-only tests below, undone when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def community(loaded, db) -> Community:
    return Community.objects.get(slug=demo.COMMUNITY_SLUG)


def current(**filters):
    return Membership.objects.current().filter(**filters)


def test_one_fictional_community_in_chengdong_district_of_xining(community):
    assert Community.objects.count() == 1
    assert community.name == "晨曦路社区"
    assert (community.city, community.district) == ("西宁市", "城东区")
    assert "虚构" in community.description  # says plainly that it is made up


def test_three_committees_each_with_two_grids_named_after_their_estate(community):
    committees = community.committees.all()

    assert [c.name for c in committees.order_by("pk")] == [
        "幸福里居委会",
        "和平巷居委会",
        "康乐苑居委会",
    ]
    assert Grid.objects.filter(committee__community=community).count() == 6
    for committee in committees:
        grids = list(committee.grids.values_list("name", flat=True))
        assert len(grids) == 2
        assert all(name.startswith("第") and "网格（" in name for name in grids)


def test_two_social_organisations_assist(community):
    assert sorted(community.social_organizations.values_list("name", flat=True)) == sorted(
        ["夕阳红志愿服务队", "和谐家园物业服务中心"]
    )


def test_about_three_hundred_verified_residents(community):
    approved = set(
        Residency.objects.filter(status=Residency.Status.APPROVED).values_list(
            "person_id", flat=True
        )
    )
    residents = set(current(role=Role.RESIDENT).values_list("person_id", flat=True))

    assert 280 <= len(approved & residents) <= 320
    assert residents <= approved  # nobody is a resident without a verified claim


def test_several_residents_share_a_household(community):
    shared = Household.objects.annotate(
        residents=Count("memberships", filter=Q(memberships__role=Role.RESIDENT))
    ).filter(residents__gte=2)

    assert shared.count() >= 30
    assert Household.objects.filter(address__regex=r"^\d+栋\d单元\d{3,4}$").count() == (
        Household.objects.count()
    )


def test_every_role_is_held_in_every_committee(community):
    for committee in community.committees.all():
        held = set(current(committee=committee).values_list("role", flat=True))
        assert held == set(Role.values), committee.name


def test_the_law_holds_in_every_committee(community):
    for committee in community.committees.all():
        verdicts = selectors.committee_composition(committee)
        assert all(verdicts), [v.reason for v in verdicts]

        members = set(
            current(committee=committee, role__in=COMMITTEE_ROLES).values_list(
                "person_id", flat=True
            )
        )
        supervisors = set(
            current(committee=committee, role=Role.SUPERVISOR).values_list("person_id", flat=True)
        )
        representatives = current(committee=committee, role=Role.REPRESENTATIVE).count()
        assert 5 <= len(members) <= 9
        assert 5 * representatives >= 4 * (representatives + len(members))
        assert supervisors and not supervisors & members
        for supervisor in User.objects.filter(pk__in=supervisors):
            assert not selectors.relative_ids(supervisor) & members, supervisor.real_name


def test_close_relatives_of_office_holders_are_on_record(community):
    members = current(role__in=COMMITTEE_ROLES).values_list("person_id", flat=True)
    married_members = CloseRelative.objects.filter(
        Q(person__in=members) | Q(relative__in=members), relation=Relation.SPOUSE
    )

    assert married_members.count() >= 3
    for link in CloseRelative.objects.all():
        link.full_clean()  # the law's conflict check, as the admin would run it


def test_gender_is_recorded_for_committee_members_only(community):
    members = User.objects.filter(pk__in=current(role__in=COMMITTEE_ROLES).values("person_id"))
    others = User.objects.exclude(pk__in=members.values("pk"))

    assert not members.filter(gender="").exists()
    assert not others.exclude(gender="").exists()


def test_some_residents_chose_a_nickname_and_others_show_a_masked_name(community):
    residents = User.objects.filter(pk__in=current(role=Role.RESIDENT).values("person_id"))

    assert residents.filter(display_name="").count() >= 30
    assert residents.exclude(display_name="").count() >= 150
    assert str(residents.filter(display_name="").first()).endswith("*")


def test_each_grid_has_its_grid_worker_and_each_worker_has_a_queue(community):
    for grid in Grid.objects.filter(committee__community=community):
        assert current(role=Role.GRID_WORKER, grid=grid).count() == 1, grid.name
    for committee in community.committees.all():
        assert selectors.pending_claims(committee).count() == demo.PENDING_CLAIMS
        rejected = Residency.objects.get(committee=committee, status=Residency.Status.REJECTED)
        assert "请核对楼栋号" in rejected.reason


def test_some_elderly_residents_were_registered_by_their_grid_worker(community):
    assisted = Residency.objects.exclude(assisted_by=None).select_related("assisted_by")

    assert assisted.exists()
    for residency in assisted:
        assert residency.status == Residency.Status.APPROVED
        assert selectors.holds_role(residency.assisted_by, residency.committee, [Role.GRID_WORKER])


def test_demo_logins_hold_their_role_in_the_first_committee(community):
    first = ResidentsCommittee.objects.get(slug=demo.COMMITTEES[0].slug)
    for login in demo.DEMO_LOGINS:
        user = User.objects.get(phone="+86" + login.phone)
        assert user.phone_verified
        if login.role != demo.ADMIN:
            assert selectors.holds_role(user, first, [login.role]), login.label

    resident = User.objects.get(phone="+8613800000001")
    assert resident.display_name
    assert selectors.residency_of(resident, first).status == Residency.Status.APPROVED
    assert selectors.holds_role(resident, first, [Role.RESIDENT])
    worker = current(person__phone="+8613800000007", role=Role.GRID_WORKER).get()
    assert worker.grid.name == demo.COMMITTEES[0].grids[0][0]


def test_demo_logins_share_the_demo_password(community):
    phones = ["+86" + login.phone for login in demo.DEMO_LOGINS]
    hashes = set(User.objects.filter(phone__in=phones).values_list("password", flat=True))

    assert len(hashes) == 1  # hashed once, so one check covers them all
    assert User.objects.get(phone=phones[0]).check_password(demo.PASSWORD)
    assert not User.objects.exclude(phone__in=phones).filter(password=hashes.pop()).exists()


def test_admin_signs_in_to_both_admins_with_the_mobile_number(community, client):
    admin = User.objects.get(phone="+8613800000000")
    assert admin.is_staff and admin.is_superuser

    # Both admins sign in through allauth's form (so two-step verification applies).
    response = client.post(
        reverse("account_login"), {"login": "13800000000", "password": demo.PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/cms/").status_code == 200


def test_output_lists_each_demo_phone_the_password_and_the_two_step_notice(loaded, db):
    for login in demo.DEMO_LOGINS:
        assert login.phone in loaded, login.label
    assert demo.PASSWORD in loaded
    assert "TOTP" in loaded
    assert "/cms/" in loaded and "/django-admin/" in loaded

"""Factories for the models, shared by every test module."""

import factory
from django.utils import timezone

from townhall.accounts.models import User
from townhall.community.models import (
    CloseRelative,
    Community,
    Grid,
    Household,
    Membership,
    Residency,
    ResidentsCommittee,
    Role,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    real_name = factory.Sequence(lambda n: f"测试{n}")
    display_name = factory.Sequence(lambda n: f"邻居{n}")
    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ["slug"]

    name = "测试社区"
    slug = factory.Sequence(lambda n: f"community-{n}")
    district = "城东区"
    city = "西宁市"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentsCommittee

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n}居委会")
    slug = factory.Sequence(lambda n: f"committee-{n}")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    grid = factory.SubFactory(GridFactory)
    address = factory.Sequence(lambda n: f"{n}栋1单元101")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = Role.RESIDENT
    start = factory.LazyFunction(timezone.localdate)


class ResidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residency

    person = factory.SubFactory(UserFactory)
    grid = factory.SubFactory(GridFactory)
    committee = factory.SelfAttribute("grid.committee")
    address = factory.Sequence(lambda n: f"{n}栋2单元502")


class CloseRelativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloseRelative

    person = factory.SubFactory(UserFactory)
    relative = factory.SubFactory(UserFactory)
    relation = "spouse"

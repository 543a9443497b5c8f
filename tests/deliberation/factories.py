"""Factories for the deliberation app's models."""

import factory

from deliberation.models import Comment, Opinion, Topic
from deliberation.opinions.models import Category

from ..factories import GridFactory, UserFactory


class OpinionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opinion

    grid = factory.SubFactory(GridFactory)
    committee = factory.LazyAttribute(lambda o: o.grid.committee)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"楼道灯坏了{n}")
    body = "3栋2单元的楼道灯坏了一个多月，晚上老人上下楼很危险。"
    category = Category.FACILITIES


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    committee = factory.SubFactory("tests.factories.CommitteeFactory")
    title = factory.Sequence(lambda n: f"楼道照明改造{n}")
    description = "更换老旧小区楼道照明，改为声控灯。"
    created_by = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    body = "支持，建议先从老人多的楼栋开始。"

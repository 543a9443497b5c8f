"""Factories for the voting app's models. Polls are usually made through the services
(which make their options and freeze their electorate); these are for rows a test needs
directly, e.g. a proxy recorded without going through `voting.proxies`."""

from datetime import timedelta

import factory
from django.utils import timezone

from voting.models import Elector, Poll, Proxy

from ..factories import CommitteeFactory, UserFactory


class PollFactory(factory.django.DjangoModelFactory):
    """A draft poll with no options: add them, or use `make_poll` (tests/voting/conftest)."""

    class Meta:
        model = Poll

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"是否同意加装电梯{n}")
    method = Poll.Method.YES_NO
    electorate = Poll.Electorate.RESIDENTS
    base = Poll.Base.CAST
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    created_by = factory.SubFactory(UserFactory)


class ElectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Elector

    poll = factory.SubFactory(PollFactory)
    person = factory.SubFactory(UserFactory)
    basis = Elector.Basis.RESIDENT


class ProxyFactory(factory.django.DjangoModelFactory):
    """A written proxy between two electors of the same poll."""

    class Meta:
        model = Proxy

    grantor = factory.SubFactory(ElectorFactory)
    poll = factory.SelfAttribute("grantor.poll")
    holder = factory.SubFactory(ElectorFactory, poll=factory.SelfAttribute("..poll"))
    document = factory.Sequence(lambda n: f"委托书第{n}号")
    recorded_by = factory.SubFactory(UserFactory)

"""Background work about polls, run by `manage.py db_worker --backend background`
(`make run` starts it) so that the request that caused it returns at once."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from townhall.accounts.services import announcement_send
from townhall.community.models import Membership, Role

from .models import Elector, Poll

OPENED_MESSAGE = gettext_lazy("The poll “%(title)s” is open: you may vote until %(closes)s.")
OPENED_NAMED_MESSAGE = gettext_lazy(
    "The roll-call vote “%(title)s” is open: you may vote until %(closes)s. "
    "Everyone will see who voted what."
)


def poll_opened_recipients(poll: Poll) -> list[int]:
    """Everyone the frozen electorate lets vote: each person on it, and for a household
    poll each resident of each household on it (any of them may cast its vote)."""
    electors = Elector.objects.filter(poll=poll)
    people = set(electors.filter(person__isnull=False).values_list("person_id", flat=True))
    homes = electors.filter(household__isnull=False).values("household_id")
    if poll.electorate == Poll.Electorate.HOUSEHOLDS:
        people.update(
            Membership.objects.current()
            .filter(committee_id=poll.committee_id, role=Role.RESIDENT, household_id__in=homes)
            .values_list("person_id", flat=True)
        )
    return sorted(people)


@task(backend="background")
def poll_opened_announce(poll_id: int) -> int:
    """Tell the electorate of an opened poll (inbox; email or SMS to those who agreed).
    Returns how many were told."""
    poll = Poll.objects.get(pk=poll_id)
    if poll.status != Poll.Status.OPEN:
        return 0  # closed before the worker got to it: nothing left to vote in
    return announcement_send(
        recipient_ids=poll_opened_recipients(poll),
        message=OPENED_NAMED_MESSAGE if poll.named else OPENED_MESSAGE,
        url=reverse("voting:poll_detail", args=[poll.pk]),
        params={
            "title": poll.title,
            "closes": timezone.localtime(poll.closes_at).strftime("%Y-%m-%d %H:%M"),
        },
    )

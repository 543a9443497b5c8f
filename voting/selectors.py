"""Reads about polls: who votes as whom, turnout, the running tally of named polls, the
list of a person's polls and the public ballot board. Readers of one poll go through
`poll_for_read`, which counts a poll whose closing time has passed (there is no cron)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from townhall.community.models import Membership, Role

from . import services
from .models import Ballot, Elector, Option, Participation, Poll, Subject
from .results import tally_from_contents

RECENT_DAYS = 90  # how long counted polls stay on a person's list
RECENT_KEPT = 20


def poll_for_read(pk: int) -> Poll:
    """The poll, counted first if its closing time has passed (Http404 if unknown).
    Every page or export about one poll starts here, so no reader sees a poll that
    should be closed still open."""
    poll = get_object_or_404(Poll.objects.select_related("committee", "meeting", "motion"), pk=pk)
    if services.poll_settle_if_due(poll) is not poll:
        poll = Poll.objects.select_related("committee", "meeting", "motion").get(pk=pk)
    return poll


def _households_of(person, committee_id: int | None = None):
    """Households whose vote `person` may cast: those of their current resident
    memberships."""
    memberships = Membership.objects.current().filter(
        person=person, role=Role.RESIDENT, household__isnull=False
    )
    if committee_id is not None:
        memberships = memberships.filter(committee_id=committee_id)
    return memberships.values("household_id")


def _voter_q(person, prefix: str = "") -> Q:
    return Q(**{f"{prefix}person": person}) | Q(
        **{f"{prefix}household_id__in": _households_of(person)}
    )


def elector_for(poll: Poll, person) -> Elector | None:
    """The row of the frozen electorate `person` votes on: their own, or their
    household's (any verified resident of it); None if they are not in it."""
    if person is None or not person.is_authenticated:
        return None
    households = _households_of(person, poll.committee_id)
    return (
        Elector.objects.filter(poll=poll)
        .filter(Q(person=person) | Q(household_id__in=households))
        .order_by("pk")
        .first()
    )


def proxies_held(poll: Poll, person) -> list[Elector]:
    """The grantors whose vote `person` holds a written proxy for and who have not voted
    yet (by the holder or themselves), with their person or household."""
    if not poll.proxies_allowed:
        return []
    holder = elector_for(poll, person)
    if holder is None:
        return []
    return list(
        Elector.objects.filter(proxy_given__holder=holder, participation__isnull=True)
        .select_related("person", "household")
        .order_by("pk")
    )


def turnout(poll: Poll) -> dict:
    """{"voted": participation rows, "eligible": the frozen electorate's size}."""
    return {
        "voted": Participation.objects.filter(poll_id=poll.pk).count(),
        "eligible": poll.eligible,
    }


def running_tally(poll: Poll) -> dict | None:
    """A named poll's tally so far, shaped like the result's: {"<option id>": votes}, or
    for a graded poll {"<subject id>": {"<grade id>": votes}}. None for a secret poll:
    its figures stay hidden until it is counted."""
    if not poll.named:
        return None
    contents = Ballot.objects.filter(poll_id=poll.pk).values_list("content", flat=True)
    counted = tally_from_contents(poll.method, [c for c in contents if not c.get("invalid")])
    options = list(Option.objects.filter(poll_id=poll.pk).values_list("pk", flat=True))
    if poll.method == Poll.Method.GRADED:
        subjects = Subject.objects.filter(poll_id=poll.pk).values_list("pk", flat=True)
        return {
            str(subject): {
                str(grade): counted.get(str(subject), {}).get(str(grade), 0) for grade in options
            }
            for subject in subjects
        }
    return {str(option): counted.get(str(option), 0) for option in options}


def polls_for(person) -> dict[str, list[Poll]]:
    """A person's list page: {"open": polls open (or announced) where they, or their
    household, are in the electorate, soonest to close first; "counted": polls of their
    committees counted in the last 90 days, latest first}. Each open poll carries
    `voted` (their own vote is in). Polls past their closing time are counted here.
    Anonymous visitors get empty lists."""
    if person is None or not person.is_authenticated:
        return {"open": [], "counted": []}
    mine = Elector.objects.filter(_voter_q(person), poll=OuterRef("pk"))
    voted = Participation.objects.filter(_voter_q(person, "elector__"), poll=OuterRef("pk"))
    open_polls = list(
        Poll.objects.filter(Exists(mine), status=Poll.Status.OPEN)
        .annotate(voted=Exists(voted))
        .select_related("committee")
        .order_by("closes_at", "pk")
    )
    still_open = []
    for poll in open_polls:
        if services.poll_settle_if_due(poll).status == Poll.Status.OPEN:
            still_open.append(poll)
    committees = Membership.objects.current().filter(person=person).values("committee_id")
    counted = list(
        Poll.objects.filter(
            committee_id__in=committees,
            status=Poll.Status.CLOSED,
            closed_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
        )
        .select_related("committee")
        .order_by("-closed_at", "-pk")[:RECENT_KEPT]
    )
    return {"open": still_open, "counted": counted}


def board(poll: Poll) -> QuerySet[Ballot]:
    """The public ballot board of a counted poll, in receipt order: every ballot with its
    receipt, content and channel (and its elector on a named poll). Empty until the poll
    is counted: a secret poll's ballots are not shown while it runs."""
    if poll.status != Poll.Status.CLOSED:
        return Ballot.objects.none()
    ballots = Ballot.objects.filter(poll=poll).order_by("receipt")
    if poll.named:
        ballots = ballots.select_related("elector__person", "elector__household")
    return ballots

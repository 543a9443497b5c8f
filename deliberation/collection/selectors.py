"""Reads about opinion collection meetings: a committee's list, one meeting's page, and
the choices its forms offer."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from townhall.accounts.models import User
from townhall.community.models import Membership, ResidentsCommittee, Role

from ..opinions.models import Opinion
from .models import CollectionMeeting

# Opinions recorded from what was said at a meeting are usually typed in after it; the
# form offers those of the weeks around it, not the committee's whole history.
LINKABLE_SINCE = timedelta(days=30)


def _listed(committee: ResidentsCommittee) -> QuerySet[CollectionMeeting]:
    return (
        CollectionMeeting.objects.filter(committee=committee)
        .annotate(opinion_count=Count("opinions", distinct=True))
        .prefetch_related("grids")
    )


def collection_meetings_upcoming(committee: ResidentsCommittee) -> QuerySet[CollectionMeeting]:
    """Meetings still to come, soonest first."""
    return _listed(committee).filter(held_at__gte=timezone.now()).order_by("held_at", "pk")


def collection_meetings_past(committee: ResidentsCommittee) -> QuerySet[CollectionMeeting]:
    """Meetings held, latest first."""
    return _listed(committee).filter(held_at__lt=timezone.now()).order_by("-held_at", "-pk")


def collection_meeting_for_page(pk: int) -> QuerySet[CollectionMeeting]:
    """One meeting with what its page shows, in a fixed number of queries."""
    return (
        CollectionMeeting.objects.filter(pk=pk)
        .select_related("committee", "disclosure")
        .prefetch_related(
            "grids",
            Prefetch("attendees", queryset=User.objects.order_by("real_name", "pk")),
            Prefetch(
                "opinions",
                queryset=Opinion.objects.select_related("grid", "committee").order_by(
                    "submitted_at", "pk"
                ),
            ),
        )
    )


def collection_opinions_linkable(meeting: CollectionMeeting) -> QuerySet[Opinion]:
    """The committee's opinions gathered at no meeting yet, from the weeks around this
    one, newest first; not those moderators hid."""
    return (
        Opinion.objects.filter(
            committee_id=meeting.committee_id,
            collection_meeting__isnull=True,
            hidden_at__isnull=True,
            submitted_at__gte=meeting.held_at - LINKABLE_SINCE,
        )
        .select_related("grid", "author")
        .order_by("-submitted_at", "-pk")
    )


def collection_residents(meeting: CollectionMeeting) -> QuerySet[User]:
    """The committee's verified residents, those of the invited grids first."""
    residents = Membership.objects.current().filter(
        committee_id=meeting.committee_id, role=Role.RESIDENT
    )
    invited = residents.filter(person=OuterRef("pk"), grid__in=meeting.grids.all())
    return (
        User.objects.filter(pk__in=residents.values("person_id"))
        .annotate(invited=Exists(invited))
        .order_by("-invited", "real_name", "pk")
    )

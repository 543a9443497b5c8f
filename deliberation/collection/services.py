"""Every write about an opinion collection meeting (意见收集会): scheduling it, who came,
the opinions gathered there, and its summary drafted as a consultation-outcome disclosure."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townhall.community.models import Grid, ResidentsCommittee, Role
from townhall.community.selectors import people_holding
from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.rules import Category
from townhall.disclosures.services import disclosure_draft_create

from ..opinions.models import Opinion
from ..permissions import Action, require
from .models import CollectionMeeting


def collection_meeting_schedule(
    *,
    committee: ResidentsCommittee,
    by,
    title: str,
    held_at: datetime,
    place: str,
    online: bool,
    grids: Iterable[Grid],
) -> CollectionMeeting:
    """Schedule a meeting of the committee: a place or online (the database holds that
    too), and at least one of the committee's own grids invited."""
    require(by, Action.RUN_COLLECTION_MEETING, committee)
    title, place, grids = title.strip(), place.strip(), list(grids)
    if not title:
        raise ValidationError(_("Give the meeting a title."))
    if not place and not online:
        raise ValidationError(_("Say where it is held, or that it is held online."))
    if not grids:
        raise ValidationError(_("Invite at least one grid."))
    if any(grid.committee_id != committee.pk for grid in grids):
        raise ValidationError(
            _("Only grids of %(committee)s can be invited.") % {"committee": committee.name}
        )
    with transaction.atomic():
        meeting = CollectionMeeting.objects.create(
            committee=committee,
            title=title,
            held_at=held_at,
            place=place,
            online=online,
            created_by=by,
        )
        meeting.grids.set(grids)
    return meeting


def collection_meeting_attendance_record(
    *, meeting: CollectionMeeting, by, attendee_count: int, attendees: Iterable
) -> CollectionMeeting:
    """Record how many came and which verified residents of the committee among them;
    replaces an earlier record. The count includes everyone named."""
    require(by, Action.RUN_COLLECTION_MEETING, meeting.committee)
    attendees = list({person.pk: person for person in attendees}.values())
    if meeting.held_at > timezone.now():
        raise ValidationError(_("Record who came once the meeting has been held."))
    if attendee_count < len(attendees):
        raise ValidationError(
            _(
                "%(count)s people present, but %(named)s named: the number present must "
                "include everyone named."
            )
            % {"count": attendee_count, "named": len(attendees)}
        )
    residents = set(
        people_holding(meeting.committee, [Role.RESIDENT])
        .filter(pk__in=[person.pk for person in attendees])
        .values_list("pk", flat=True)
    )
    if strangers := [person for person in attendees if person.pk not in residents]:
        raise ValidationError(
            _("Not verified residents of %(committee)s: %(names)s.")
            % {
                "committee": meeting.committee.name,
                "names": ", ".join(person.real_name or str(person) for person in strangers),
            }
        )
    with transaction.atomic():
        meeting = CollectionMeeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.attendee_count = attendee_count
        meeting.save(update_fields=["attendee_count"])
        meeting.attendees.set(attendees)
    return meeting


def collection_meeting_opinions_link(
    *, meeting: CollectionMeeting, by, opinions: Iterable[Opinion]
) -> int:
    """Mark opinions of the meeting's committee as gathered there. An opinion belongs to
    one meeting: one gathered at another is refused. Returns how many were linked."""
    require(by, Action.RUN_COLLECTION_MEETING, meeting.committee)
    opinions = list(opinions)
    if not opinions:
        raise ValidationError(_("Choose the opinions gathered at the meeting."))
    if any(opinion.committee_id != meeting.committee_id for opinion in opinions):
        raise ValidationError(
            _("Only opinions about %(committee)s can be linked.")
            % {"committee": meeting.committee.name}
        )
    with transaction.atomic():
        taken = list(
            Opinion.objects.select_for_update()
            .filter(pk__in=[opinion.pk for opinion in opinions], collection_meeting__isnull=False)
            .exclude(collection_meeting=meeting)
            .values_list("title", flat=True)
        )
        if taken:
            raise ValidationError(
                _("Already gathered at another meeting: %(titles)s.") % {"titles": "、".join(taken)}
            )
        return Opinion.objects.filter(pk__in=[opinion.pk for opinion in opinions]).update(
            collection_meeting=meeting
        )


def collection_meeting_summary_save(
    *, meeting: CollectionMeeting, by, summary: str
) -> CollectionMeeting:
    require(by, Action.RUN_COLLECTION_MEETING, meeting.committee)
    meeting.summary = summary.strip()
    meeting.save(update_fields=["summary"])
    return meeting


def _disclosure_body(meeting: CollectionMeeting) -> str:
    """The disclosure's text in the site's language: residents read the board in it."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "deliberation/collection/_disclosure_body.html",
            {
                "meeting": meeting,
                "grids": meeting.grids.all(),
                "opinions": meeting.opinions.filter(hidden_at__isnull=True).order_by(
                    "submitted_at", "pk"
                ),
            },
        ).strip()


def collection_meeting_summary_publish(
    *, meeting: CollectionMeeting, by, summary: str
) -> DisclosurePage:
    """Save the summary, then draft a consultation-outcome disclosure on the committee's
    board (summary, date, place, people present, opinions gathered) and keep it on the
    meeting; staff submit the draft for the supervision committee's review in the CMS.
    The summary stays saved when the draft cannot be made (no board): the
    ValidationError says why. One disclosure per meeting."""
    if not summary.strip():
        raise ValidationError(_("Write the summary first."))
    meeting = collection_meeting_summary_save(meeting=meeting, by=by, summary=summary)
    with transaction.atomic():
        meeting = (
            CollectionMeeting.objects.select_for_update()
            .select_related("committee")
            .get(pk=meeting.pk)
        )
        if meeting.disclosure_id:
            raise ValidationError(_("A disclosure was already drafted from this meeting."))
        day = timezone.localdate(meeting.held_at)
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Opinion collection meeting: %(title)s") % {"title": meeting.title}
        page = disclosure_draft_create(
            committee=meeting.committee,
            title=title[:255],
            category=Category.CONSULTATIONS,
            body_html=_disclosure_body(meeting),
            period_start=day,
            period_end=day,
            by=by,
        )
        meeting.disclosure = page
        meeting.save(update_fields=["disclosure"])
    return page

"""Every write about an opinion: submitting it (by the resident or recorded for them),
seconding it, and status changes with their history, ledger entry and notice to the
author."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.community.models import COMMITTEE_ROLES, Membership, ResidentsCommittee, Role
from townhall.community.selectors import people_holding
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import rules
from ..notify import notify
from . import photos as photo_checks
from .models import Channel, Opinion, OpinionPhoto, OpinionStatusChange, Second, Status
from .selectors import opinion_seconds_needed

STATUS_MESSAGES = {
    Status.CONSIDERING: _("The committee is now considering your opinion “%(title)s”."),
    Status.MERGED: _("Your opinion “%(title)s” was merged into the topic “%(topic)s”."),
    Status.ANSWERED: _("The committee answered your opinion “%(title)s”: %(text)s"),
    Status.DECLINED: _("The committee declined your opinion “%(title)s”: %(text)s"),
    Status.REFERRED: _(
        "Your opinion “%(title)s” was referred to the public service centre. %(text)s"
    ),
}


def opinion_content(opinion: Opinion) -> dict:
    """What the ledger vouches for: every field that only a recorded step may change."""
    return {
        "committee": opinion.committee_id,
        "grid": opinion.grid_id,
        "author": opinion.author_id,
        "recorded_by": opinion.recorded_by_id,
        "kind": opinion.kind,
        "title": opinion.title,
        "body": opinion.body,
        "category": opinion.category,
        "status": opinion.status,
        "topic": opinion.topic_id,
        "reply": opinion.reply,
        "hidden": opinion.hidden_at is not None,
        "hidden_reason": opinion.hidden_reason,
    }


def opinion_load(pk: str) -> dict | None:
    opinion = Opinion.objects.filter(pk=pk).first()
    return opinion_content(opinion) if opinion else None


def opinion_record(*, opinion: Opinion, kind: str, by, **details) -> None:
    """Write the ledger entry for a step that changed the opinion (inside its transaction)."""
    ledger_append(
        kind=kind,
        subject=subject_of(opinion),
        actor=by,
        content=opinion_content(opinion),
        details=details,
    )


def opinion_status_change(*, opinion: Opinion, by, to: str, text: str = "", topic=None) -> Opinion:
    """Move the opinion to `to` if the rules allow (raises ValidationError with the reason
    otherwise). Locks the row, appends the history row and a ledger entry in the same
    transaction, and notifies the author once committed."""
    text = text.strip()
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        verdict = rules.opinion_may_change(
            current=opinion.status, to=to, text=text, has_topic=topic is not None
        )
        if not verdict:
            raise ValidationError(verdict.reason)
        before = opinion.status
        opinion.status = to
        if to == Status.MERGED:
            opinion.topic = topic
        if text:
            opinion.reply = text
        opinion.save(update_fields=["status", "topic", "reply"])
        OpinionStatusChange.objects.create(
            opinion=opinion,
            from_status=before,
            to_status=to,
            by=by,
            note=text,
            topic=topic if to == Status.MERGED else None,
        )
        opinion_record(
            opinion=opinion,
            kind="opinion.status_changed",
            by=by,
            **{"from": before, "to": to},
        )
        notify(
            recipients=[opinion.author],
            url=reverse("deliberation:opinion_detail", args=[opinion.pk]),
            message=STATUS_MESSAGES[to],
            title=opinion.title,
            topic=topic.title if topic else "",
            text=text,
        )
    return opinion


RECORDED_MESSAGE = _(
    "%(worker)s recorded your opinion “%(title)s” for you (%(channel)s). "
    "You can follow what happens to it here."
)
FLAGGED_MESSAGE = _(
    "The opinion “%(title)s” reached %(seconds)s supporters (附议) and is flagged to the committee."
)
SECONDABLE = frozenset({Status.SUBMITTED, Status.CONSIDERING})


def _submit_validate(
    *, committee, author, grid, recorded_by, channel, collection_meeting, photos
) -> None:
    if grid.committee_id != committee.pk:
        raise ValidationError(_("That grid belongs to another residents' committee."))
    if not (
        Membership.objects.current()
        .filter(person=author, committee=committee, role=Role.RESIDENT)
        .exists()
    ):
        raise ValidationError(_("Only a verified resident of this committee can give an opinion."))
    if recorded_by is None and channel != Channel.ONLINE:
        raise ValidationError(_("Say who recorded the opinion for the resident."))
    if recorded_by is not None and channel == Channel.ONLINE:
        raise ValidationError(_("Choose how the opinion was gathered: meeting, phone or visit."))
    if collection_meeting is not None:
        if collection_meeting.committee_id != committee.pk:
            raise ValidationError(_("That meeting belongs to another residents' committee."))
        if channel != Channel.MEETING:
            raise ValidationError(_("An opinion from a collection meeting was gathered there."))
    if len(photos) > settings.TOWNHALL_OPINION_PHOTOS_MAX:
        raise ValidationError(
            _("You can attach at most %(max)s photos.")
            % {"max": settings.TOWNHALL_OPINION_PHOTOS_MAX}
        )


def opinion_submit(
    *,
    committee: ResidentsCommittee,
    author,
    grid,
    kind: str,
    title: str,
    body: str,
    category: str,
    photos: Iterable = (),
    submission_key=None,
    recorded_by=None,
    channel: str = Channel.ONLINE,
    collection_meeting=None,
) -> tuple[Opinion, bool]:
    """Record a verified resident's opinion, by themselves or by the grid worker or staff
    member in `recorded_by`. Returns (opinion, created): a second submit with the same
    `submission_key` (a double tap) returns the first opinion and writes nothing.

    In one transaction: the opinion, its photos (re-encoded without metadata), the first
    history row (→ submitted) and the ledger entry `opinion.submitted`; an opinion
    recorded on someone's behalf tells its author so."""
    photos = list(photos)
    if submission_key is not None:
        existing = Opinion.objects.filter(author=author, submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    _submit_validate(
        committee=committee,
        author=author,
        grid=grid,
        recorded_by=recorded_by,
        channel=channel,
        collection_meeting=collection_meeting,
        photos=photos,
    )
    cleaned = [
        photo if isinstance(photo, photo_checks.CleanPhoto) else photo_checks.photo_clean(photo)
        for photo in photos
    ]
    opinion = Opinion(
        committee=committee,
        grid=grid,
        author=author,
        recorded_by=recorded_by,
        channel=channel,
        collection_meeting=collection_meeting,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        category=category,
    )
    if submission_key is not None:
        opinion.submission_key = submission_key
    opinion.full_clean(exclude=["committee", "grid", "author", "recorded_by"])
    try:
        with transaction.atomic():
            opinion.save()
            for photo in cleaned:
                OpinionPhoto.objects.create(opinion=opinion, image=photo)
            OpinionStatusChange.objects.create(
                opinion=opinion,
                from_status="",
                to_status=Status.SUBMITTED,
                by=recorded_by or author,
            )
            opinion_record(
                opinion=opinion,
                kind="opinion.submitted",
                by=recorded_by or author,
                channel=channel,
                collection_meeting=collection_meeting.pk if collection_meeting else None,
                photos=len(cleaned),
            )
            if recorded_by is not None:
                notify(
                    recipients=[author],
                    url=reverse("deliberation:opinion_detail", args=[opinion.pk]),
                    message=RECORDED_MESSAGE,
                    worker=recorded_by.real_name or str(recorded_by),
                    title=opinion.title,
                    channel=Channel(channel).label,
                )
    except IntegrityError:
        # Two taps raced past the look-up above: the other one's opinion stands.
        existing = Opinion.objects.filter(author=author, submission_key=opinion.submission_key)
        if submission_key is None or not existing.exists():
            raise
        return existing.get(), False
    return opinion, True


def opinion_second_refusal(*, opinion: Opinion, person) -> str:
    """Why `person` may not second `opinion` (empty when they may), beyond their role."""
    if opinion.author_id == person.pk:
        return _("You cannot second your own opinion.")
    if opinion.is_hidden:
        return _("This opinion is hidden by moderators and cannot be seconded.")
    if opinion.status not in SECONDABLE:
        return _("The committee has already dealt with this opinion: it takes no more seconds.")
    return ""


def opinion_second(*, opinion: Opinion, person) -> bool:
    """Second (附议) the opinion once: True when counted, False when `person` had already
    seconded it. Raises ValidationError with the reason when they may not.

    The database allows one Second per person; the counter moves by F() + 1 in the same
    transaction, so it stays exact under concurrent clicks. The first second that reaches
    the threshold sets `flagged_at`, writes `opinion.flagged` and tells the committee."""
    opinion = Opinion.objects.get(pk=opinion.pk)
    if reason := opinion_second_refusal(opinion=opinion, person=person):
        raise ValidationError(reason)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Second.objects.create(opinion=opinion, person=person)
        except IntegrityError:
            return False
        Opinion.objects.filter(pk=opinion.pk).update(seconds_count=F("seconds_count") + 1)
        needed = opinion_seconds_needed(opinion)
        # The row is locked by the update above until commit: one transaction flags it.
        flagged = Opinion.objects.filter(
            pk=opinion.pk, flagged_at__isnull=True, seconds_count__gte=needed
        ).update(flagged_at=timezone.now())
        if flagged:
            opinion.refresh_from_db()
            opinion_record(
                opinion=opinion,
                kind="opinion.flagged",
                by=person,
                seconds=opinion.seconds_count,
                threshold=needed,
            )
            notify(
                recipients=people_holding(opinion.committee, [Role.STAFF, *COMMITTEE_ROLES]),
                url=reverse("deliberation:opinion_detail", args=[opinion.pk]),
                message=FLAGGED_MESSAGE,
                title=opinion.title,
                seconds=opinion.seconds_count,
            )
    return True

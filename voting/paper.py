"""Paper ballots and a show of hands at a meeting: typed in by the chair, counted only
once a second official confirms them.

An entry lists the electors who voted that way and their ballots' contents. Paper
ballots come out of a box in no order, so for a secret poll the entry keeps the
contents shuffled and the electors sorted: its rows say who voted and what the box held,
not who voted what. A show of hands is public, so it is taken only in named (roll-call)
polls, where each ballot stays with its elector as on the online path.
"""

import random
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from . import rules, services
from .models import Channel, Elector, PaperEntry, Participation, Poll
from .permissions import Action, require
from .results import tally_from_contents

INVALID = {"invalid": True}


def contents_from_counts(poll: Poll, counts: dict[int, int], invalid: int = 0) -> list[dict]:
    """The ballots of a yes / no / abstain or single-choice poll from the counts the chair
    typed per option (and the invalid ballots), for `paper_entry_add`."""
    if poll.method not in (Poll.Method.YES_NO, Poll.Method.SINGLE):
        raise ValidationError(
            _("Counts per option can be typed only for yes / no and single-choice polls.")
        )
    known = set(poll.options.values_list("pk", flat=True))
    counts = {int(option): count for option, count in counts.items()}
    if not set(counts) <= known:
        raise ValidationError(_("A count was given for an option this poll does not have."))
    if any(count < 0 for count in counts.values()) or invalid < 0:
        raise ValidationError(_("Counts cannot be negative."))
    contents = [{"options": [option]} for option, count in counts.items() for _i in range(count)]
    return contents + [dict(INVALID) for _i in range(invalid)]


def _elector_ids(poll: Poll, electors: Sequence[Elector | int]) -> list[int]:
    ids = [elector if isinstance(elector, int) else elector.pk for elector in electors]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("The same voter is listed twice."))
    found = Elector.objects.filter(poll=poll, pk__in=ids).count()
    if found != len(ids):
        raise ValidationError(
            ngettext(
                "%(count)s of the voters listed is not in this poll's electorate.",
                "%(count)s of the voters listed are not in this poll's electorate.",
                len(ids) - found,
            )
            % {"count": len(ids) - found}
        )
    return ids


def _already_voted(ids: Sequence[int]) -> None:
    voted = Participation.objects.filter(elector_id__in=ids).count()
    if voted:
        raise ValidationError(
            ngettext(
                "%(count)s of these voters has already voted: each votes once, so the entry "
                "cannot count. Take them off and type it again.",
                "%(count)s of these voters have already voted: each votes once, so the entry "
                "cannot count. Take them off and type it again.",
                voted,
            )
            % {"count": voted}
        )


def _open_check(poll: Poll) -> None:
    """Raises ValidationError unless ballots may be taken now (poll under its lock)."""
    try:
        services.window_check(poll, timezone.now())
    except services.BallotRefused as refused:
        raise ValidationError(refused.message) from None


def _contents_check(poll: Poll, ballots: Sequence[dict]) -> list[dict]:
    options, subjects = services.choices_of(poll)
    contents = []
    for number, content in enumerate(ballots, start=1):
        normalized = services.content_normalized(content)
        verdict = rules.content_verdict(
            method=poll.method,
            content=normalized,
            option_ids=set(options),
            subject_ids=set(subjects),
            min_choices=poll.min_choices,
            max_choices=poll.max_choices,
            paper=True,
        )
        if not verdict:
            raise ValidationError(
                _("Ballot %(number)s: %(reason)s") % {"number": number, "reason": verdict.reason}
            )
        contents.append(normalized)
    return contents


def entry_tally(poll: Poll, contents: Sequence[dict]) -> dict:
    """What an entry holds, as the ledger records it and the confirming official checks
    it against the sheet: the count per option (or per grade) and the invalid ballots,
    never which ballot came with which voter."""
    return {
        "tally": tally_from_contents(poll.method, [c for c in contents if c != INVALID]),
        "invalid": sum(1 for c in contents if c == INVALID),
    }


def paper_entry_add(
    *,
    poll: Poll,
    by,
    kind: str,
    electors: Sequence[Elector | int],
    ballots: Sequence[dict],
) -> PaperEntry:
    """Type in paper ballots or a show of hands (RUN_POLL) for a poll held at a meeting.
    Nothing counts yet: a second official confirms it (`paper_entry_confirm`).

    Refused (ValidationError, nothing written) unless the poll belongs to a meeting and
    takes ballots now, a show of hands is for a named poll, there is one ballot per
    voter, each ballot fits the poll (an invalid paper ballot is `{"invalid": true}`),
    and every voter is in the electorate and has not voted. For a secret poll the
    contents are stored shuffled, the electors sorted. Ledger `poll.paper_entered` with
    the entry's size and tally."""
    require(by, Action.RUN_POLL, poll.committee)
    if poll.meeting_id is None:
        raise ValidationError(
            _("Paper ballots and a show of hands are entered only for a poll held at a meeting.")
        )
    if kind not in PaperEntry.Kind.values:
        raise ValidationError(_("Say whether these are paper ballots or a show of hands."))
    if kind == PaperEntry.Kind.HANDS and not poll.named:
        raise ValidationError(
            _(
                "A show of hands is public, so it is taken only in a named (roll-call) poll. "
                "In a secret poll, vote on paper or online."
            )
        )
    if not electors:
        raise ValidationError(_("List the voters whose ballots these are."))
    if len(ballots) != len(electors):
        raise ValidationError(
            _("%(ballots)s ballots for %(voters)s voters: there must be one ballot per voter.")
            % {"ballots": len(ballots), "voters": len(electors)}
        )
    poll = services.poll_settle_if_due(poll)
    with transaction.atomic():
        locked = services.poll_window_locked(poll.pk)
        _open_check(locked)
        ids = _elector_ids(locked, electors)
        _already_voted(ids)
        contents = _contents_check(locked, ballots)
        if not locked.named:
            # Nothing in the stored entry may pair a voter with a ballot.
            ids.sort()
            random.SystemRandom().shuffle(contents)
        entry = PaperEntry.objects.create(
            poll_id=poll.pk, kind=kind, electors=ids, ballots=contents, entered_by=by
        )
        ledger_append(
            kind="poll.paper_entered",
            subject=subject_of(poll),
            actor=by,
            content=services.poll_content(poll),
            details={
                "entry": entry.pk,
                "kind": kind,
                "ballots": len(ids),
                **entry_tally(poll, contents),
            },
        )
    return entry


def paper_entry_confirm(*, entry: PaperEntry, by) -> PaperEntry:
    """Confirm an entry as the second official (CONFIRM_ENTRY, not whoever entered it):
    its voters' participation rows (channel paper or hands, linked to the entry) and its
    ballots are written now, under fresh receipts, in one transaction.

    Under the ballot lock on the poll (`FOR KEY SHARE`, as an online ballot) and
    `FOR UPDATE` on the entry: the window is checked again, and if any of its voters has
    voted meanwhile (online, by proxy, in another entry) nothing is written and the
    refusal says how many. A secret poll's ballots are written in random order, so
    neither rows nor receipts follow the list of voters. Ledger `poll.paper_confirmed`;
    turnout pushed after commit."""
    poll = entry.poll
    require(by, Action.CONFIRM_ENTRY, poll.committee)
    verdict = rules.second_official_verdict(entered_by_id=entry.entered_by_id, confirmer_id=by.pk)
    if not verdict:
        raise ValidationError(verdict.reason)
    poll = services.poll_settle_if_due(poll)
    with transaction.atomic():
        locked = services.poll_window_locked(poll.pk)
        entry = PaperEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.confirmed_by_id is not None:
            raise ValidationError(_("This entry has already been confirmed."))
        _open_check(locked)
        _already_voted(entry.electors)
        electors = Elector.objects.in_bulk(entry.electors)
        pairs = list(zip(entry.electors, entry.ballots, strict=True))
        if not locked.named:
            # Receipts are random anyway; shuffling the contents against the voters as
            # well means the order of inserts says nothing either.
            contents = [content for _id, content in pairs]
            random.SystemRandom().shuffle(contents)
            pairs = list(zip(entry.electors, contents, strict=True))
        for elector_id, content in pairs:
            try:
                services.ballot_write(
                    poll=locked,
                    elector=electors[elector_id],
                    content=content,
                    channel=Channel(entry.kind),
                    cast_by=None,  # the voter, in the hall; the entry says who typed it
                    paper_entry=entry,
                )
            except services.BallotRefused as refused:
                # The check above holds the lock's view; a ballot committed in between
                # is still refused by the unique participation row.
                raise ValidationError(refused.message) from None
        entry.confirmed_by = by
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["confirmed_by", "confirmed_at"])
        ledger_append(
            kind="poll.paper_confirmed",
            subject=subject_of(poll),
            actor=by,
            content=services.poll_content(poll),
            details={"entry": entry.pk, "kind": entry.kind, "ballots": len(pairs)},
        )
        services.turnout_push_on_commit(poll)
    return entry


def paper_entries_pending(poll: Poll) -> list[PaperEntry]:
    """Entries waiting for a second official, oldest first (for the chair's page)."""
    return list(
        PaperEntry.objects.filter(poll=poll, confirmed_by__isnull=True)
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )

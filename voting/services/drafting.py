"""Drafting a poll: its options, the people a graded poll rates, and every check on
them, reported at once."""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deliberation.meetings.models import Body, Meeting, Motion
from townhall.community.models import ResidentsCommittee

from .. import rules
from ..models import (
    Option,
    Poll,
    Subject,
)
from ..permissions import Action, require


def _labels(values: Sequence[str], *, too_long: str, twice: str, errors: list[str]) -> list[str]:
    """Labels as typed, blank lines dropped (a form offers more rows than needed)."""
    labels = [value.strip() for value in values if value and value.strip()]
    if any(len(label) > 100 for label in labels):
        errors.append(too_long)
    if len(set(labels)) != len(labels):
        errors.append(twice)
    return labels


def _method_errors(
    method: str, options: list[str], subjects: list[str], min_choices: int, max_choices: int
) -> list[str]:
    errors = []
    if method in (Poll.Method.SINGLE, Poll.Method.MULTIPLE) and len(options) < 2:
        errors.append(_("Give at least two options to choose from."))
    if method == Poll.Method.MULTIPLE and not 1 <= min_choices <= max_choices <= len(options):
        errors.append(
            _(
                "The fewest and most choices must satisfy 1 ≤ fewest ≤ most ≤ the number of "
                "options (%(options)s)."
            )
            % {"options": len(options)}
        )
    if method == Poll.Method.GRADED:
        if len(options) < 2:
            errors.append(_("A graded poll needs a scale of at least two grades."))
        if not subjects:
            errors.append(_("Name at least one person or item to be rated."))
    elif subjects:
        errors.append(_("Only a graded poll rates people or items."))
    return errors


def _electorate_errors(
    *, committee, electorate: str, body: str, meeting: Meeting | None, named: bool, proxies: bool
) -> list[str]:
    errors = []
    if meeting is not None and meeting.committee_id != committee.pk:
        errors.append(_("The meeting belongs to another committee."))
    if electorate == Poll.Electorate.MEETING:
        if meeting is None:
            errors.append(_("A poll of those checked in at a meeting needs the meeting."))
        elif meeting.status == Meeting.Status.CLOSED:
            errors.append(_("The meeting is closed: no one is checked in any more."))
        elif body and body != meeting.body:
            errors.append(_("The deciding body must be the meeting's own."))
    elif body == Body.REPRESENTATIVES and electorate != Poll.Electorate.REPRESENTATIVES:
        errors.append(
            _(
                "In the representatives' assembly only its members vote: choose the "
                "representatives as voters."
            )
        )
    elif body == Body.ASSEMBLY and electorate == Poll.Electorate.REPRESENTATIVES:
        errors.append(_("The residents' assembly is voted by residents, not representatives."))
    if named and not (verdict := rules.named_allowed(electorate=electorate, body=body)):
        errors.append(verdict.reason)
    if proxies and rules.is_representatives_vote(electorate=electorate, body=body):
        errors.append(_("Representatives vote in person: proxies are not allowed."))
    return errors


def _motion_errors(*, motion: Motion, meeting: Meeting | None, method: str) -> list[str]:
    errors = []
    if meeting is not None and motion.meeting_id != meeting.pk:
        errors.append(_("The motion is on another meeting's agenda."))
    if method != Poll.Method.YES_NO:
        errors.append(_("A motion is voted yes / no / abstain."))
    if motion.status != Motion.Status.PENDING:
        errors.append(_("This motion has already been voted on."))
    if Poll.objects.filter(motion=motion).exists():
        errors.append(_("This motion already has a poll."))
    return errors


def poll_create(
    *,
    committee: ResidentsCommittee,
    by,
    title: str,
    method: str,
    closes_at: datetime,
    electorate: str,
    base: str,
    body: str = "",
    description: str = "",
    options: Sequence[str] = (),
    subjects: Sequence[str] = (),
    min_choices: int = 1,
    max_choices: int = 1,
    named: bool = False,
    proxies_allowed: bool = False,
    opens_at: datetime | None = None,
    meeting: Meeting | None = None,
    motion: Motion | None = None,
) -> Poll:
    """A draft poll with its options (yes / no / abstain made here for YES_NO polls, in
    the site's language) and the people or items a graded poll rates. Needs CREATE_POLL.

    Every problem is reported at once in one ValidationError (non-field messages), and
    nothing is written then. A poll on a motion takes the motion's meeting and body:
    counting it decides the motion. No ledger entry: a draft is not public."""
    require(by, Action.CREATE_POLL, committee)
    title = (title or "").strip()
    description = (description or "").strip()
    if motion is not None:
        meeting = meeting or motion.meeting
        body = meeting.body
    errors: list[str] = []
    if not title:
        errors.append(_("Give the poll a title."))
    elif len(title) > 100:
        errors.append(_("The title can be at most 100 characters."))
    if len(description) > 5000:
        errors.append(_("The description can be at most 5000 characters."))
    if method not in Poll.Method.values:
        errors.append(_("Choose how people vote."))
    if electorate not in Poll.Electorate.values:
        errors.append(_("Choose who may vote."))
    if body not in ("", *Body.values):
        errors.append(_("Choose the deciding body, or none for a consultation."))
    elif not (verdict := rules.base_allowed(body=body, base=base)):
        errors.append(verdict.reason)
    errors += _electorate_errors(
        committee=committee,
        electorate=electorate,
        body=body,
        meeting=meeting,
        named=named,
        proxies=proxies_allowed,
    )
    if motion is not None:
        errors += _motion_errors(motion=motion, meeting=meeting, method=method)
    now = timezone.now()
    if closes_at is None or closes_at <= now:
        errors.append(_("The closing time must be in the future."))
    elif opens_at is not None and closes_at <= opens_at:
        errors.append(_("The poll must close after it opens."))
    option_labels = _labels(
        options,
        too_long=_("Each option can be at most 100 characters."),
        twice=_("Each option must be different from the others."),
        errors=errors,
    )
    subject_labels = _labels(
        subjects,
        too_long=_("Each name of a person or item rated can be at most 100 characters."),
        twice=_("The same person or item is rated twice."),
        errors=errors,
    )
    if method == Poll.Method.YES_NO:
        option_labels = []  # its three options are the law's, made below
    errors += _method_errors(method, option_labels, subject_labels, min_choices, max_choices)
    if errors:
        raise ValidationError(errors)
    if method != Poll.Method.MULTIPLE:
        min_choices = max_choices = 1
    with transaction.atomic():
        poll = Poll.objects.create(
            committee=committee,
            title=title,
            description=description,
            method=method,
            min_choices=min_choices,
            max_choices=max_choices,
            electorate=electorate,
            body=body,
            base=base,
            named=named,
            proxies_allowed=proxies_allowed,
            meeting=meeting,
            motion=motion,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=by,
        )
        if method == Poll.Method.YES_NO:
            Option.objects.bulk_create(_yes_no_options(poll))
        else:
            Option.objects.bulk_create(
                Option(poll=poll, order=i, label=label) for i, label in enumerate(option_labels)
            )
        Subject.objects.bulk_create(
            Subject(poll=poll, order=i, label=label) for i, label in enumerate(subject_labels)
        )
    return poll


def _yes_no_options(poll: Poll) -> list[Option]:
    # Stored in the site's language: the ballot and the board read them as they are.
    with translation.override(settings.LANGUAGE_CODE):
        labels = {
            # Translators: a ballot option on a motion, 同意.
            "yes": pgettext("poll option", "Yes"),
            # Translators: a ballot option on a motion, 反对.
            "no": pgettext("poll option", "No"),
            # Translators: a ballot option on a motion, 弃权.
            "abstain": pgettext("poll option", "Abstain"),
        }
    return [
        Option(poll=poll, order=i, label=label, code=code)
        for i, (code, label) in enumerate(labels.items())
    ]

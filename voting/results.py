"""A poll's published result: the figures read from its ballots, electorate and
participation rows, and the outcome the rules give them. The same JSON is stored on the
poll, written to the ledger, exported with the ballot board and recounted offline."""

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from deliberation.meetings.models import RollMember

from . import rules
from .models import Ballot, Channel, Elector, Option, Participation, Poll, Subject


def tally_from_contents(method: str, contents: Iterable[dict]) -> dict:
    """Count ballot contents, JSON-shaped (string keys): for choice methods
    {"<option id>": votes}, for graded polls {"<subject id>": {"<grade id>": votes}}.
    Invalid ballots count for nothing here. Only ids that were chosen appear; the
    result adds the poll's other options with zero."""
    if method == Poll.Method.GRADED:
        grades: dict[str, Counter] = {}
        for content in contents:
            for subject, grade in content.get("grades", {}).items():
                grades.setdefault(str(subject), Counter())[str(grade)] += 1
        return {subject: dict(counter) for subject, counter in grades.items()}
    tally: Counter = Counter()
    for content in contents:
        tally.update(str(option) for option in content.get("options", ()))
    return dict(tally)


def result_compute(poll: Poll) -> dict:
    """The published result of `poll` from what is in the database now, in at most six
    queries whatever the number of ballots. Reasons are written in the site's language,
    since the result is stored.

    Figures: `members` is whom the quorum counts: the meeting's roll for a poll of those
    checked in at a meeting, else the frozen electorate; `cast` every ballot, invalid
    paper ballots included; `valid` those that are not invalid; `present` at a meeting
    the electors still checked in at the close or who voted before leaving (a vote is
    cast in person), elsewhere those who cast a ballot."""
    with translation.override(settings.LANGUAGE_CODE):
        return _result(poll)


def _result(poll: Poll) -> dict:
    contents = list(Ballot.objects.filter(poll=poll).values_list("content", flat=True))
    cast = len(contents)
    valid_contents = [content for content in contents if not content.get("invalid")]
    valid = len(valid_contents)
    electors = Elector.objects.filter(poll=poll).aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(present_at_close=True) | Q(participation__isnull=False)),
    )
    at_meeting = poll.electorate == Poll.Electorate.MEETING and poll.meeting_id is not None
    if at_meeting:
        # The body's quorum is over its whole roll, not over those checked in when the
        # poll opened (the electorate).
        members = RollMember.objects.filter(meeting_id=poll.meeting_id).count()
        present = electors["present"]
    else:
        members = poll.eligible or electors["total"]
        present = cast
    base_count = rules.base_count(
        base=poll.base, members=members, cast=cast, valid=valid, present=present
    )
    channels = dict.fromkeys(Channel.values, 0)
    channels.update(
        Participation.objects.filter(poll=poll)
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    result = {
        "method": poll.method,
        "body": poll.body,
        "base": poll.base,
        "base_count": base_count,
        "eligible": poll.eligible or electors["total"],
        "members": members,
        "cast": cast,
        "valid": valid,
        "present": present,
        "channels": channels,
    }
    options = list(Option.objects.filter(poll=poll).values_list("pk", "code"))
    counted = tally_from_contents(poll.method, valid_contents)
    if poll.method == Poll.Method.GRADED:
        result.update(_graded(poll, options, counted))
        return result
    tally = {str(option): counted.get(str(option), 0) for option, _code in options}
    result["tally"] = tally
    if poll.method == Poll.Method.YES_NO:
        by_code = {code: tally[str(option)] for option, code in options if code}
        figures = {code: by_code.get(code, 0) for code in ("yes", "no", "abstain")}
        outcome = rules.yes_no_outcome(
            body=poll.body,
            base=poll.base,
            members=members,
            cast=cast,
            valid=valid,
            present=present,
            **figures,
        )
        result.update(figures)
        result.update(
            decided=outcome.decided,
            passed=outcome.passed,
            reason=outcome.reason,
            needed=outcome.needed,
        )
        return result
    outcome = rules.choice_outcome(
        counts={option: tally[str(option)] for option, _code in options}, base_count=base_count
    )
    result.update(outcome, decided=outcome["winner"] is not None)
    return result


def _graded(poll: Poll, options: list[tuple[int, str]], counted: dict) -> dict:
    order = [option for option, _code in options]  # the scale, best grade first
    grades = {}
    outcomes = {}
    for subject in Subject.objects.filter(poll=poll).values_list("pk", flat=True):
        given = counted.get(str(subject), {})
        grades[str(subject)] = {str(grade): given.get(str(grade), 0) for grade in order}
        outcomes[str(subject)] = rules.graded_outcome(
            counts={grade: grades[str(subject)][str(grade)] for grade in order}, order=order
        )
    return {
        "grades": grades,
        "outcomes": outcomes,
        "decided": all(outcome["grade"] is not None for outcome in outcomes.values()),
        "reason": _("Each person rated receives the grade given most often."),
    }

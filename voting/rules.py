"""The rules of a poll as pure functions: the voting window, what a ballot may contain,
proxies, named votes, the majority base, and the outcome of each method. Exact integer
arithmetic, no ORM; services and views ask these, and each answer carries its reason.

The deciding bodies' law (quorum, "more than half of those present") is not restated
here: a poll of a body is counted by `deliberation.meetings.rules.motion_result`.
"""

from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.meetings.models import Body
from deliberation.meetings.rules import Result, more_than_half, motion_result
from townhall.community.rules import ALLOWED, Verdict

from .models import Poll

# Organic Law Arts 19-20: a voter may carry written proxies for at most three others.
MAX_PROXIES = 3

BODIES = frozenset({Body.ASSEMBLY.value, Body.REPRESENTATIVES.value})
CHOICE_METHODS = frozenset({Poll.Method.YES_NO, Poll.Method.SINGLE, Poll.Method.MULTIPLE})


def _when(moment: datetime) -> str:
    """A moment as the voter reads it, in the site's time zone; seconds only when the
    time is not on the minute, so "closed at 20:00" stays short."""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


# The window -----------------------------------------------------------------------------


def window_state(
    *, now: datetime, opens_at: datetime | None, closes_at: datetime, closed_at: datetime | None
) -> str:
    """ "not_open", "open" or "closed": ballots are taken inside [opens_at, closes_at) and
    only while the poll has not been closed. A poll past its closing time is closed even
    if it never opened: "too late" is what the voter needs to hear then."""
    if closed_at is not None or now >= closes_at:
        return "closed"
    if opens_at is None or now < opens_at:
        return "not_open"
    return "open"


def window_verdict(
    *, now: datetime, opens_at: datetime | None, closes_at: datetime, closed_at: datetime | None
) -> Verdict:
    """Whether a ballot arriving at `now` is inside the window. Called at the moment of
    the write, under the poll's lock, not only when the form is shown."""
    state = window_state(now=now, opens_at=opens_at, closes_at=closes_at, closed_at=closed_at)
    if state == "closed":
        # An early close is the moment voting stopped; a count after the closing time
        # stamps closed_at later, but voting stopped at closes_at.
        ended = closes_at if closed_at is None else min(closed_at, closes_at)
        return Verdict(
            False,
            _("Voting closed at %(when)s. Your ballot arrived too late and was not counted.")
            % {"when": _when(ended)},
        )
    if state == "not_open":
        if opens_at is None:
            return Verdict(False, _("Voting has not opened yet."))
        return Verdict(
            False, _("Voting has not opened yet: it opens at %(when)s.") % {"when": _when(opens_at)}
        )
    return ALLOWED


# What a ballot may contain --------------------------------------------------------------


def _is_id(value: object) -> bool:
    # JSON true/false would pass as 1/0 otherwise.
    return isinstance(value, int) and not isinstance(value, bool)


def _subject_key(key: object) -> int | None:
    """A graded ballot's subject key: "12" once stored as JSON, 12 before that."""
    if _is_id(key):
        return key
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return int(key)
    return None


def content_verdict(
    *,
    method: str,
    content: object,
    option_ids: set[int],
    subject_ids: set[int],
    min_choices: int,
    max_choices: int,
    paper: bool = False,
) -> Verdict:
    """Whether a ballot's content fits the poll (see `voting.models.Ballot`): choice
    methods `{"options": [ids]}` (one id for yes/no and single choice, between the fewest
    and the most for multiple choice, no id twice); graded `{"grades": {"subject id":
    grade id}}` with one known grade for every subject rated and nothing else. An invalid
    ballot `{"invalid": true}` exists only on paper: online, a voter who wants to say
    nothing abstains or leaves the poll."""
    if not isinstance(content, Mapping):
        return Verdict(False, _("The ballot could not be read."))
    if "invalid" in content:
        if not paper:
            return Verdict(False, _("Only a paper ballot can be recorded as invalid."))
        if len(content) != 1 or content["invalid"] is not True:
            return Verdict(False, _("An invalid paper ballot carries no choices."))
        return ALLOWED
    if method in CHOICE_METHODS:
        return _choices_verdict(
            method=method,
            content=content,
            option_ids=option_ids,
            min_choices=min_choices,
            max_choices=max_choices,
        )
    if method == Poll.Method.GRADED:
        return _grades_verdict(content=content, option_ids=option_ids, subject_ids=subject_ids)
    raise ValueError(f"unknown method {method!r}")


def _choices_verdict(
    *, method: str, content: Mapping, option_ids: set[int], min_choices: int, max_choices: int
) -> Verdict:
    chosen = content.get("options")
    if set(content) != {"options"} or not isinstance(chosen, list):
        return Verdict(False, _("The ballot could not be read."))
    if not all(_is_id(option) and option in option_ids for option in chosen):
        return Verdict(False, _("A choice on this ballot is not one of the poll's options."))
    if len(set(chosen)) != len(chosen):
        return Verdict(False, _("The same option was chosen twice."))
    if method != Poll.Method.MULTIPLE:
        if len(chosen) != 1:
            return Verdict(False, _("Choose exactly one option."))
        return ALLOWED
    if not min_choices <= len(chosen) <= max_choices:
        if min_choices == max_choices:
            return Verdict(False, _("Choose exactly %(count)s options.") % {"count": min_choices})
        return Verdict(
            False,
            _("Choose between %(min)s and %(max)s options; you chose %(count)s.")
            % {"min": min_choices, "max": max_choices, "count": len(chosen)},
        )
    return ALLOWED


def _grades_verdict(*, content: Mapping, option_ids: set[int], subject_ids: set[int]) -> Verdict:
    grades = content.get("grades")
    if set(content) != {"grades"} or not isinstance(grades, Mapping):
        return Verdict(False, _("The ballot could not be read."))
    subjects = [_subject_key(key) for key in grades]
    if None in subjects or not set(subjects) <= subject_ids:
        return Verdict(False, _("The ballot rates someone this poll does not rate."))
    if len(set(subjects)) != len(subjects):
        return Verdict(False, _("The ballot rates the same person twice."))
    if set(subjects) != subject_ids:
        return Verdict(False, _("Give a grade to everyone rated on this ballot."))
    if not all(_is_id(grade) and grade in option_ids for grade in grades.values()):
        return Verdict(False, _("A grade on this ballot is not one of the poll's grades."))
    return ALLOWED


# Proxies, named votes, the base, the second official -----------------------------------


def proxy_verdict(
    *,
    allowed: bool,
    representatives_vote: bool,
    same_person: bool,
    holder_carries: int,
    grantor_holds: int,
    holder_has_granted: bool,
) -> Verdict:
    """Whether one more written proxy may be recorded (Arts 19-20 by analogy): the poll
    allows proxies; never in representatives' votes; not to oneself; at most three per
    holder (`holder_carries` counts those already held); no chains, so neither a grantor
    who carries proxies nor a holder who gave their own vote away."""
    if representatives_vote:
        return Verdict(False, _("Representatives vote in person: proxies are not allowed."))
    if not allowed:
        return Verdict(False, _("This poll does not allow proxies."))
    if same_person:
        return Verdict(False, _("A voter cannot give a proxy to themselves."))
    if grantor_holds > 0:
        return Verdict(
            False,
            _(
                "This voter carries proxies for others, so cannot give their own vote to "
                "someone else: proxies cannot be passed on."
            ),
        )
    if holder_has_granted:
        return Verdict(
            False,
            _(
                "The proxy holder has given their own vote to someone else, so cannot "
                "carry proxies: proxies cannot be passed on."
            ),
        )
    if holder_carries >= MAX_PROXIES:
        return Verdict(
            False,
            _("The proxy holder already carries %(max)s proxies, the most allowed.")
            % {"max": MAX_PROXIES},
        )
    return ALLOWED


def is_representatives_vote(*, electorate: str, body: str) -> bool:
    """Votes of the representatives: their own electorate, or a meeting of their body."""
    return electorate == Poll.Electorate.REPRESENTATIVES or (
        electorate == Poll.Electorate.MEETING and body == Body.REPRESENTATIVES
    )


def named_allowed(*, electorate: str, body: str) -> Verdict:
    """Roll-call votes are for representatives, who answer to those they represent.
    Residents' votes are never published (DOMAIN: personal information)."""
    if is_representatives_vote(electorate=electorate, body=body):
        return ALLOWED
    return Verdict(
        False,
        _("Only representatives' votes can be named; residents always vote in secret."),
    )


def base_allowed(*, body: str, base: str) -> Verdict:
    """What a majority may be counted against. A deciding body's vote passes with more
    than half of those present (Arts 27, 29): at a meeting the members present, online
    those taking part, i.e. casting a ballot. Valid ballots only would make passing
    easier than the law, all members harder. A committee's consultation may state any
    base."""
    if base not in Poll.Base.values:
        return Verdict(False, _("Choose what the majority is counted against."))
    if body == "":
        return ALLOWED
    if body not in BODIES:
        return Verdict(False, _("Choose the deciding body, or none for a consultation."))
    if base in (Poll.Base.PRESENT, Poll.Base.CAST):
        return ALLOWED
    if base == Poll.Base.VALID:
        return Verdict(
            False,
            _(
                "The law counts a body's majority over those present: leaving out invalid "
                "ballots would make passing easier than the law allows. Count over the "
                "members present or the ballots cast."
            ),
        )
    return Verdict(
        False,
        _(
            "The law counts a body's majority over those present, not over all its members. "
            "Count over the members present or the ballots cast."
        ),
    )


def second_official_verdict(*, entered_by_id: int, confirmer_id: int) -> Verdict:
    """Paper ballots and a show of hands count only once another official confirms them."""
    if entered_by_id == confirmer_id:
        return Verdict(
            False,
            _("Another official must confirm: whoever entered the ballots cannot confirm them."),
        )
    return ALLOWED


# Outcomes ------------------------------------------------------------------------------


def base_count(*, base: str, members: int, cast: int, valid: int, present: int) -> int:
    """The number the majority is counted against."""
    counts = {
        Poll.Base.CAST: cast,
        Poll.Base.VALID: valid,
        Poll.Base.PRESENT: present,
        Poll.Base.MEMBERS: members,
    }
    if base not in counts:
        raise ValueError(f"unknown base {base!r}")
    return counts[base]


def _base_label(base: str) -> str:
    return {
        Poll.Base.CAST: _("ballots cast"),
        Poll.Base.VALID: _("valid ballots"),
        Poll.Base.PRESENT: _("members present"),
        Poll.Base.MEMBERS: _("all members"),
    }[base]


def yes_no_outcome(
    *,
    body: str,
    base: str,
    members: int,
    cast: int,
    valid: int,
    present: int,
    yes: int,
    no: int,
    abstain: int,
) -> Result:
    """The outcome of a yes / no / abstain poll.

    For a deciding body, the law's count: its quorum and more than half of those present
    (the members present at a meeting, those casting a ballot online), through
    `motion_result`; abstentions, invalid ballots and silence count against. For a
    committee's consultation, more than half of the stated base, with no quorum. A tie
    is reported as a tie, a missed quorum as undecided: neither is ever a pass."""
    if min(members, cast, valid, present, yes, no, abstain) < 0:
        raise ValueError("counts cannot be negative")
    if body:
        allowed = base_allowed(body=body, base=base)
        if not allowed:
            raise ValueError(allowed.reason)
        counted_over = present if base == Poll.Base.PRESENT else cast
        return motion_result(
            body=body, members=members, present=counted_over, yes=yes, no=no, abstain=abstain
        )
    count = base_count(base=base, members=members, cast=cast, valid=valid, present=present)
    if yes + no + abstain > count:
        raise ValueError("more votes than the base counts")
    needed = count // 2 + 1
    figures = {"yes": yes, "count": count, "base": _base_label(base), "needed": needed}
    if count == 0:
        return Result(True, False, _("Not passed: there are no votes to count."), needed)
    if more_than_half(yes, count):
        return Result(
            True,
            True,
            _("Passed: %(yes)s of %(count)s (%(base)s) voted for it, more than half.") % figures,
            needed,
        )
    if 2 * yes == count:
        return Result(
            True,
            False,
            _("Not passed: a tie, %(yes)s of %(count)s (%(base)s), is not more than half.")
            % figures,
            needed,
        )
    return Result(
        True,
        False,
        _("Not passed: %(yes)s of %(count)s (%(base)s) voted for it; %(needed)s were needed.")
        % figures,
        needed,
    )


def _leaders(counts: Mapping[int, int]) -> tuple[int, list[int]]:
    """The highest count and every id that has it (sorted); no leader without votes."""
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")
    top = max(counts.values(), default=0)
    if top == 0:
        return 0, []
    return top, sorted(option for option, count in counts.items() if count == top)


def choice_outcome(*, counts: Mapping[int, int], base_count: int) -> dict:
    """Single and multiple choice: the winner is the one option with strictly the most
    votes; several sharing the most are a tie, with no winner. `majority` says whether
    the winner has more than half of the base."""
    top, leaders = _leaders(counts)
    if not leaders:
        return {
            "winner": None,
            "tie": [],
            "majority": False,
            "reason": _("No votes were cast for any option."),
        }
    if len(leaders) > 1:
        return {
            "winner": None,
            "tie": leaders,
            "majority": False,
            "reason": _("A tie: %(options)s options have %(votes)s votes each; no option wins.")
            % {"options": len(leaders), "votes": top},
        }
    majority = more_than_half(top, base_count)
    figures = {"votes": top, "count": base_count}
    reason = (
        _("One option has the most votes: %(votes)s of %(count)s, more than half.")
        if majority
        else _("One option has the most votes: %(votes)s of %(count)s, not more than half.")
    )
    return {"winner": leaders[0], "tie": [], "majority": majority, "reason": reason % figures}


def graded_outcome(*, counts: Mapping[int, int], order: list[int]) -> dict:
    """One rated person's grade: the grade given most often (plurality). Grades that
    share the most are a tie, listed best first as in `order`, and no grade is given.

    The thresholds some communities add ("≥ 90% 称职 → 优秀, ≥ 50% 不称职 → 不称职") are
    local rules, configurable and weighed by the annual review, not by the poll."""
    top, leaders = _leaders(counts)
    position = {grade: index for index, grade in enumerate(order)}
    leaders.sort(key=lambda grade: (position.get(grade, len(order)), grade))
    if not leaders:
        return {"grade": None, "tie": [], "reason": _("No grades were given.")}
    if len(leaders) > 1:
        return {
            "grade": None,
            "tie": leaders,
            "reason": _("A tie: %(grades)s grades were each given %(votes)s times.")
            % {"grades": len(leaders), "votes": top},
        }
    return {
        "grade": leaders[0],
        "tie": [],
        "reason": _("The grade given most often: %(votes)s times.") % {"votes": top},
    }

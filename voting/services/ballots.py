"""The vote path: a ballot taken under the poll's `FOR KEY SHARE` lock, checked, and
written as two unjoinable rows (who voted; what was voted)."""

import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.community.models import Role

from .. import rules
from ..models import (
    Ballot,
    BallotComment,
    Channel,
    Elector,
    Option,
    Participation,
    Poll,
    Subject,
)
from ..receipts import receipt_new

COMMENT_MAX = 1000


class BallotRefused(Exception):
    """A ballot that is not taken, with what the voter is told. `code` is one of
    not_open, closed, not_eligible, already_voted, invalid, proxy (views map it to the
    HTTP status); `message` is in the language of the request."""

    CODES = frozenset({"not_open", "closed", "not_eligible", "already_voted", "invalid", "proxy"})

    def __init__(self, code: str, message: str):
        if code not in self.CODES:
            raise ValueError(f"unknown refusal {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


def _already_voted() -> BallotRefused:
    return BallotRefused(
        "already_voted", _("You have already voted in this poll. Only your first ballot counts.")
    )


# The ballot lock -----------------------------------------------------------------------

# The poll's columns a ballot needs: the window and what a ballot may contain. Raw SQL
# because the ORM cannot say FOR KEY SHARE, the lock that lets ballots run side by side
# while the count's FOR UPDATE waits for them.
_WINDOW_COLUMNS = (
    "id, committee_id, title, created_at, opens_at, closes_at, closed_at, status, method, "
    "min_choices, max_choices, named, electorate, body, proxies_allowed, eligible, meeting_id"
)


def _lock_clause() -> str:
    # SQLite has one writer at a time: the write itself serialises ballots and the count.
    return " FOR KEY SHARE OF p" if connection.vendor == "postgresql" else ""


def poll_window_locked(poll_id: int) -> Poll:
    """The poll row under the ballot lock (`FOR KEY SHARE` on PostgreSQL), with the
    window and content fields only (others are deferred). Call inside the transaction
    that writes the ballot, then take `now` and call `window_check`. Raises
    Poll.DoesNotExist."""
    sql = f"SELECT {_cols('p')} FROM voting_poll p WHERE p.id = %s{_lock_clause()}"
    for poll in Poll.objects.raw(sql, [poll_id]):
        return poll
    raise Poll.DoesNotExist


def _cols(alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in _WINDOW_COLUMNS.split(","))


# The voter's own row, else their household's through a current resident membership.
# COALESCE stops at the first that is found; each side is one index lookup (the unique
# (poll, person) and (poll, household) indexes), whichever the poll's electorate.
_ELECTOR_OF_VOTER = """
    COALESCE(
        (SELECT e.id FROM voting_elector e WHERE e.poll_id = p.id AND e.person_id = %s),
        (SELECT MIN(e.id) FROM voting_elector e
         JOIN community_membership m ON m.household_id = e.household_id
         WHERE e.poll_id = p.id AND m.person_id = %s AND m.committee_id = p.committee_id
           AND m.role = %s AND m.start <= %s AND (m."end" IS NULL OR m."end" >= %s))
    )
"""


def _locked_for_ballot(poll_id: int, voter, on_behalf_of: int | None) -> Poll:
    """`poll_window_locked` plus, in the same statement, the voter's elector row
    (`own_elector_id`: their own, or their household's through their current resident
    membership) and, for a proxy, the holder of the grantor's proxy (`proxy_holder_id`)."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    params: list = [voter.pk, voter.pk, Role.RESIDENT.value, today, today]
    proxy = ""
    if on_behalf_of is not None:
        proxy = (
            ", (SELECT pr.holder_id FROM voting_proxy pr"
            " WHERE pr.grantor_id = %s AND pr.poll_id = p.id) AS proxy_holder_id"
        )
        params.append(on_behalf_of)
    sql = (
        f"SELECT {_cols('p')}, {_ELECTOR_OF_VOTER} AS own_elector_id{proxy}"
        f" FROM voting_poll p WHERE p.id = %s{_lock_clause()}"
    )
    for poll in Poll.objects.raw(sql, [*params, poll_id]):
        return poll
    raise Poll.DoesNotExist


def window_check(poll: Poll, now: datetime) -> None:
    """Raise BallotRefused (not_open / closed) unless a ballot may be taken at `now`."""
    if poll.status == Poll.Status.DRAFT:
        raise BallotRefused("not_open", _("Voting has not opened yet."))
    window = {
        "now": now,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "closed_at": poll.closed_at,
    }
    verdict = rules.window_verdict(**window)
    if not verdict:
        raise BallotRefused(rules.window_state(**window), verdict.reason)


# Option and subject ids never change once a poll is open, so each process keeps them
# for the polls voted on lately instead of asking the database on every ballot. The key
# includes created_at: a poll id reused after a rollback (tests, SQLite) is another poll.
_CHOICES: OrderedDict[tuple, tuple[frozenset[int], frozenset[int]]] = OrderedDict()
_CHOICES_KEPT = 256
_choices_lock = threading.Lock()


def choices_of(poll: Poll) -> tuple[frozenset[int], frozenset[int]]:
    """(option ids, subject ids) of an open poll: no query once cached in this process."""
    key = (connection.alias, poll.pk, poll.created_at)
    with _choices_lock:
        cached = _CHOICES.get(key)
        if cached is not None:
            _CHOICES.move_to_end(key)
            return cached
    options = frozenset(Option.objects.filter(poll_id=poll.pk).values_list("pk", flat=True))
    subjects = frozenset()
    if poll.method == Poll.Method.GRADED:
        subjects = frozenset(Subject.objects.filter(poll_id=poll.pk).values_list("pk", flat=True))
    with _choices_lock:
        _CHOICES[key] = (options, subjects)
        while len(_CHOICES) > _CHOICES_KEPT:
            _CHOICES.popitem(last=False)
    return options, subjects


def _as_id(value):
    """A form's "12" as 12; anything else as it came, for the rules to refuse."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


def content_normalized(content) -> object:
    """A ballot's content in its stored form: ids as numbers, chosen options sorted (the
    order of ticking says nothing), grades keyed by the subject id as text (JSON). What
    cannot be read is returned as it came, for `rules.content_verdict` to refuse."""
    if not isinstance(content, Mapping):
        return content
    if set(content) == {"options"} and isinstance(content["options"], list):
        chosen = [_as_id(option) for option in content["options"]]
        if all(isinstance(option, int) and not isinstance(option, bool) for option in chosen):
            chosen.sort()
        return {"options": chosen}
    if set(content) == {"grades"} and isinstance(content["grades"], Mapping):
        grades = {}
        for subject, grade in content["grades"].items():
            key = str(_as_id(subject)) if not isinstance(subject, bool) else subject
            if key in grades:
                return content  # the same subject twice ("3" and 3): refused as it came
            grades[key] = _as_id(grade)
        return {"grades": grades}
    return dict(content)


def _content_check(poll: Poll, content, comment: str) -> dict:
    normalized = content_normalized(content)
    options, subjects = choices_of(poll)
    verdict = rules.content_verdict(
        method=poll.method,
        content=normalized,
        option_ids=set(options),
        subject_ids=set(subjects),
        min_choices=poll.min_choices,
        max_choices=poll.max_choices,
    )
    if not verdict:
        raise BallotRefused("invalid", verdict.reason)
    if comment and poll.method != Poll.Method.GRADED:
        raise BallotRefused("invalid", _("Only a graded ballot takes a comment."))
    if len(comment) > COMMENT_MAX:
        raise BallotRefused(
            "invalid", _("A comment can be at most %(max)s characters.") % {"max": COMMENT_MAX}
        )
    return normalized


# Writing a ballot ----------------------------------------------------------------------


def _ballot_insert(
    *,
    poll: Poll,
    elector_id: int,
    content: dict,
    channel: str,
    cast_by_id: int | None,
    now: datetime,
    paper_entry_id: int | None = None,
    comment: str = "",
) -> str:
    # Participation first: its unique elector is what refuses a second ballot, before a
    # ballot row is even attempted.
    Participation.objects.create(
        poll_id=poll.pk,
        elector_id=elector_id,
        cast_by_id=cast_by_id,
        channel=channel,
        voted_at=now,
        paper_entry_id=paper_entry_id,
    )
    # A receipt drawn twice (about 2^-60 per pair of ballots) would also fail as a
    # duplicate and be refused as one: the voter tries again and draws another.
    receipt = receipt_new()
    Ballot.objects.create(
        receipt=receipt,
        poll_id=poll.pk,
        content=content,
        channel=channel,
        elector_id=elector_id if poll.named else None,
    )
    if comment:
        BallotComment.objects.create(poll_id=poll.pk, text=comment)
    return receipt


def ballot_write(
    *,
    poll: Poll,
    elector: Elector,
    content: dict,
    channel: str,
    cast_by,
    paper_entry=None,
    comment: str = "",
) -> str:
    """The durable writes of one ballot: the participation row (who), the ballot row
    (what, under a fresh receipt; the elector only on a named poll) and a graded
    ballot's comment apart. Returns the receipt.

    For `voting.paper` (and any other channel): the caller runs inside its transaction,
    holds `poll_window_locked(poll.pk)`, and has checked the window, the elector and the
    content (`rules.content_verdict(..., paper=True)`). Runs in a savepoint: an elector
    who already voted raises BallotRefused("already_voted") and leaves the caller's
    transaction usable. No ledger entry, no broadcast: the caller writes its own (a paper
    entry is confirmed as a whole) and schedules `live.turnout_push` on commit."""
    try:
        with transaction.atomic():
            return _ballot_insert(
                poll=poll,
                elector_id=elector.pk,
                content=content,
                channel=channel,
                cast_by_id=cast_by.pk if cast_by is not None else None,
                now=timezone.now(),
                paper_entry_id=paper_entry.pk if paper_entry is not None else None,
                comment=comment,
            )
    except IntegrityError:
        raise BallotRefused(
            "already_voted",
            _("%(elector)s has already voted in this poll: only the first ballot counts.")
            % {"elector": elector},
        ) from None


def turnout_push_on_commit(poll: Poll) -> None:
    def push():
        from .. import live  # imported here: live reads selectors, which use this module

        live.turnout_push(poll)

    transaction.on_commit(push)


def ballot_cast(
    *,
    poll: Poll,
    voter,
    content: dict,
    on_behalf_of: Elector | None = None,
    comment: str = "",
) -> str:
    """Take `voter`'s ballot (or, with `on_behalf_of`, the ballot of a grantor whose
    written proxy they hold) and return its receipt. The receipt is not stored with the
    voter anywhere: it is shown once.

    First ballot counts: there is no changing a vote; a second one for the same elector
    (the same person, another member of the household, a proxy holder after the grantor,
    or any number of concurrent requests) is refused as already_voted by the unique
    participation row, and the first ballot stays as it was.

    One transaction, three statements on the vote path (four with a graded comment):
    1. the poll row under `FOR KEY SHARE` (see the module docstring), which also reads
       the voter's elector row and the proxy's holder; the window is checked after it,
       with the time taken after the lock;
    2. INSERT the participation (who, when, how); 3. INSERT the ballot (what, receipt).
    Option and subject ids come from a per-process cache (one more query the first time
    a process sees the poll). No ledger entry and no log of the voter. After commit,
    `live.turnout_push(poll)` (throttled).

    Raises BallotRefused: not_open, closed, not_eligible, proxy, invalid, already_voted."""
    comment = (comment or "").strip()
    grantor = on_behalf_of.pk if on_behalf_of is not None else None
    try:
        with transaction.atomic():
            locked = _locked_for_ballot(poll.pk, voter, grantor)
            now = timezone.now()  # after the lock: a ballot that waited is judged on arrival
            window_check(locked, now)
            elector_id, channel = _elector_check(locked, grantor)
            content = _content_check(locked, content, comment)
            receipt = _ballot_insert(
                poll=locked,
                elector_id=elector_id,
                content=content,
                channel=channel,
                cast_by_id=voter.pk,
                now=now,
                comment=comment,
            )
            turnout_push_on_commit(locked)
    except IntegrityError:
        raise _already_voted() from None
    poll.title = locked.title  # the receipt names the poll without another query
    return receipt


def _elector_check(poll: Poll, grantor: int | None) -> tuple[int, str]:
    own = poll.own_elector_id
    if grantor is None:
        if own is None:
            raise BallotRefused(
                "not_eligible",
                _(
                    "You are not in this poll's electorate. It was fixed when the poll "
                    "opened; ask the committee if you think you should be on it."
                ),
            )
        return own, Channel.ONLINE
    if not poll.proxies_allowed:
        raise BallotRefused("proxy", _("This poll does not allow proxies."))
    if own is None or poll.proxy_holder_id != own:
        raise BallotRefused(
            "proxy", _("You do not hold a written proxy from this voter for this poll.")
        )
    return grantor, Channel.PROXY

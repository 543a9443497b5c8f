"""The vote path: a ballot taken under the poll's `FOR KEY SHARE` lock, checked, and
written as two unjoinable rows (who voted; what was voted)."""

import json
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import datetime
from typing import NamedTuple

from django.db import IntegrityError, ProgrammingError, connection, transaction
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
_ELECTOR_OF = """
    COALESCE(
        (SELECT e.id FROM voting_elector e WHERE e.poll_id = p.id AND e.person_id = {voter}),
        (SELECT MIN(e.id) FROM voting_elector e
         JOIN community_membership m ON m.household_id = e.household_id
         WHERE e.poll_id = p.id AND m.person_id = {voter} AND m.committee_id = p.committee_id
           AND m.role = {role} AND m.start <= {today}
           AND (m."end" IS NULL OR m."end" >= {today}))
    )
"""
_ELECTOR_OF_VOTER = _ELECTOR_OF.format(voter="%s", role="%s", today="%s")


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


class BallotShape(NamedTuple):
    """What a ballot of one poll may contain, fixed when the poll is drafted (there is
    no editing a poll's method, limits, options or subjects afterwards), and its title
    (not edited either), which names the poll on a refusal."""

    created_at: datetime
    title: str
    method: str
    min_choices: int
    max_choices: int
    options: frozenset[int]
    subjects: frozenset[int]


# The shapes of the polls voted on lately, by poll id, for the one-statement ballot: it
# checks the content before it reaches the database, and the statement writes nothing
# unless the poll's created_at is still the cached one (an id reused after a rollback,
# in tests, is another poll).
_SHAPES: OrderedDict[tuple, BallotShape] = OrderedDict()


def _shape_cached(poll_id: int) -> BallotShape | None:
    key = (connection.alias, poll_id)
    with _choices_lock:
        shape = _SHAPES.get(key)
        if shape is not None:
            _SHAPES.move_to_end(key)
        return shape


def _shape_keep(poll: Poll) -> None:
    options, subjects = choices_of(poll)
    shape = BallotShape(
        poll.created_at,
        poll.title,
        poll.method,
        poll.min_choices,
        poll.max_choices,
        options,
        subjects,
    )
    key = (connection.alias, poll.pk)
    with _choices_lock:
        _SHAPES[key] = shape
        while len(_SHAPES) > _CHOICES_KEPT:
            _SHAPES.popitem(last=False)


def _shape_forget(poll_id: int) -> None:
    with _choices_lock:
        _SHAPES.pop((connection.alias, poll_id), None)


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


def _content_verdict(shape: BallotShape, normalized) -> rules.Verdict:
    return rules.content_verdict(
        method=shape.method,
        content=normalized,
        option_ids=shape.options,
        subject_ids=shape.subjects,
        min_choices=shape.min_choices,
        max_choices=shape.max_choices,
    )


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
    """The participation row and the ballot row, then a graded ballot's comment apart.
    The participation goes first: its unique elector is what refuses a second ballot
    (IntegrityError), before a ballot row is written.

    On PostgreSQL both rows are ONE statement (a data-modifying CTE: the ballot is
    inserted from the participation's RETURNING, so no participation means no ballot
    row), one round trip instead of two (the online vote path's usual case does even
    this, and the lock, in `_ONE_STATEMENT`). On SQLite (tests, local runs) two ORM
    inserts in the caller's transaction, which is just as atomic. Either way the
    caller's transaction holds both, and a unique violation leaves neither."""
    # A receipt drawn twice (about 2^-60 per pair of ballots) would also fail as a
    # duplicate and be refused as one: the voter tries again and draws another.
    receipt = receipt_new()
    ballot_elector_id = elector_id if poll.named else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _BOTH_ROWS,
                {
                    "poll": poll.pk,
                    "elector": elector_id,
                    "cast_by": cast_by_id,
                    "channel": channel,
                    "voted_at": now,
                    "paper_entry": paper_entry_id,
                    "receipt": receipt,
                    "content": json.dumps(content),
                    "ballot_elector": ballot_elector_id,
                },
            )
    else:
        Participation.objects.create(
            poll_id=poll.pk,
            elector_id=elector_id,
            cast_by_id=cast_by_id,
            channel=channel,
            voted_at=now,
            paper_entry_id=paper_entry_id,
        )
        Ballot.objects.create(
            receipt=receipt,
            poll_id=poll.pk,
            content=content,
            channel=channel,
            elector_id=ballot_elector_id,
        )
    if comment:
        BallotComment.objects.create(poll_id=poll.pk, text=comment)
    return receipt


# Who voted and what, in one statement (PostgreSQL): the ballot row is selected from the
# participation's RETURNING, so it exists only if the participation was written.
_BOTH_ROWS = """
WITH who AS (
    INSERT INTO voting_participation
        (poll_id, elector_id, cast_by_id, channel, voted_at, paper_entry_id)
    VALUES (%(poll)s, %(elector)s, %(cast_by)s, %(channel)s, %(voted_at)s, %(paper_entry)s)
    RETURNING poll_id
)
INSERT INTO voting_ballot (receipt, poll_id, content, channel, elector_id)
SELECT %(receipt)s, who.poll_id, %(content)s::jsonb, %(channel)s, %(ballot_elector)s FROM who
"""


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
    voter anywhere: it is shown once. `poll` may be a bare `Poll(pk=...)`: its title is
    set from the row read under the lock, so that the receipt, or a refusal, names it.

    First ballot counts: there is no changing a vote; a second one for the same elector
    (the same person, another member of the household, a proxy holder after the grantor,
    or any number of concurrent requests) is refused as already_voted by the unique
    participation row, and the first ballot stays as it was.

    The lock: the poll row is read under `FOR KEY SHARE` (see the package docstring) and
    the window is checked against that row, so a count (which always sets closed_at,
    under `FOR UPDATE`) waits for a ballot holding the lock and refuses every later one.

    On PostgreSQL, once this process knows the poll's ballot shape (method, limits,
    option and subject ids: fixed when the poll is drafted) and the content fits it,
    the whole ballot is ONE statement (`_ONE_STATEMENT`): the lock, the voter's elector
    row, the proxy's holder, the window and eligibility conditions, and both inserts.
    Outside a transaction it commits on its own: one round trip, no BEGIN / COMMIT. The
    time it judges the window by is the ballot's arrival, taken just before; the poll's
    state (status, closed_at) is the one read under the lock. When the statement writes
    nothing, the same row says why, judged by the same Python rules as the other path.

    Otherwise (the first ballot a process sees for a poll, a content that does not fit,
    a graded ballot with a comment, SQLite): one transaction, three statements: the
    poll row under the lock with the elector row and proxy holder (the window checked
    with the time taken after it), then the two rows (`_ballot_insert`: one statement on
    PostgreSQL), and the comment apart.

    No ledger entry and no log of the voter. After commit, `live.turnout_push(poll)`
    (throttled). Raises BallotRefused: not_open, closed, not_eligible, proxy, invalid,
    already_voted; Poll.DoesNotExist for an unknown poll."""
    comment = (comment or "").strip()
    grantor = on_behalf_of.pk if on_behalf_of is not None else None
    if not comment and connection.vendor == "postgresql":
        shape = _shape_cached(poll.pk)
        if shape is not None:
            normalized = content_normalized(content)
            # A content that does not fit is refused by the locked path, after the
            # window and the electorate, as a ballot is always judged.
            if _content_verdict(shape, normalized):
                receipt = _cast_in_one_statement(poll, voter, normalized, grantor, shape)
                if receipt is not None:
                    return receipt
    return _cast_locked(poll, voter, content, grantor, comment)


def _cast_locked(poll: Poll, voter, content, grantor: int | None, comment: str) -> str:
    try:
        with transaction.atomic():
            locked = _locked_for_ballot(poll.pk, voter, grantor)
            poll.title = locked.title  # the receipt, or a refusal, names the poll
            now = timezone.now()  # after the lock: a ballot that waited is judged on arrival
            window_check(locked, now)
            elector_id, channel = _elector_check(locked, grantor)
            content = _content_check(locked, content, comment)
            if locked.status != Poll.Status.DRAFT:
                _shape_keep(locked)
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
    return receipt


# The whole online ballot in one statement (PostgreSQL). `poll` reads the row under the
# ballot lock (MATERIALIZED: read once, before anything below uses it) with the voter's
# elector row and the proxy's holder; `who` inserts the participation only if the
# window is open at the ballot's time and the voter may cast this vote (the same
# conditions as `window_check` and `_elector_check`) and the poll is the one whose
# shape was checked (created_at); `what` inserts the ballot from the participation's
# RETURNING. The final SELECT returns the row and whether a ballot was written.
_ONE_STATEMENT = f"""
WITH poll AS MATERIALIZED (
    SELECT p.id, p.created_at, p.title, p.status, p.opens_at, p.closes_at, p.closed_at,
           p.named, p.proxies_allowed, p.eligible, p.method,
           {_ELECTOR_OF.format(voter="%(voter)s", role="%(role)s", today="%(today)s")}
               AS own_elector_id,
           (SELECT pr.holder_id FROM voting_proxy pr
            WHERE pr.grantor_id = %(grantor)s AND pr.poll_id = p.id) AS proxy_holder_id
    FROM voting_poll p
    WHERE p.id = %(poll)s
    FOR KEY SHARE OF p
),
who AS (
    INSERT INTO voting_participation (poll_id, elector_id, cast_by_id, channel, voted_at)
    SELECT poll.id, COALESCE(%(grantor)s, poll.own_elector_id), %(voter)s, %(channel)s,
           %(now)s
    FROM poll
    WHERE poll.created_at = %(created_at)s
      AND poll.status <> %(draft)s AND poll.closed_at IS NULL
      AND poll.opens_at <= %(now)s AND %(now)s < poll.closes_at
      AND poll.own_elector_id IS NOT NULL
      AND (%(grantor)s IS NULL
           OR (poll.proxies_allowed AND poll.proxy_holder_id = poll.own_elector_id))
    RETURNING poll_id, elector_id
),
what AS (
    INSERT INTO voting_ballot (receipt, poll_id, content, channel, elector_id)
    SELECT %(receipt)s, who.poll_id, %(content)s::jsonb, %(channel)s,
           CASE WHEN poll.named THEN who.elector_id END
    FROM who CROSS JOIN poll
    RETURNING receipt
)
SELECT poll.created_at, poll.title, poll.status, poll.opens_at, poll.closes_at,
       poll.closed_at, poll.named, poll.proxies_allowed, poll.eligible, poll.method,
       poll.own_elector_id, poll.proxy_holder_id, (SELECT count(*) FROM what)
FROM poll
"""


class _Row(NamedTuple):
    """The poll as `_ONE_STATEMENT` read it under the lock, and what it wrote."""

    created_at: datetime
    title: str
    status: str
    opens_at: datetime | None
    closes_at: datetime
    closed_at: datetime | None
    named: bool
    proxies_allowed: bool
    eligible: int
    method: str
    own_elector_id: int | None
    proxy_holder_id: int | None
    written: int


# `_ONE_STATEMENT` is prepared once per database connection and executed by name: its
# planning (the CTEs and subqueries, about 0.3 ms of the server's CPU) would otherwise
# be redone for every ballot. The parameters in the order of PREPARE, with their types.
_PARAMETERS = {
    "poll": "bigint",
    "voter": "bigint",
    "role": "text",
    "today": "date",
    "grantor": "bigint",
    "channel": "text",
    "now": "timestamptz",
    "created_at": "timestamptz",
    "draft": "text",
    "receipt": "text",
    "content": "jsonb",
}
_PREPARED_NAME = "voting_ballot_cast"
_PREPARE = f"PREPARE {_PREPARED_NAME} ({', '.join(_PARAMETERS.values())}) AS " + re.sub(
    r"%\((\w+)\)s", lambda name: f"${list(_PARAMETERS).index(name[1]) + 1}", _ONE_STATEMENT
)
_EXECUTE = f"EXECUTE {_PREPARED_NAME} ({', '.join(['%s'] * len(_PARAMETERS))})"
# The database connections (psycopg's, which Django replaces when it reconnects) where
# the statement is prepared.
_prepared_on: weakref.WeakSet = weakref.WeakSet()


def _one_statement(params: dict):
    """The row `_ONE_STATEMENT` returns for `params`. Prepared on the connection first if
    need be, and again if the server lost it (a DISCARD ALL, say); if it is lost again
    at once (a pooler handing each statement to another server session), run as plain
    SQL. Inside a caller's transaction it runs in a savepoint, so that a refused ballot
    leaves it usable; alone, the statement is its own transaction (no BEGIN, COMMIT)."""
    values = [params[name] for name in _PARAMETERS]
    for _attempt in range(2):
        try:
            return _execute(params, values, prepared=True)
        except ProgrammingError as error:
            if getattr(error.__cause__, "sqlstate", None) != "26000":  # no such statement
                raise
            _prepared_on.discard(connection.connection)
    return _execute(params, values, prepared=False)


def _execute(params: dict, values: list, *, prepared: bool):
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        if not prepared:
            cursor.execute(_ONE_STATEMENT, params)
            return cursor.fetchone()
        if connection.connection not in _prepared_on:
            cursor.execute(_PREPARE)  # not transactional: kept even if this ballot fails
            _prepared_on.add(connection.connection)
        cursor.execute(_EXECUTE, values)
        return cursor.fetchone()


def _cast_in_one_statement(
    poll: Poll, voter, content: dict, grantor: int | None, shape: BallotShape
) -> str | None:
    """The receipt of a ballot written by `_ONE_STATEMENT`; BallotRefused for a ballot
    the row says is refused; None when the locked path must decide (the poll is not the
    one whose shape is cached, or, should the statement and the rules ever disagree,
    so that the rules have the last word). Sets the title, eligible, named and method
    of `poll` from the row (the receipt names the poll; the turnout push needs them)."""
    receipt = receipt_new()
    channel = Channel.PROXY if grantor is not None else Channel.ONLINE
    now = timezone.now()  # the ballot's arrival; the poll's state is read under the lock
    params = {
        "poll": poll.pk,
        "voter": voter.pk,
        "role": Role.RESIDENT.value,
        "today": timezone.localdate(),
        "grantor": grantor,
        "channel": channel,
        "now": now,
        "created_at": shape.created_at,
        "draft": Poll.Status.DRAFT.value,
        "receipt": receipt,
        "content": json.dumps(content),
    }
    try:
        found = _one_statement(params)
    except IntegrityError:
        poll.title = shape.title  # the statement failed as a whole: no row to read it from
        raise _already_voted() from None
    if found is None:
        _shape_forget(poll.pk)
        raise Poll.DoesNotExist
    row = _Row(*found)
    poll.title = row.title  # the receipt, or a refusal, names the poll
    if row.created_at != shape.created_at:
        _shape_forget(poll.pk)
        return None
    if row.written:
        poll.eligible, poll.named, poll.method = row.eligible, row.named, row.method
        turnout_push_on_commit(poll)
        return receipt
    window_check(row, now)
    _elector_check(row, grantor)
    return None


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

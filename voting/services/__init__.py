"""Every write about a poll's life and its ballots: drafting, opening (the electorate
frozen), casting a ballot, closing early, and the count that happens on the first read
after the closing time (no cron).

Locks. A ballot takes `FOR KEY SHARE` on the poll row and checks the window after it
has the lock; the count takes `FOR UPDATE` on the same row. The two conflict, so the
count waits for every ballot already past its window check to commit, and every ballot
that arrives later sees the poll closed: a count never misses a ballot, and no ballot
lands after the count. Ballots do not conflict with one another (KEY SHARE is shared).

Secrecy. Online ballots write no ledger entry and no log row naming the voter: an entry
per ballot would carry a time, and times link a participation row to its ballot. The
count of a secret poll rewrites its ballots in receipt order (and its comments in random
order), so that their physical order says nothing either.

Shared with `voting.proxies` and `voting.paper`:
  `poll_window_locked(poll_id)`   the poll row under the ballot lock, window fields only;
  `window_check(poll, now)`       raises BallotRefused when `now` is outside the window;
  `choices_of(poll)`              (option ids, subject ids) for `rules.content_verdict`;
  `ballot_write(...)`             the durable writes of one ballot (participation, ballot,
                                  comment), shared by the online path and paper entries;
  `poll_content(poll)`            the content every ledger entry about a poll hashes.
"""

from .ballots import (
    COMMENT_MAX,
    BallotRefused,
    ballot_cast,
    ballot_write,
    choices_of,
    content_normalized,
    poll_window_locked,
    turnout_push_on_commit,
    window_check,
)
from .content import electorate_digest, poll_content, poll_load, poll_opened_content
from .drafting import poll_create
from .lifecycle import poll_close, poll_open, poll_settle_if_due

__all__ = [
    "COMMENT_MAX",
    "BallotRefused",
    "ballot_cast",
    "ballot_write",
    "choices_of",
    "content_normalized",
    "electorate_digest",
    "poll_close",
    "poll_content",
    "poll_create",
    "poll_load",
    "poll_open",
    "poll_opened_content",
    "poll_settle_if_due",
    "poll_window_locked",
    "turnout_push_on_commit",
    "window_check",
]

"""manage.py verify_poll <poll id> [--export board.json]: recount a poll from its ballot
board and compare with what it published."""

import json

from django.core.management.base import BaseCommand, CommandError

from townhall.ledger import canonical
from townhall.ledger.models import LedgerEntry
from townhall.ledger.subjects import subject_of
from voting import exports, offline_recount, rules, services
from voting.models import Ballot, Elector, Participation, Poll


def database_problems(poll: Poll) -> list[str]:
    """What the board alone cannot show: the two tables agree in number, every ballot
    fits the poll by the service's own rules, and the published result is the one the
    ledger recorded when the poll was counted."""
    problems = []
    ballots = Ballot.objects.filter(poll=poll)
    voted = Participation.objects.filter(poll=poll).count()
    if ballots.count() != voted:
        problems.append(f"{ballots.count()} ballots but {voted} voters recorded as having voted")
    electors = Elector.objects.filter(poll=poll).count()
    if electors != poll.eligible:
        problems.append(f"the electorate has {electors} rows but the poll says {poll.eligible}")
    options, subjects = services.choices_of(poll)
    for receipt, content, channel in ballots.values_list("receipt", "content", "channel"):
        verdict = rules.content_verdict(
            method=poll.method,
            content=content,
            option_ids=set(options),
            subject_ids=set(subjects),
            min_choices=poll.min_choices,
            max_choices=poll.max_choices,
            paper=channel in ("paper", "hands"),
        )
        if not verdict:
            problems.append(f"ballot {receipt}: {verdict.reason}")
    counted = (
        LedgerEntry.objects.filter(subject=subject_of(poll), kind="poll.counted")
        .order_by("-seq")
        .first()
    )
    if counted is None:
        problems.append("the ledger has no poll.counted entry for this poll")
    elif counted.content_hash != canonical.content_hash(poll.result):
        problems.append("the published result differs from the one the ledger recorded")
    return problems


class Command(BaseCommand):
    help = (
        "Recount a counted poll from its ballot board (as offline_recount.py does) and "
        "compare every figure with its published result. Exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("poll_id", type=int)
        parser.add_argument(
            "--export", metavar="FILE", help="also write the ballot board as JSON to FILE"
        )

    def handle(self, *args, poll_id: int, export: str | None = None, **options):
        poll = Poll.objects.filter(pk=poll_id).first()
        if poll is None:
            raise CommandError(f"There is no poll {poll_id}.")
        # No cron: a poll past its closing time is counted by its first reader.
        poll = services.poll_settle_if_due(poll)
        if poll.status != Poll.Status.CLOSED:
            raise CommandError(
                f"Poll {poll_id} is not counted yet: it closes at {poll.closes_at.isoformat()}."
            )
        board = exports.board_export(poll)
        if export:
            with open(export, "w", encoding="utf-8") as out:
                json.dump(board, out, ensure_ascii=False, indent=1)
            self.stdout.write(f"Ballot board written to {export}")
        recounted = offline_recount.recount(board)
        differences = offline_recount.compare(recounted, board["result"])
        differences += database_problems(poll)
        self.stdout.write(f"Poll {poll.pk}: {poll.title}")
        for key in ("eligible", "members", "present", "cast", "valid", "base_count"):
            self.stdout.write(f"  {key}: {recounted[key]}")
        for key in ("tally", "grades", "channels", "decided", "passed", "winner"):
            if key in recounted:
                self.stdout.write(f"  {key}: {json.dumps(recounted[key])}")
        if differences:
            listed = "\n".join(f"  - {line}" for line in differences)
            raise CommandError(f"Poll {poll.pk} NOT verified:\n{listed}")
        self.stdout.write(self.style.SUCCESS("OK: the recount equals the published result."))

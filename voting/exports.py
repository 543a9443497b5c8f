"""A counted poll as files: the public ballot board (JSON for recounting, CSV for a
spreadsheet) and the auditors' table of who could vote, who voted and how.

The public files carry no names: the electorate appears as row ids with their basis, and
ballots with their receipts. Only a named (roll-call) poll puts the elector on a ballot,
as its page does. The auditors' table names people, and never says what anyone voted.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.meetings.models import RollMember

from . import selectors
from .models import Channel, Elector, Option, Participation, Poll, Proxy, Subject

FORMAT = "townhall-ballot-board/1"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _counted(poll: Poll) -> None:
    if poll.status != Poll.Status.CLOSED or poll.result is None:
        raise ValidationError(_("The ballot board is published once the poll is counted."))


def board_export(poll: Poll) -> dict:
    """The public ballot board of a counted poll, everything `offline_recount.py` needs:
    the poll's rules, options, subjects, the electorate snapshot (id, basis, present at
    the close, voted: no names), every ballot in receipt order (receipt, content,
    channel; the elector id on a named poll) and the published result.

    `roll` is the meeting's roll for a poll of those checked in at a meeting: the law's
    quorum counts the whole body, not only those in the hall when the poll opened."""
    _counted(poll)
    voted = Participation.objects.filter(elector=OuterRef("pk"))
    electorate = (
        Elector.objects.filter(poll=poll)
        .annotate(voted=Exists(voted))
        .order_by("pk")
        .values_list("pk", "basis", "present_at_close", "voted")
    )
    roll = None
    if poll.electorate == Poll.Electorate.MEETING:
        roll = RollMember.objects.filter(meeting_id=poll.meeting_id).count()
    ballots = []
    for receipt, content, channel, elector in selectors.board(poll).values_list(
        "receipt", "content", "channel", "elector_id"
    ):
        ballot = {"receipt": receipt, "content": content, "channel": channel}
        if poll.named:
            ballot["elector"] = elector
        ballots.append(ballot)
    return {
        "format": FORMAT,
        "poll": {
            "id": poll.pk,
            "title": poll.title,
            "method": poll.method,
            "electorate": poll.electorate,
            "body": poll.body,
            "base": poll.base,
            "named": poll.named,
            "min_choices": poll.min_choices,
            "max_choices": poll.max_choices,
            "eligible": poll.eligible,
            "roll": roll,
            "opens_at": _iso(poll.opens_at),
            "closes_at": _iso(poll.closes_at),
            "closed_at": _iso(poll.closed_at),
        },
        "options": [
            {"id": pk, "label": label, "code": code}
            for pk, label, code in Option.objects.filter(poll=poll).values_list(
                "pk", "label", "code"
            )
        ],
        "subjects": [
            {"id": pk, "label": label}
            for pk, label in Subject.objects.filter(poll=poll).values_list("pk", "label")
        ],
        "electorate": [
            {"id": pk, "basis": basis, "present_at_close": present, "voted": has_voted}
            for pk, basis, present, has_voted in electorate
        ],
        "ballots": ballots,
        "result": poll.result,
    }


def board_csv_rows(poll: Poll) -> list[list[str]]:
    """The ballot board for a spreadsheet: a header, then one row per ballot in receipt
    order with its channel and, in words, what it says (a column per person rated on a
    graded poll). A named poll adds who cast each ballot, as its page shows."""
    _counted(poll)
    options = dict(Option.objects.filter(poll=poll).values_list("pk", "label"))
    subjects = list(Subject.objects.filter(poll=poll).values_list("pk", "label"))
    channels = dict(Channel.choices)
    header = [_("Receipt"), _("How")]
    if poll.named:
        header.append(_("Voter"))
    if poll.method == Poll.Method.GRADED:
        header += [label for _pk, label in subjects]
    else:
        header.append(_("Choice"))
    rows = [header]
    invalid = _("invalid ballot")
    for ballot in selectors.board(poll):
        row = [ballot.receipt, str(channels.get(ballot.channel, ballot.channel))]
        if poll.named:
            row.append(str(ballot.elector) if ballot.elector_id else "")
        content = ballot.content
        if content.get("invalid"):
            width = len(subjects) if poll.method == Poll.Method.GRADED else 1
            row += [str(invalid)] * width
        elif poll.method == Poll.Method.GRADED:
            grades = content.get("grades", {})
            row += [options.get(grades.get(str(pk)), "") for pk, _label in subjects]
        else:
            row.append(" / ".join(options.get(pk, str(pk)) for pk in content.get("options", [])))
        rows.append(row)
    return rows


def _name(elector: Elector) -> str:
    if elector.person_id:
        return elector.person.real_name or str(elector.person)
    return elector.household.address


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def audit_rows(poll: Poll) -> list[list[str]]:
    """The auditors' table (AUDIT is checked by the caller): one row per member of the
    electorate, by name, with why they may vote, whether present at the close (meeting
    polls), the proxy they gave (holder and written authorisation), and when, how and by
    whom their vote was cast, and the paper entry it came in. Never what they voted.
    A fixed number of queries whatever the size of the electorate."""
    electors = Elector.objects.filter(poll=poll).select_related("person", "household")
    given = {
        proxy.grantor_id: proxy
        for proxy in Proxy.objects.filter(poll=poll).select_related(
            "holder__person", "holder__household", "recorded_by"
        )
    }
    voted = {
        row.elector_id: row
        for row in Participation.objects.filter(poll=poll).select_related("cast_by")
    }
    bases = dict(Elector.Basis.choices)
    channels = dict(Channel.choices)
    rows = [
        [
            _("Voter"),
            _("Why they may vote"),
            _("Present at the close"),
            _("Proxy given to"),
            _("Written authorisation"),
            _("Voted at"),
            _("How"),
            _("Cast by"),
            _("Paper entry"),
        ]
    ]
    yes, no = _("yes"), _("no")
    for elector in electors.order_by("pk"):
        proxy = given.get(elector.pk)
        vote = voted.get(elector.pk)
        present = elector.present_at_close
        cast_by = vote.cast_by if vote and vote.cast_by_id else None
        rows.append(
            [
                _name(elector),
                str(bases.get(elector.basis, elector.basis)),
                "" if present is None else str(yes if present else no),
                _name(proxy.holder) if proxy else "",
                proxy.document if proxy else "",
                _when(vote.voted_at) if vote else "",
                str(channels.get(vote.channel, vote.channel)) if vote else "",
                (cast_by.real_name or str(cast_by)) if cast_by else "",
                str(vote.paper_entry_id) if vote and vote.paper_entry_id else "",
            ]
        )
    return rows

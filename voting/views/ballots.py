"""The pages residents use: the list of polls, a poll's page with its vote form, casting
a ballot (the receipt page), and the public ballot board with its downloads."""

from functools import wraps
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import Membership, ResidentsCommittee
from townhall.spreadsheets import spreadsheet_response

from .. import exports, paper, rules, selectors, services
from ..forms import BallotForm, BallotUnreadable, ballot_content, elector_label, row_id
from ..models import Elector, Participation, Poll
from ..permissions import Action, may_try
from ..receipts import receipt_normalize
from .answer_pages import PRINCIPAL_SLOT, RECEIPT_SLOT, page_filled, page_pieces
from .common import Labels, poll_for_read, result_display
from .session_user import signed_in_lean

BOARD_PAGE_SIZE = 50
PUBLIC_COUNTED = 20  # counted polls listed for visitors who are not signed in

# What each refusal of a ballot answers: the ballot was not taken because of the poll's
# state (409), because of who asked (403), or because of what was filled in (400).
REFUSAL_STATUS = {
    "already_voted": 409,
    "closed": 409,
    "not_open": 409,
    "not_eligible": 403,
    "proxy": 403,
    "invalid": 400,
}


def poll_list(request):
    """Open polls the person may vote in (with their own vote marked), recently counted
    polls of their committees, and for officials the polls they run; a visitor who is
    not signed in sees the counted polls, whose boards are public."""
    user = request.user
    polls = selectors.polls_for(user)
    if not user.is_authenticated:
        polls["counted"] = list(
            Poll.objects.filter(status=Poll.Status.CLOSED)
            .select_related("committee")
            .order_by("-closed_at", "-pk")[:PUBLIC_COUNTED]
        )
    committees = _run_by(user)
    context = {
        **polls,
        "running": list(
            Poll.objects.filter(committee__in=committees)
            .exclude(status=Poll.Status.CLOSED)
            .select_related("committee")
            .order_by("status", "closes_at")
        )
        if committees
        else [],
        "can_create": [c for c in committees if may_try(user, Action.CREATE_POLL, c)],
    }
    return render(request, "voting/poll_list.html", context)


def _run_by(user) -> list[ResidentsCommittee]:
    """The committees where `user` drafts or runs polls."""
    if not user.is_authenticated:
        return []
    mine = Membership.objects.current().filter(person=user).values("committee_id")
    return [
        committee
        for committee in ResidentsCommittee.objects.filter(pk__in=mine).order_by("name")
        if may_try(user, Action.RUN_POLL, committee) or may_try(user, Action.CREATE_POLL, committee)
    ]


def _window(poll: Poll) -> str:
    """ "draft", "not_open", "open" or "closed", as the voter sees the poll now."""
    if poll.status == Poll.Status.DRAFT:
        return "draft"
    if poll.status == Poll.Status.CLOSED:
        return "closed"
    return rules.window_state(
        now=timezone.now(),
        opens_at=poll.opens_at,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
    )


def _voter(poll: Poll, user) -> dict:
    """Where the person stands: in the electorate or not, voted or not, and the proxies
    whose votes they may still cast."""
    if not user.is_authenticated or poll.status == Poll.Status.DRAFT:
        return {"elector": None, "voted": False, "proxies": []}
    elector = selectors.elector_for(poll, user)
    voted = elector is not None and Participation.objects.filter(elector=elector).exists()
    proxies = selectors.proxies_held(poll, user)
    return {"elector": elector, "voted": voted, "proxies": proxies}


def detail_context(request, poll: Poll, *, data=None, refusal: str = "") -> dict:
    labels = Labels(list(poll.options.all()), list(poll.subjects.all()))
    window = _window(poll)
    voter = _voter(poll, request.user)
    own_left = voter["elector"] is not None and not voter["voted"]
    form = None
    if window == "open" and (own_left or voter["proxies"]):
        form = BallotForm(
            data,
            poll=poll,
            options=labels.options,
            subjects=labels.subjects,
            for_self=own_left,
            proxies=voter["proxies"],
        )
    committee = poll.committee
    can_run = may_try(request.user, Action.RUN_POLL, committee)
    can_confirm = may_try(request.user, Action.CONFIRM_ENTRY, committee)
    pending = []
    if (can_run or can_confirm) and poll.status == Poll.Status.OPEN and poll.meeting_id:
        pending = paper.paper_entries_pending(poll)
    return {
        "poll": poll,
        "committee": committee,
        "labels": labels,
        "window": window,
        "voter": voter,
        "form": form,
        "refusal": refusal,
        "turnout": selectors.turnout(poll) if poll.status != Poll.Status.DRAFT else None,
        # A named poll's ballots are public, so is its running count; a secret poll's
        # stays hidden until it is counted.
        "tally": _tally(poll, labels)
        if poll.named and window == "open" and poll.method != Poll.Method.GRADED
        else None,
        "result": result_display(poll, labels),
        "can_run": can_run,
        "can_confirm": can_confirm,
        "can_audit": may_try(request.user, Action.AUDIT, committee),
        "can_record_proxy": may_try(request.user, Action.RECORD_PROXY, committee),
        "pending": pending,
    }


def _tally(poll: Poll, labels: Labels) -> list[dict]:
    counts = selectors.running_tally(poll) or {}
    return [
        {"pk": option.pk, "label": option.label, "votes": counts.get(str(option.pk), 0)}
        for option in labels.options
    ]


def poll_detail(request, pk):
    poll = poll_for_read(pk)
    return render(request, "voting/poll_detail.html", detail_context(request, poll))


def _get_goes_to_the_poll(view):
    """A GET of the vote address (the address bar after voting, a bookmark, a reload the
    browser made a GET) goes to the poll's page, which says whether the person has
    voted and where to find the ballot: never an error page, never a blank form."""

    @wraps(view)
    def wrapped(request, pk):
        if request.method in ("GET", "HEAD"):
            return redirect(reverse("voting:poll_detail", args=[pk]) + "#vote")
        return view(request, pk)

    return wrapped


@_get_goes_to_the_poll
@require_POST
@signed_in_lean
@login_required
def ballot_cast(request, pk):
    """The vote path, measured by the benchmark: the signed-in user (one plain SELECT,
    `session_user`), then the service, which reads the poll under its lock together
    with the voter's elector row, checks the window and the content, and writes (one
    statement, once the process knows the poll); the receipt page reads nothing more
    (`_receipt`). The receipt is shown once and offered as a download, never stored
    with the voter (nor in the session)."""
    if row_id(pk) is None:
        raise Http404(_("No such poll."))
    poll = Poll(pk=pk)  # the service reads the row itself, under the ballot lock
    try:
        content = ballot_content(request.POST)
    except BallotUnreadable:
        return _refused(request, poll, "invalid", _("Make your choice before you vote."))
    on_behalf_of = None
    if proxy := request.POST.get("on_behalf_of", ""):
        if (grantor := row_id(proxy)) is None:
            return _refused(request, poll, "proxy", _("Choose whose vote this is."))
        on_behalf_of = Elector(pk=grantor)  # the service checks the proxy under the lock
    try:
        receipt = services.ballot_cast(
            poll=poll,
            voter=request.user,
            content=content,
            on_behalf_of=on_behalf_of,
            comment=request.POST.get("comment", ""),
        )
    except Poll.DoesNotExist:
        raise Http404(_("No such poll.")) from None
    except services.BallotRefused as refused:
        return _refused(request, poll, refused.code, refused.message)
    principal = _principal_name(on_behalf_of.pk) if on_behalf_of is not None else ""
    return _receipt(request, poll, receipt, principal)


def _principal_name(elector_id: int) -> str:
    """The name the proxy holder chose on the form ("For 老刘"), for the receipt they
    hand over: one read, for proxy ballots only (the voter's own ballot reads nothing
    after the service)."""
    elector = Elector.objects.select_related("person", "household").get(pk=elector_id)
    return elector_label(elector)


def _receipt(request, poll: Poll, receipt: str, principal: str = "") -> HttpResponse:
    """The receipt page. For a proxy ballot it names whose ballot it is (`principal`)
    and asks the holder to hand the receipt over; that page is cached apart."""
    host = f"{request.scheme}://{request.get_host()}"  # get_host checks ALLOWED_HOSTS
    for_proxy = bool(principal)

    def fixed_of() -> dict:
        board = host + reverse("voting:ballot_board", args=[poll.pk])
        # The download's text, URL-quoted once with slots where the receipt and the
        # principal's name go (a slot's characters are never quoted).
        whose = (
            [_("The ballot of %(name)s, cast by proxy") % {"name": PRINCIPAL_SLOT}]
            if for_proxy
            else []
        )
        text = "\n".join(
            ([poll.title] if poll.title else [])
            + whose
            + [
                _("Receipt: %(receipt)s") % {"receipt": RECEIPT_SLOT},
                _("Check it on the ballot board once the poll is counted:"),
                f"{board}?receipt={RECEIPT_SLOT}",
                "",
            ]
        )
        return {
            "poll_title": poll.title,
            "poll_url": reverse("voting:poll_detail", args=[poll.pk]),
            "board": board,
            "download": ("data:text/plain;charset=utf-8," + quote(text)).split(RECEIPT_SLOT),
            "for_proxy": for_proxy,
        }

    names = ("receipt", "board_url", "download_href", "download_name")
    pieces, fixed = page_pieces(
        "voting/receipt.html",
        (poll.pk, poll.title, host, for_proxy),
        fixed_of,
        (*names, "principal") if for_proxy else names,
        request=request,
    )
    each = {
        "receipt": receipt,
        "board_url": f"{fixed['board']}?receipt={receipt}",
        "download_href": receipt.join(fixed["download"]),
        "download_name": f"receipt-{poll.pk}-{receipt}.txt",
    }
    if for_proxy:
        each["principal"] = principal
        each["download_href"] = each["download_href"].replace(PRINCIPAL_SLOT, quote(principal))
    return page_filled(pieces, each)


# Refusals the voter can do nothing about on the poll's page answer with a short page:
# the reason, the poll's title and the way back. A second attempt (already voted) is
# the one that comes in bursts, from double taps and reloads.
LEAN_REFUSALS = frozenset({"already_voted", "not_open", "not_eligible", "proxy"})


def _refused(request, poll: Poll, code: str, message: str):
    """The answer to a ballot that was not taken: the reason, in the request's
    language, with the status that says why (`REFUSAL_STATUS`).

    - already voted, not open yet, not in the electorate, a proxy not held: a short
      page (`voting/vote_refused.html`) with the poll's title (as the service read it
      under the lock; read here when the refusal came first) and the way back;
    - too late: the poll's page, read again and counted if its time is up, so the late
      voter sees the result;
    - invalid: the poll's page with the form re-rendered with what was chosen."""
    status = REFUSAL_STATUS.get(code, 400)
    if code in LEAN_REFUSALS:
        title = poll.title
        if not title:
            title = Poll.objects.filter(pk=poll.pk).values_list("title", flat=True).first()
            if title is None:
                raise Http404(_("No such poll."))
        # A reload of the receipt page, or a second tap, comes back here: the page says
        # the vote is in and how to find the ballot once the poll is counted. A proxy's
        # refusal is about the grantor's vote, not the holder's own.
        voted = code == "already_voted"
        by_proxy = voted and bool(request.POST.get("on_behalf_of"))
        pieces, _fixed = page_pieces(
            "voting/vote_refused.html",
            (poll.pk, title, message, voted, by_proxy),
            lambda: {
                "poll_title": title,
                "poll_url": reverse("voting:poll_detail", args=[poll.pk]),
                "board_url": reverse("voting:ballot_board", args=[poll.pk]),
                "refusal": message,
                "voted": voted,
                "by_proxy": by_proxy,
            },
            request=request,
        )
        return page_filled(pieces, {}, status=status)
    full = poll_for_read(poll.pk)
    data = request.POST if code == "invalid" else None
    context = detail_context(request, full, data=data, refusal=message)
    return render(request, "voting/poll_detail.html", context, status=status)


def ballot_board(request, pk):
    poll = poll_for_read(pk)
    if poll.status != Poll.Status.CLOSED:
        return render(request, "voting/board_pending.html", {"poll": poll})
    labels = Labels(list(poll.options.all()), list(poll.subjects.all()))
    ballots = selectors.board(poll)
    typed = request.GET.get("receipt", "").strip()
    found = None
    found_page = None
    if typed:
        code = receipt_normalize(typed)
        found = ballots.filter(receipt=code).first() if code else None
        if found:
            found_page = ballots.filter(receipt__lt=found.receipt).count() // BOARD_PAGE_SIZE + 1
    page = Paginator(ballots, BOARD_PAGE_SIZE).get_page(request.GET.get("page") or found_page or 1)
    context = {
        "poll": poll,
        "committee": poll.committee,
        "result": result_display(poll, labels),
        "labels": labels,
        "page": page,
        "rows": [(ballot, labels.content(ballot.content)) for ballot in page.object_list],
        "typed": typed,
        "found": found,
        "found_text": labels.content(found.content) if found else "",
        "found_page": found_page,
    }
    return render(request, "voting/board.html", context)


def _counted(pk: int) -> Poll:
    poll = poll_for_read(pk)
    if poll.status != Poll.Status.CLOSED:
        raise Http404(_("The ballot board is published when the poll is counted."))
    return poll


def board_export(request, pk):
    """The ballot board as JSON, for `offline_recount.py` and `manage.py verify_poll`."""
    poll = _counted(pk)
    response = JsonResponse(
        exports.board_export(poll), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="board-{poll.pk}.json"'
    return response


def board_csv(request, pk):
    poll = _counted(pk)
    return spreadsheet_response(
        list(exports.board_csv_rows(poll)),
        "csv",
        filename=f"board-{poll.pk}",
        sheet_title=poll.title,
    )


def offline_recount_script(request):
    """The standard-library recount script, so anyone can recount a downloaded board."""
    script = Path(__file__).resolve().parent.parent / "offline_recount.py"
    if not script.exists():
        raise Http404
    return FileResponse(
        script.open("rb"),
        as_attachment=True,
        filename="offline_recount.py",
        content_type="text/x-python; charset=utf-8",
    )

"""The pages of those who run and watch a poll: drafting it, opening and closing it,
typing in paper ballots and confirming them, recording proxies, and the audit view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deliberation.meetings.models import Meeting, Motion
from townhall.accounts.models import User
from townhall.community.models import ResidentsCommittee
from townhall.spreadsheets import spreadsheet_response

from .. import exports, paper, proxies, selectors, services
from ..forms import CloseForm, PaperForm, PollForm, ProxyForm, row_id
from ..models import PaperEntry, Poll
from ..permissions import Action, check
from .common import error_text, form_error, poll_for_read, poll_for_write, refusal

AUDIT_PAGE_SIZE = 100
# Beyond this many electors still to vote, the paper form asks for a search first: a
# hall's electorate fits on one screen, a whole community's does not.
PAPER_LIST_LIMIT = 300


def _to_poll(poll: Poll, anchor: str = ""):
    response = redirect("voting:poll_detail", pk=poll.pk)
    response["Location"] += anchor
    return response


@login_required
def poll_new(request, committee_pk):
    """A draft poll. With `?motion=<id>` (a pending motion of the committee's meeting) it
    is the vote on that motion: counting it then decides the motion."""
    committee = get_object_or_404(ResidentsCommittee, pk=committee_pk)
    if refused := refusal(request, Action.CREATE_POLL, committee):
        return refused
    motion = _motion(committee, request.GET.get("motion", ""))
    meetings = Meeting.objects.filter(committee=committee).exclude(status=Meeting.Status.CLOSED)
    initial = {"base": Poll.Base.CAST}
    if motion:
        initial = {
            "title": motion.title,
            "description": motion.text,
            "method": Poll.Method.YES_NO,
            "electorate": Poll.Electorate.MEETING,
            "meeting": motion.meeting,
            "body": motion.meeting.body,
            "base": Poll.Base.PRESENT,
        }
    form = PollForm(
        request.POST or None,
        meetings=meetings.order_by("starts_at"),
        motion=motion,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                committee=committee, by=request.user, motion=motion, **form.cleaned_data
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The poll is saved as a draft. Open it to freeze who may vote and start voting."),
            )
            return _to_poll(poll)
    context = {"committee": committee, "form": form, "motion": motion}
    status = 400 if form.is_bound else 200
    return render(request, "voting/poll_new.html", context, status=status)


def _motion(committee: ResidentsCommittee, typed: str) -> Motion | None:
    if row_id(typed) is None:
        return None
    return (
        Motion.objects.filter(
            pk=row_id(typed), meeting__committee=committee, status=Motion.Status.PENDING
        )
        .select_related("meeting")
        .first()
    )


@require_POST
@login_required
def poll_open(request, pk):
    poll = poll_for_write(pk)
    if refused := refusal(request, Action.RUN_POLL, poll.committee):
        return refused
    try:
        poll = services.poll_open(poll=poll, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The poll is open: %(n)s may vote. Who may vote is now fixed.")
            % {"n": poll.eligible},
        )
    return _to_poll(poll)


@login_required
def poll_close(request, pk):
    poll = poll_for_write(pk)
    if refused := refusal(request, Action.RUN_POLL, poll.committee):
        return refused
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_close(poll=poll, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The poll is closed and counted."))
            return _to_poll(poll, "#result")
    status = 400 if form.is_bound else 200
    return render(request, "voting/poll_close.html", {"poll": poll, "form": form}, status=status)


def _electors_to_enter(poll: Poll, query: str):
    """Electors with no ballot yet and none waiting in an unconfirmed entry."""
    waiting = [
        elector
        for entry in PaperEntry.objects.filter(poll=poll, confirmed_by=None)
        for elector in entry.electors
    ]
    electors = (
        poll.electors.filter(participation__isnull=True)
        .exclude(pk__in=waiting)
        .select_related("person", "household")
    )
    if query:
        electors = electors.filter(
            Q(person__real_name__icontains=query)
            | Q(person__phone__contains=query)
            | Q(household__address__icontains=query)
        )
    return electors


def _paper_ballots(form: PaperForm, poll: Poll) -> list[dict]:
    invalid = [{"invalid": True}] * form.cleaned_data["invalid"]
    if "lines" not in form.cleaned_data:
        return paper.contents_from_counts(poll, form.counts(), form.cleaned_data["invalid"])
    options = form.options
    if poll.method == Poll.Method.GRADED:
        subjects = list(poll.subjects.all())
        ballots = [
            {
                "grades": {
                    str(subject.pk): options[pick - 1].pk
                    for subject, pick in zip(subjects, picks, strict=False)
                }
            }
            for picks in form.cleaned_data["lines"]
        ]
    else:
        ballots = [
            {"options": [options[pick - 1].pk for pick in picks]}
            for picks in form.cleaned_data["lines"]
        ]
    return ballots + invalid


@login_required
def paper_new(request, pk):
    poll = poll_for_write(pk)
    if refused := refusal(request, Action.RUN_POLL, poll.committee):
        return refused
    query = request.GET.get("q", "").strip()
    electors = _electors_to_enter(poll, query)
    total = electors.count()
    listed = query or total <= PAPER_LIST_LIMIT
    options = list(poll.options.all())
    form = PaperForm(
        request.POST or None,
        poll=poll,
        options=options,
        electors=electors,
        initial={"kind": PaperEntry.Kind.PAPER},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = paper.paper_entry_add(
                poll=poll,
                by=request.user,
                kind=form.cleaned_data["kind"],
                electors=list(form.cleaned_data["electors"]),
                ballots=_paper_ballots(form, poll),
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(n)s ballots entered. They count once another official confirms them.")
                % {"n": len(entry.ballots)},
            )
            return _to_poll(poll, "#paper")
    context = {
        "poll": poll,
        "form": form,
        "query": query,
        "total": total,
        "listed": listed,
        "options": options,
        "subjects": list(poll.subjects.all()) if poll.method == Poll.Method.GRADED else [],
    }
    status = 400 if form.is_bound else 200
    return render(request, "voting/paper_new.html", context, status=status)


@require_POST
@login_required
def paper_confirm(request, pk, entry_pk):
    poll = poll_for_write(pk)
    if refused := refusal(request, Action.CONFIRM_ENTRY, poll.committee):
        return refused
    entry = get_object_or_404(PaperEntry, pk=entry_pk, poll=poll)
    try:
        paper.paper_entry_confirm(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Confirmed: %(n)s ballots now count.") % {"n": len(entry.ballots)}
        )
    return _to_poll(poll, "#paper")


def _person_by_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone).first()


@login_required
def proxy_new(request, pk):
    """A voter gives their vote to another voter in writing; online, signed in, they
    are their own witness. The office types in a proxy handed in on paper, with the
    signed form's number."""
    poll = poll_for_read(pk)
    for_office = bool(check(request.user, Action.RECORD_PROXY, poll.committee))
    if not for_office and selectors.elector_for(poll, request.user) is None:
        return refusal(request, Action.RECORD_PROXY, poll.committee)
    form = ProxyForm(request.POST or None, for_office=for_office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grantor = _person_by_phone(data["grantor_phone"]) if for_office else request.user
        holder = _person_by_phone(data["holder_phone"])
        if grantor is None:
            form.add_error("grantor_phone", _("No one has an account with this mobile number."))
        if holder is None:
            form.add_error("holder_phone", _("No one has an account with this mobile number."))
        if grantor is not None and holder is not None:
            try:
                proxies.proxy_grant(
                    poll=poll,
                    grantor=grantor,
                    holder=holder,
                    by=request.user,
                    document=data.get("document", ""),
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _messages_of(error))
            else:
                messages.success(
                    request,
                    _("The proxy is recorded: %(holder)s may now cast this vote.")
                    % {"holder": holder.real_name if for_office else holder},
                )
                return _to_poll(poll)
    status = 400 if form.is_bound else 200
    context = {"poll": poll, "form": form, "for_office": for_office}
    return render(request, "voting/proxy_new.html", context, status=status)


def _messages_of(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


@login_required
def poll_audit(request, pk):
    poll = poll_for_read(pk)
    if refused := refusal(request, Action.AUDIT, poll.committee):
        return refused
    electors = poll.electors.select_related("person", "household").order_by("pk")
    voted = poll.participations.select_related(
        "elector__person", "elector__household", "cast_by"
    ).order_by("voted_at", "pk")
    context = {
        "poll": poll,
        "committee": poll.committee,
        "electors": Paginator(electors, AUDIT_PAGE_SIZE).get_page(request.GET.get("page")),
        "proxies": poll.proxies.select_related(
            "grantor__person", "grantor__household", "holder__person", "recorded_by"
        ).order_by("recorded_at"),
        "voted": Paginator(voted, AUDIT_PAGE_SIZE).get_page(request.GET.get("voted")),
        "entries": poll.paper_entries.select_related("entered_by", "confirmed_by").order_by(
            "entered_at"
        ),
    }
    return render(request, "voting/audit.html", context)


@login_required
def poll_audit_csv(request, pk):
    poll = poll_for_read(pk)
    if refused := refusal(request, Action.AUDIT, poll.committee):
        return refused
    return spreadsheet_response(
        list(exports.audit_rows(poll)),
        "csv",
        filename=f"poll-{poll.pk}-audit",
        sheet_title=poll.title,
    )

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from townhall.community.models import Role
from townhall.community.refusals import refusal_for
from townhall.community.selectors import committees_where
from townhall.spreadsheets import spreadsheet_response

from . import exports, selectors
from .forms import AnswerForm, QueryForm, ReviewForm
from .models import DisclosureIndexPage, DisclosurePage, DisclosureQuery
from .notice import fingerprint_groups, qr_svg
from .permissions import Action, check
from .review import disclosure_review_decide
from .services import query_answer, query_file


@login_required
def review_queue(request):
    committees = committees_where(request.user, [Role.SUPERVISOR])
    for committee in committees:
        # A supervisor's only possible refusal here: two-step verification not on yet.
        if refusal := refusal_for(request, check(request.user, Action.REVIEW, committee)):
            return refusal
    return render(
        request,
        "disclosures/review_queue.html",
        {
            "states": selectors.reviews_pending_for(request.user),
            "overdue_queries": selectors.queries_overdue(
                committees, settings.TOWNHALL_QUERY_FLAG_DAYS
            ),
            "flag_days": settings.TOWNHALL_QUERY_FLAG_DAYS,
        },
    )


@login_required
def review_detail(request, pk):
    state = get_object_or_404(TaskState.objects.select_related("revision"), pk=pk)
    if state not in selectors.reviews_pending_for(request.user):
        return render(request, "community/forbidden.html", status=403)
    draft = state.revision.as_object()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_review_decide(
                task_state=state,
                user=request.user,
                approve="approve" in request.POST,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment", error)
        except PermissionDenied:
            return render(request, "community/forbidden.html", status=403)
        else:
            if "approve" in request.POST:
                messages.success(request, _("Approved and published."))
            else:
                messages.success(request, _("Sent back to staff with your comment."))
            return redirect("disclosures:review_queue")
    return render(
        request,
        "disclosures/review_detail.html",
        {"state": state, "page": draft, "totals": draft.totals(), "form": form},
    )


def _page_with_form(request, page, **forms):
    """The disclosure's own page, re-rendered with a form's errors and typed text."""
    response = page.serve(request)
    response.context_data.update(forms)
    return response


@login_required
def query_new(request, page_id):
    page = get_object_or_404(DisclosurePage.objects.live(), pk=page_id)
    if not check(request.user, Action.QUERY, page.committee):
        return render(request, "community/forbidden.html", status=403)
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            query_file(page=page, by=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            form.add_error("question", error)
        else:
            messages.success(request, _("Your question was sent. The answer will appear here."))
            return redirect(page.url + "#queries")
    return _page_with_form(request, page, query_form=form)


@login_required
def query_answer_view(request, pk):
    query = get_object_or_404(DisclosureQuery.objects.select_related("page"), pk=pk)
    page = query.page.specific
    if not check(request.user, Action.ANSWER, page.committee):
        return render(request, "community/forbidden.html", status=403)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            query_answer(query=query, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer published."))
    return redirect(page.url + "#queries")


# --- Printed notices and exports: public, like the published disclosures themselves ---


def _public_disclosure(page_id) -> DisclosurePage:
    """A published disclosure that anyone may read (no view restriction), or 404."""
    return get_object_or_404(DisclosurePage.objects.live().public(), pk=page_id)


def disclosure_notice(request, page_id):
    """The disclosure as an A4 notice for the physical notice board."""
    page = _public_disclosure(page_id)
    context = selectors.disclosure_detail(page)
    online_url = request.build_absolute_uri(page.get_url(request))
    entry = context["ledger_entry"]
    context.update(
        page=page,
        committee=page.committee,
        online_url=online_url,
        # Safe: the SVG is drawn by the qrcode library; the address is only in its path data.
        qr=mark_safe(qr_svg(online_url)),
        fingerprint=fingerprint_groups(entry.entry_hash) if entry else "",
    )
    return render(request, "disclosures/notice.html", context)


def board_disclosures_export(request, committee_slug, fmt):
    """The committee's published disclosures, one row each (CSV or XLSX)."""
    board = get_object_or_404(
        DisclosureIndexPage.objects.live().public(), committee__slug=committee_slug
    )
    rows = exports.board_disclosure_rows(
        exports.board_disclosures(board),
        absolute_url=lambda page: request.build_absolute_uri(page.get_url(request)),
    )
    return spreadsheet_response(
        rows, fmt, filename=f"{committee_slug}-disclosures", sheet_title=board.title
    )


def disclosure_figures_export(request, page_id, fmt):
    """A published disclosure's figure lines and computed totals (CSV or XLSX)."""
    page = _public_disclosure(page_id)
    return spreadsheet_response(
        exports.figure_rows(page),
        fmt,
        filename=f"disclosure-{page.pk}-figures",
        sheet_title=_("Figures"),
        bold_last=exports.FIGURE_TOTAL_ROWS,
    )


def search(request):
    """Published disclosures of every committee, by words, committee, category, year."""
    return render(request, "disclosures/search.html", selectors.search_listing(request.GET))

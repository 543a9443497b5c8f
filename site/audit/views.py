"""The supervision committee's workspace: read everything, raise and close findings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for
from townhall.community.selectors import committees_where
from townhall.disclosures import selectors as disclosure_selectors
from townhall.ledger.verification import ledger_export_lines, ledger_verify
from townhall.spreadsheets import (
    XLSX_CONTENT_TYPE,
    attachment_response,
    spreadsheet_response,
    xlsx_workbook_bytes,
)

from . import exports, selectors, services
from .forms import CloseForm, FindingForm, ResponseForm
from .models import Finding
from .permissions import GRANTS, Action, check

WORKSPACE_ROLES = GRANTS[Action.OPEN_WORKSPACE]


def _workspace_committees(user):
    return committees_where(user, WORKSPACE_ROLES) if user.is_authenticated else []


@login_required
def workspace(request):
    committees = list(_workspace_committees(request.user))
    for committee in committees:
        if refusal := refusal_for(
            request, check(request.user, Action.OPEN_WORKSPACE, committee), committee
        ):
            return refusal
    if not committees:
        return render(request, "community/forbidden.html", status=403)
    return render(
        request,
        "audit/workspace.html",
        {
            "committees": committees,
            "reviews": disclosure_selectors.reviews_pending_for(request.user),
            "schedule": disclosure_selectors.schedule_status(committees),
            "on_display": disclosure_selectors.on_display_now(committees),
        },
    )


@login_required
def committee_records(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    decision = check(request.user, Action.OPEN_WORKSPACE, committee)
    if refusal := refusal_for(request, decision, committee):
        return refusal
    return render(
        request,
        "audit/committee_records.html",
        {
            "committee": committee,
            "schedule": disclosure_selectors.schedule_status([committee]),
            "disclosures": selectors.disclosures_with_trail(committee),
            "open_queries": selectors.open_queries(committee),
            "findings": selectors.findings_of(committee),
            "can_raise": bool(check(request.user, Action.RAISE_FINDING, committee)),
        },
    )


@login_required
def ledger_status(request):
    if not _workspace_committees(request.user):
        return render(request, "community/forbidden.html", status=403)
    return render(request, "audit/ledger.html", {"result": ledger_verify()})


def ledger_export(request):
    """Anyone may download the ledger and verify it offline (offline_verify.py)."""
    response = StreamingHttpResponse(ledger_export_lines(), content_type="application/x-ndjson")
    response["Content-Disposition"] = 'attachment; filename="townhall-ledger.jsonl"'
    return response


@login_required
def finding_new(request):
    subject = request.GET.get("subject", "")
    committee, title, url = selectors.subject_describe(subject)
    if refusal := refusal_for(
        request, check(request.user, Action.RAISE_FINDING, committee), committee
    ):
        return refusal
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_raise(
                committee=committee,
                by=request.user,
                subject=subject,
                subject_title=title,
                subject_url=url,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Finding raised; the committee's staff were told."))
            return redirect("audit:finding", pk=finding.pk)
    return render(request, "audit/finding_new.html", {"form": form, "title": title, "url": url})


def _finding_context(request, finding, **forms):
    committee = finding.committee
    can_respond = bool(check(request.user, Action.RESPOND_TO_FINDING, committee))
    can_close = bool(check(request.user, Action.CLOSE_FINDING, committee))
    open_ = finding.status != Finding.Status.CLOSED
    return {
        "finding": finding,
        "response_form": forms.get("response_form")
        or (ResponseForm() if can_respond and open_ else None),
        "close_form": forms.get("close_form") or (CloseForm() if can_close and open_ else None),
    }


@login_required
def finding_detail(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("committee"), pk=pk)
    allowed = any(
        check(request.user, action, finding.committee)
        for action in (Action.OPEN_WORKSPACE, Action.RESPOND_TO_FINDING)
    )
    if not allowed:
        return render(request, "community/forbidden.html", status=403)
    return render(request, "audit/finding.html", _finding_context(request, finding))


@login_required
@require_POST
def finding_respond(request, pk):
    finding = get_object_or_404(Finding, pk=pk)
    decision = check(request.user, Action.RESPOND_TO_FINDING, finding.committee)
    if refusal := refusal_for(request, decision, finding.committee):
        return refusal
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.finding_respond(finding=finding, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Response sent to the supervision committee."))
            return redirect("audit:finding", pk=pk)
    return render(
        request, "audit/finding.html", _finding_context(request, finding, response_form=form)
    )


@login_required
@require_POST
def finding_close(request, pk):
    finding = get_object_or_404(Finding, pk=pk)
    decision = check(request.user, Action.CLOSE_FINDING, finding.committee)
    if refusal := refusal_for(request, decision, finding.committee):
        return refusal
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.finding_close(finding=finding, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Finding closed."))
    return redirect("audit:finding", pk=pk)


@login_required
def records_export(request, slug, table, fmt):
    """One table of the workspace as CSV or XLSX, or all of them as one workbook."""
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    decision = check(request.user, Action.OPEN_WORKSPACE, committee)
    if refusal := refusal_for(request, decision, committee):
        return refusal
    if table == "all":
        sheets = [(str(title), build(committee), 0) for title, build in exports.TABLES.values()]
        return attachment_response(
            xlsx_workbook_bytes(sheets), XLSX_CONTENT_TYPE, f"{slug}-supervision.xlsx"
        )
    title, build = exports.TABLES[table]
    return spreadsheet_response(
        build(committee), fmt, filename=f"{slug}-{table}", sheet_title=str(title)
    )

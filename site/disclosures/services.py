"""Every write about disclosures: recording publication in the ledger, corrections."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.accounts.services import notification_send
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .models import DisclosurePage, DisclosureQuery


def disclosure_content(page: DisclosurePage) -> dict:
    """What a published disclosure says, as the ledger hashes it."""
    return {
        "committee": page.get_parent().specific.committee_id,
        "title": page.title,
        "category": page.category,
        "period": [page.period_start.isoformat(), page.period_end.isoformat()],
        "body": page.body,
        "figures": [[line.label, line.direction, str(line.amount)] for line in page.figures.all()],
        "attachments": [[a.document.title, a.document.file_hash] for a in page.attachments.all()],
        "shown": [page.shown_from.isoformat(), page.shown_until.isoformat()],
        "corrects": page.corrects_id,
    }


def disclosure_load(pk: str) -> dict | None:
    """Ledger loader: the live content of a disclosure, or None once withdrawn."""
    page = DisclosurePage.objects.live().filter(pk=pk).first()
    return disclosure_content(page) if page else None


def disclosure_publication_record(*, page: DisclosurePage, by) -> None:
    """Called inside the publishing transaction (DisclosurePage.publish)."""
    kind = "disclosure.correction_published" if page.corrects_id else "disclosure.published"
    ledger_append(
        kind=kind,
        subject=subject_of(page),
        actor=by,
        content=disclosure_content(page),
        details={"title": page.title, "corrects": page.corrects_id},
    )


def disclosure_withdrawal_record(*, page: DisclosurePage, by) -> None:
    ledger_append(kind="disclosure.withdrawn", subject=subject_of(page), actor=by)


def correction_start(*, original: DisclosurePage, by) -> DisclosurePage:
    """A draft copy of a published disclosure, marked as correcting it. The original
    stays as it was; both link to each other once the correction is published."""
    if not original.live:
        raise ValidationError(_("Only a published disclosure can be corrected."))
    with transaction.atomic():
        number = original.corrections.count() + 1
        correction = original.copy(
            recursive=False,
            keep_live=False,
            user=by,
            log_action=None,
            update_attrs={
                "title": _("Correction: %(title)s") % {"title": original.title},
                "slug": f"{original.slug}-correction-{number}",
                "corrects": original,
            },
        )
    return correction


def query_file(*, page: DisclosurePage, by, question: str) -> DisclosureQuery:
    question = question.strip()
    if not question:
        raise ValidationError(_("Write your question."))
    if not page.live:
        raise ValidationError(_("Only a published disclosure can be queried."))
    return DisclosureQuery.objects.create(page=page, asked_by=by, question=question)


def query_answer(*, query: DisclosureQuery, by, answer: str) -> DisclosureQuery:
    """Answer once; the resident who asked is told."""
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer."))
    with transaction.atomic():
        query = DisclosureQuery.objects.select_for_update().get(pk=query.pk)
        if query.answered_at:
            raise ValidationError(_("This query has already been answered."))
        query.answer = answer
        query.answered_by = by
        query.answered_at = timezone.now()
        query.save()
        notification_send(
            recipient=query.asked_by,
            message=gettext_lazy("Your query about “%(title)s” was answered."),
            params={"title": query.page.title},
            url=query.page.url,
        )
    return query


def disclosure_draft_create(
    *, committee, title: str, category: str, body_html: str, period_start, period_end, by
) -> DisclosurePage:
    """A draft on the committee's board, for staff to check in the CMS and submit for the
    supervision committee's review (the only way it gets published). Raises
    ValidationError when the committee has no disclosure board yet."""
    from .models import DisclosureIndexPage
    from .rules import MIN_DISPLAY_DAYS

    board = DisclosureIndexPage.objects.filter(committee=committee).first()
    if board is None:
        raise ValidationError(
            _("%(committee)s has no disclosure board yet: ask the site administrator.")
            % {"committee": committee.name}
        )
    today = timezone.localdate()
    with transaction.atomic():
        page = board.add_child(
            instance=DisclosurePage(
                title=title,
                slug=f"d{board.pk}-{timezone.now():%Y%m%d%H%M%S%f}",
                category=category,
                period_start=period_start,
                period_end=period_end,
                body=body_html,
                shown_from=today,
                shown_until=today + timedelta(days=MIN_DISPLAY_DAYS - 1),
                live=False,
                owner=by,
            )
        )
        page.save_revision(user=by)
    return page

"""Every moderation write: reports, hiding with a public reason, dismissing reports, the
author's one appeal and its decision. Nothing is deleted; each step is a ModerationEvent,
and hiding or showing again is a ledger entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import Role
from townhall.community.selectors import people_holding
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..notify import notify
from ..opinions.models import Opinion
from ..opinions.services import opinion_record
from ..permissions import Action, require
from .models import Appeal, ModerationEvent, Report
from .selectors import Item, item_committee, item_kind, item_target, item_title, item_url

HIDDEN_MESSAGES = {
    "opinion": gettext_lazy(
        "Moderators hid your opinion “%(title)s”: %(reason)s. You can appeal once, from its page."
    ),
    "comment": gettext_lazy(
        "Moderators hid your comment on “%(title)s”: %(reason)s. You can appeal once, "
        "from the topic's page."
    ),
}
APPEALED_MESSAGE = gettext_lazy("%(author)s appealed against the hiding of “%(title)s”.")
DECIDED_MESSAGES = {
    True: gettext_lazy("Your appeal was upheld: “%(title)s” is shown again. %(answer)s"),
    False: gettext_lazy("Your appeal was rejected: “%(title)s” stays hidden. %(answer)s"),
}


def _locked(item: Item) -> Item:
    return (
        type(item)
        .objects.select_for_update()
        .select_related(*(["committee"] if isinstance(item, Opinion) else ["topic__committee"]))
        .get(pk=item.pk)
    )


def _record(item: Item, *, kind: str, by, **details) -> None:
    """The ledger entry for hiding or showing again: an opinion's content is vouched for;
    a comment is not a ledger subject, so its entry carries the step alone."""
    if isinstance(item, Opinion):
        opinion_record(opinion=item, kind=f"opinion.{kind}", by=by, **details)
    else:
        ledger_append(
            kind=f"comment.{kind}",
            subject=subject_of(item),
            actor=by,
            content=None,
            details={"topic": item.topic_id, **details},
        )


def report_file(*, item: Item, reporter, reason: str) -> Report:
    """A verified resident of the item's committee asks moderators to look at it: once
    per person per item (the database holds that too), never their own, never an item
    already hidden. Writes the report and a REPORTED event."""
    require(reporter, Action.REPORT, item_committee(item))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say what is wrong with it."))
    if item.author_id == reporter.pk:
        raise ValidationError(_("You cannot report what you wrote yourself."))
    target = item_target(item)
    already = ValidationError(_("You have already reported this."))
    try:
        with transaction.atomic():
            if _locked(item).is_hidden:
                raise ValidationError(_("Moderators have already hidden this."))
            if Report.objects.filter(reporter=reporter, **target).exists():
                raise already
            report = Report.objects.create(reporter=reporter, reason=reason, **target)
            ModerationEvent.objects.create(
                action=ModerationEvent.Action.REPORTED, by=reporter, reason=reason, **target
            )
    except IntegrityError:
        # A second tap that raced the first one.
        raise already from None
    return report


def item_hide(*, item: Item, by, reason: str) -> Item:
    """A moderator hides the item with a reason everyone will read. The row and its text
    stay; open reports are marked handled; a HIDDEN event and a ledger entry in the same
    transaction; the author is told the reason and that they may appeal."""
    committee = item_committee(item)
    require(by, Action.MODERATE, committee)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason: everyone will read it in place of the text."))
    with transaction.atomic():
        item = _locked(item)
        if item.is_hidden:
            raise ValidationError(_("This is already hidden."))
        now = timezone.now()
        item.hidden_at = now
        item.hidden_reason = reason
        item.save(update_fields=["hidden_at", "hidden_reason"])
        target = item_target(item)
        Report.objects.filter(handled_at=None, **target).update(handled_at=now)
        ModerationEvent.objects.create(
            action=ModerationEvent.Action.HIDDEN, by=by, reason=reason, **target
        )
        _record(item, kind="hidden", by=by, reason=reason)
        notify(
            recipients=[item.author],
            url=item_url(item),
            message=HIDDEN_MESSAGES[item_kind(item)],
            title=item_title(item),
            reason=reason,
        )
    return item


def reports_dismiss(*, item: Item, by, note: str = "") -> int:
    """A moderator read the open reports and leaves the item shown: the reports are
    marked handled (not deleted) and a DISMISSED event says who decided. Returns how many
    reports were closed."""
    require(by, Action.MODERATE, item_committee(item))
    target = item_target(item)
    with transaction.atomic():
        closed = Report.objects.filter(handled_at=None, **target).update(handled_at=timezone.now())
        if not closed:
            raise ValidationError(_("There are no open reports about this."))
        ModerationEvent.objects.create(
            action=ModerationEvent.Action.DISMISSED, by=by, reason=note.strip(), **target
        )
    return closed


def appeal_file(*, item: Item, author, text: str) -> Appeal:
    """The author's one appeal against hiding their item, while it is hidden. Writes the
    appeal and an APPEALED event; the committee's moderators are told in their inbox."""
    if item.author_id != author.pk:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Say why it should be shown again."))
    target = item_target(item)
    already = ValidationError(_("You have already appealed."))
    try:
        with transaction.atomic():
            item = _locked(item)
            if not item.is_hidden:
                raise ValidationError(_("Only a hidden item can be appealed."))
            if Appeal.objects.filter(**target).exists():
                raise already
            appeal = Appeal.objects.create(author=author, text=text, **target)
            ModerationEvent.objects.create(
                action=ModerationEvent.Action.APPEALED, by=author, reason=text, **target
            )
            notify(
                recipients=people_holding(item_committee(item), [Role.STAFF]),
                url=reverse("deliberation:appeal_decide", args=[appeal.pk]),
                message=APPEALED_MESSAGE,
                author=str(author),
                title=item_title(item),
            )
    except IntegrityError:
        raise already from None
    return appeal


def appeal_decide(*, appeal: Appeal, by, uphold: bool, answer: str) -> Appeal:
    """A moderator decides a pending appeal, with an answer the author reads. Upheld: the
    item is shown again (RESTORED event, ledger entry); rejected: it stays hidden
    (APPEAL_REJECTED event). Locks the appeal so it is decided once."""
    item = appeal.target
    require(by, Action.MODERATE, item_committee(item))
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer the author will read."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.decision != Appeal.Decision.PENDING:
            raise ValidationError(_("This appeal has already been decided."))
        item = _locked(item)
        target = item_target(item)
        if uphold:
            item.hidden_at = None
            item.hidden_reason = ""
            item.save(update_fields=["hidden_at", "hidden_reason"])
            ModerationEvent.objects.create(
                action=ModerationEvent.Action.RESTORED, by=by, reason=answer, **target
            )
            _record(item, kind="restored", by=by, appeal=appeal.pk, answer=answer)
        else:
            ModerationEvent.objects.create(
                action=ModerationEvent.Action.APPEAL_REJECTED, by=by, reason=answer, **target
            )
        appeal.decision = Appeal.Decision.UPHELD if uphold else Appeal.Decision.REJECTED
        appeal.decided_by = by
        appeal.decided_at = timezone.now()
        appeal.answer = answer
        appeal.save(update_fields=["decision", "decided_by", "decided_at", "answer"])
        notify(
            recipients=[appeal.author],
            url=item_url(item),
            message=DECIDED_MESSAGES[uphold],
            title=item_title(item),
            answer=answer,
        )
    return appeal

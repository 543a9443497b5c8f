"""Written proxies: a voter authorises another voter of the same poll to cast their vote.

The law's limits (Arts 19-20, applied to every poll that allows proxies) are decided by
`voting.rules.proxy_verdict`; this module gathers the counts it needs and records the
proxy under a lock, so that concurrent grants cannot exceed them together.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from . import rules, selectors, services
from .models import Elector, Participation, Poll, Proxy
from .permissions import Action, require

DOCUMENT_MAX = Proxy._meta.get_field("document").max_length


def _document(*, poll: Poll, grantor, by, document: str) -> str:
    """The written authorisation as recorded: the form's number for a paper form (staff
    must give it), a note or the words "authorised online" when the grantor acts."""
    document = (document or "").strip()
    if len(document) > DOCUMENT_MAX:
        raise ValidationError(
            _("The note on the authorisation can be at most %(max)s characters.")
            % {"max": DOCUMENT_MAX}
        )
    if by.pk == grantor.pk:
        if document:
            return document
        # Stored, so in the site's language whoever's browser asked.
        with translation.override(settings.LANGUAGE_CODE):
            return _("Authorised online by the voter")
    require(by, Action.RECORD_PROXY, poll.committee)
    if not document:
        raise ValidationError(
            _("Give the number of the signed proxy form: it is the written authorisation.")
        )
    return document


def _elector(poll: Poll, person, *, not_found: str) -> Elector:
    elector = selectors.elector_for(poll, person)
    if elector is None:
        raise ValidationError(not_found % {"person": person})
    return elector


def _check_recordable(poll: Poll) -> None:
    if poll.status == Poll.Status.DRAFT:
        # Elector rows exist only once the electorate is frozen at opening.
        raise ValidationError(
            _(
                "Proxies are recorded once the poll is open: who may vote, and so who may "
                "give or hold a proxy, is fixed when it opens."
            )
        )
    if (
        poll.status == Poll.Status.CLOSED
        or poll.closed_at is not None
        or timezone.now() >= poll.closes_at
    ):
        raise ValidationError(_("This poll is closed: no more proxies can be recorded."))


def proxy_grant(*, poll: Poll, grantor, holder, by, document: str) -> Proxy:
    """Record that `grantor` (a person) authorises `holder` (a person) to cast their vote
    in `poll`, and return the Proxy. Both are resolved to their rows of the frozen
    electorate (their own or their household's). `by` is the grantor (online; `document`
    optional) or staff holding RECORD_PROXY typing in a signed form (`document` required,
    e.g. the form's number).

    Refused (ValidationError, nothing written) unless the poll is open (before or inside
    its window), both are electors, the grantor has not voted nor already authorised
    someone, and `rules.proxy_verdict` allows it: proxies allowed by the poll, not a
    representatives' vote, not to oneself, at most three per holder, no chains.

    Locks: the poll row `FOR NO KEY UPDATE` (serialises proxy grants of a poll, so two
    concurrent grants cannot give a holder a fourth proxy or build a chain; unlike
    `FOR UPDATE` it does not wait for ballots, which hold `FOR KEY SHARE`; the count's
    `FOR UPDATE` still waits for it), then both elector rows. Ledger `poll.proxy_recorded`
    with the elector ids and the document, never a name."""
    document = _document(poll=poll, grantor=grantor, by=by, document=document)
    poll = services.poll_settle_if_due(poll)
    with transaction.atomic():
        poll = Poll.objects.select_for_update(no_key=True).get(pk=poll.pk)
        _check_recordable(poll)
        given = _elector(
            poll, grantor, not_found=_("%(person)s, who gives the proxy, cannot vote in this poll.")
        )
        held = _elector(
            poll,
            holder,
            not_found=_("%(person)s, who would hold the proxy, cannot vote in this poll."),
        )
        # Ordered by id, so two transactions locking the same pair cannot deadlock.
        list(Elector.objects.select_for_update().filter(pk__in=[given.pk, held.pk]).order_by("pk"))
        verdict = rules.proxy_verdict(
            allowed=poll.proxies_allowed,
            representatives_vote=rules.is_representatives_vote(
                electorate=poll.electorate, body=poll.body
            ),
            same_person=given.pk == held.pk,
            holder_carries=Proxy.objects.filter(holder=held).count(),
            grantor_holds=Proxy.objects.filter(holder=given).count(),
            holder_has_granted=Proxy.objects.filter(grantor=held).exists(),
        )
        if not verdict:
            raise ValidationError(verdict.reason)
        if Proxy.objects.filter(grantor=given).exists():
            raise ValidationError(
                _("This voter has already given a written proxy in this poll: only one.")
            )
        if Participation.objects.filter(elector=given).exists():
            raise ValidationError(
                _("This voter has already voted: their vote can no longer be given to anyone.")
            )
        proxy = Proxy.objects.create(
            poll=poll, grantor=given, holder=held, document=document, recorded_by=by
        )
        ledger_append(
            kind="poll.proxy_recorded",
            subject=subject_of(poll),
            actor=by,
            content=services.poll_content(poll),
            details={"grantor": given.pk, "holder": held.pk, "document": document},
        )
    return proxy

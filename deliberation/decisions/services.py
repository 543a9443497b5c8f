"""What a counted motion becomes: the decision (决议), passed or not, with its ledger
entry, its draft disclosure in the supervision committee's review, and the notice to the
people who brought its topic. Decisions are never edited: Art 30 revisions are new
decisions naming the one they revoke or change."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from ..meetings import rules
from ..meetings.models import Body, Motion
from ..notify import notify
from ..permissions import Action, check
from .models import Decision

COUNTED = frozenset({Motion.Status.PASSED, Motion.Status.FAILED})

OUTCOME_MESSAGES = {
    True: gettext_lazy("%(body)s decided on “%(title)s”: passed."),
    False: gettext_lazy("%(body)s voted on “%(title)s”: not passed."),
}


def decision_content(decision: Decision) -> dict:
    """What the ledger vouches for: the motion as voted, its figures and the quorum at
    the vote. Execution is recorded by its own entries and is not part of this."""
    motion = decision.motion
    meeting = motion.meeting
    return {
        "committee": decision.committee_id,
        "meeting": meeting.pk,
        "body": meeting.body,
        "short_notice": meeting.short_notice_reason,
        "title": motion.title,
        "text": motion.text,
        "kind": motion.kind,
        "method": motion.method,
        "figures": {"yes": motion.yes, "no": motion.no, "abstain": motion.abstain},
        "members_at_vote": motion.members_at_vote,
        "present_at_vote": motion.present_at_vote,
        "passed": decision.passed,
        "decided_at": decision.decided_at.isoformat(),
        "topic": motion.topic_id,
        "revises": motion.revises_id,
        "revision": motion.revision,
    }


def decision_load(pk: str) -> dict | None:
    decision = Decision.objects.select_related("motion__meeting").filter(pk=pk).first()
    return decision_content(decision) if decision else None


def _disclosure_body(decision: Decision) -> str:
    """The disclosure's text, in the site's language: residents read the board in it."""
    motion = decision.motion
    meeting = motion.meeting
    context = {
        "decision": decision,
        "motion": motion,
        "meeting": meeting,
        "quorum_needed": rules.quorum_needed(body=meeting.body, members=motion.members_at_vote)
        if motion.members_at_vote
        else None,
        "opinions": motion.topic.opinions.filter(hidden_at__isnull=True).order_by("pk")
        if motion.topic_id
        else [],
    }
    return render_to_string("deliberation/decisions/_disclosure_body.html", context).strip()


def _disclosure_draft(decision: Decision, by):
    """A draft disclosure (Art 34 (1)) submitted to the supervision committee's review
    right away, or None when the committee has no board: the decision stands regardless,
    and its page says the disclosure could not be drafted."""
    from townhall.disclosures.services import disclosure_draft_create

    day = timezone.localdate(decision.decided_at)
    with translation.override(settings.LANGUAGE_CODE):
        status = _("passed") if decision.passed else _("not passed")
        title = _("Decision (%(status)s): %(title)s") % {
            "status": status,
            "title": decision.motion.title,
        }
        body = _disclosure_body(decision)
    try:
        # A savepoint: a failure here must not undo the decision itself.
        with transaction.atomic():
            page = disclosure_draft_create(
                committee=decision.committee,
                title=title[:255],
                category="decisions",
                body_html=body,
                period_start=day,
                period_end=day,
                by=by,
            )
            workflow = page.get_workflow()
            if workflow is not None:
                workflow.start(page, by)
    except ValidationError:
        return None
    return page


def decision_record(*, motion: Motion, by) -> Decision | None:
    """Turn a counted motion into its decision; None when no vote counted (no quorum, or
    not voted yet). Once per motion: a second call returns the same decision.

    One transaction: the Decision (decided_at = when the motion was voted), ledger entry
    `decision.recorded` with its content, a draft disclosure started in the supervision
    review (published when a supervisor approves; none when there is no board), the
    topic moved from "sent to a decision" to "decided" (its history and ledger entry),
    and a notice to the people who brought the topic."""
    if motion.status not in COUNTED:
        return None
    committee = motion.meeting.committee
    if not check(by, Action.RUN_MEETING, committee):
        raise PermissionDenied(
            _("You may not do this in %(committee)s.") % {"committee": committee}
        )
    with transaction.atomic():
        motion = Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)
        existing = Decision.objects.filter(motion=motion).first()
        if existing is not None:
            return existing
        decision = Decision.objects.create(
            committee=committee,
            motion=motion,
            passed=motion.status == Motion.Status.PASSED,
            decided_at=motion.voted_at or timezone.now(),
        )
        ledger_append(
            kind="decision.recorded",
            subject=subject_of(decision),
            actor=by,
            content=decision_content(decision),
            details={"motion": motion.pk, "meeting": motion.meeting_id},
        )
        decision.disclosure = _disclosure_draft(decision, by)
        if decision.disclosure is not None:
            decision.save(update_fields=["disclosure"])
        if motion.topic_id:
            from ..topics.services import topic_decided, topic_followers

            topic_decided(topic=motion.topic, decision=decision, by=by)

            notify(
                recipients=topic_followers(motion.topic),
                url=reverse("deliberation:decision_detail", args=[decision.pk]),
                message=OUTCOME_MESSAGES[decision.passed],
                body=Body(motion.meeting.body).label,
                title=motion.title,
            )
    return decision

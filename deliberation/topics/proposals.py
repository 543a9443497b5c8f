"""Joint proposals (联名提议): residents and representatives sign; at the statutory share
(Art 26) the proposal becomes a topic the committee must take up."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.community.models import Membership, ResidentsCommittee, Role
from townhall.community.permissions import current_roles

from ..notify import notify
from ..permissions import Action, require
from .models import (
    Origin,
    Signature,
    Topic,
    TopicStatus,
    TopicStatusChange,
)
from .services import (
    PROMOTED_MESSAGE,
    _committee_people,
    _required_text,
    _topic_url,
    topic_followers,
    topic_record,
    topic_status_change,
)


def joint_proposal_start(
    *, committee: ResidentsCommittee, by, title: str, description: str
) -> Topic:
    """A verified resident or representative proposes a topic and signs it first. If that
    one signature already reaches the statutory share, it becomes a topic at once."""
    require(by, Action.SIGN, committee)
    title = _required_text(title, _("Give the proposal a title."))
    description = _required_text(description, _("Say what you propose and why."))
    with transaction.atomic():
        topic = Topic.objects.create(
            committee=committee,
            title=title,
            description=description,
            origin=Origin.JOINT_PROPOSAL,
            status=TopicStatus.PROPOSED,
            created_by=by,
        )
        TopicStatusChange.objects.create(topic=topic, to_status=topic.status, by=by)
        topic_record(topic=topic, kind="topic.proposed", by=by)
        proposal_sign(topic=topic, person=by)
    topic.refresh_from_db()
    return topic


def proposal_sign(*, topic: Topic, person) -> bool:
    """Add `person`'s signature (True) or find it already there (False). Locks the topic
    row, so that of two last signatures arriving together exactly one promotes it: on
    reaching the statutory share (Art 26) the proposal goes into discussion by itself,
    ledger `topic.threshold_reached`, and the committee is told it must take it up."""
    from .selectors import proposal_support

    require(person, Action.SIGN, topic.committee)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != TopicStatus.PROPOSED:
            raise ValidationError(_("This proposal is no longer collecting signatures."))
        roles = current_roles(person, topic.committee)
        household_id = (
            Membership.objects.current()
            .filter(person=person, committee=topic.committee, role=Role.RESIDENT)
            .exclude(household=None)
            .values_list("household_id", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                Signature.objects.create(
                    topic=topic,
                    person=person,
                    household_id=household_id,
                    as_representative=Role.REPRESENTATIVE in roles,
                )
        except IntegrityError:
            return False
        support = proposal_support(topic)
        topic_record(topic=topic, kind="topic.signed", by=person, signatures=support.signatures)
        if support.verdict:
            _proposal_promote(topic, support)
    return True


def _proposal_promote(topic: Topic, support) -> None:
    topic.threshold_reached_at = timezone.now()
    topic.save(update_fields=["threshold_reached_at"])
    topic_record(
        topic=topic,
        kind="topic.threshold_reached",
        by=None,
        reason=str(support.verdict.reason),
        **support.counts,
    )
    topic_status_change(topic=topic, by=None, to=TopicStatus.DISCUSSION)
    told = {person.pk for person in topic_followers(topic)}
    notify(
        recipients=[p for p in _committee_people(topic.committee) if p.pk not in told],
        url=_topic_url(topic),
        message=PROMOTED_MESSAGE,
        title=topic.title,
    )


# Discussion: stakeholders, documents, comments -----------------------------------------

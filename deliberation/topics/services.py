"""Every write about a topic: creating it from opinions or a joint proposal, signatures,
discussion, the consultation opinion, the party organisation's review and the outcome;
each with its history, ledger entry and notice to the people who brought it."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.community.models import Membership, ResidentsCommittee, Role
from townhall.community.permissions import current_roles
from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .. import rules
from ..notify import notify
from ..opinions.models import Opinion, Status
from ..opinions.services import opinion_status_change
from ..permissions import COMMITTEE, Action, check
from .models import (
    Comment,
    ConsultationForm,
    DiscussionMeeting,
    Origin,
    PartyReview,
    Signature,
    Stakeholder,
    StakeholderKind,
    Topic,
    TopicDocument,
    TopicStatus,
    TopicStatusChange,
)

# Once a topic has gone to a decision, been settled or closed, its discussion is over:
# no more opinions, comments, stakeholders or meetings.
FINISHED = frozenset({TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED})
MERGEABLE_OPINION = frozenset({Status.SUBMITTED, Status.CONSIDERING})
OUTCOMES = frozenset({TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED})

STATUS_MESSAGES = {
    TopicStatus.DISCUSSION: gettext_lazy("The topic “%(title)s” is in discussion."),
    TopicStatus.CONSULTED: gettext_lazy(
        "A consultation opinion was reached on the topic “%(title)s”."
    ),
    TopicStatus.TO_DECISION: gettext_lazy("The topic “%(title)s” goes to a decision meeting."),
    TopicStatus.SETTLED: gettext_lazy("The committee settled the topic “%(title)s”: %(note)s"),
    TopicStatus.CLOSED: gettext_lazy("The topic “%(title)s” was closed: %(note)s"),
}
# To the committee, and to the signers, when a joint proposal becomes a topic.
PROMOTED_MESSAGE = gettext_lazy(
    "The joint proposal “%(title)s” reached the share the law requires: the committee "
    "must now take it up."
)


def topic_content(topic: Topic) -> dict:
    """What the ledger vouches for: every field that only a recorded step may change."""
    return {
        "committee": topic.committee_id,
        "title": topic.title,
        "description": topic.description,
        "origin": topic.origin,
        "status": topic.status,
        "consultation_form": topic.consultation_form,
        "consultation_opinion": topic.consultation_opinion,
        "outcome_note": topic.outcome_note,
        "threshold_reached": topic.threshold_reached_at is not None,
    }


def topic_load(pk: str) -> dict | None:
    topic = Topic.objects.filter(pk=pk).first()
    return topic_content(topic) if topic else None


def topic_record(*, topic: Topic, kind: str, by, **details) -> None:
    """Write the ledger entry for a step that changed the topic (inside its transaction)."""
    ledger_append(
        kind=kind,
        subject=subject_of(topic),
        actor=by,
        content=topic_content(topic),
        details=details,
    )


def latest_party_review(topic: Topic) -> str | None:
    """The outcome of the party organisation's latest review of the consultation opinion
    as it now stands: a review recorded before the topic last reached its consultation
    opinion judged an earlier text, and does not count."""
    consulted = (
        topic.history.filter(to_status=TopicStatus.CONSULTED)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    reviews = topic.party_reviews.order_by("-recorded_at", "-pk")
    if consulted is not None:
        reviews = reviews.filter(recorded_at__gte=consulted)
    review = reviews.first()
    return review.outcome if review else None


def _topic_url(topic: Topic) -> str:
    return reverse("deliberation:topic_detail", args=[topic.pk])


def topic_followers(topic: Topic) -> list:
    """The people who brought the topic: authors of its merged opinions and signers."""
    from townhall.accounts.models import User

    return list(
        User.objects.filter(Q(opinions__topic=topic) | Q(topic_signatures__topic=topic)).distinct()
    )


def _committee_people(committee: ResidentsCommittee) -> list:
    from townhall.accounts.models import User

    people = Membership.objects.current().filter(committee=committee, role__in=COMMITTEE)
    return list(User.objects.filter(pk__in=people.values("person_id")))


def _may_change_or_raise(topic: Topic, *, to: str, note: str) -> None:
    verdict = rules.topic_may_change(
        current=topic.status,
        to=to,
        origin=topic.origin,
        threshold_reached=topic.threshold_reached_at is not None,
        note=note,
        consultation_opinion=topic.consultation_opinion,
        party_review=latest_party_review(topic),
    )
    if not verdict:
        raise ValidationError(verdict.reason)


def topic_status_change(*, topic: Topic, by, to: str, note: str = "") -> Topic:
    """Move the topic to `to` if the rules allow (raises ValidationError with the reason
    otherwise). Locks the row; history row and ledger entry in the same transaction;
    the people who brought the topic are told."""
    note = note.strip()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        _may_change_or_raise(topic, to=to, note=note)
        before = topic.status
        topic.status = to
        if note:
            topic.outcome_note = note
        topic.save(update_fields=["status", "outcome_note"])
        TopicStatusChange.objects.create(
            topic=topic, from_status=before, to_status=to, by=by, note=note
        )
        topic_record(topic=topic, kind="topic.status_changed", by=by, **{"from": before, "to": to})
        notify(
            recipients=topic_followers(topic),
            url=_topic_url(topic),
            message=PROMOTED_MESSAGE if before == TopicStatus.PROPOSED else STATUS_MESSAGES[to],
            title=topic.title,
            note=note,
        )
    return topic


def topic_ready_for_decision(topic: Topic) -> rules.Verdict:
    """The gate the decision-meetings stage checks before putting a topic to a vote."""
    return rules.ready_for_decision(
        consultation_opinion=topic.consultation_opinion, party_review=latest_party_review(topic)
    )


def _require(person, action: Action, committee: ResidentsCommittee) -> None:
    """The gatekeeper again, for callers other than the views (which refuse first)."""
    if not check(person, action, committee):
        raise PermissionDenied(
            _("You may not do this in %(committee)s.") % {"committee": committee}
        )


def _require_open(topic: Topic) -> None:
    if topic.status in FINISHED:
        raise ValidationError(
            _("This topic is %(status)s: its discussion is over.")
            % {"status": topic.get_status_display()}
        )


def _required_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# Creating topics and merging opinions ------------------------------------------------


def topic_create(
    *,
    committee: ResidentsCommittee,
    by,
    title: str,
    description: str,
    consultation_form: str,
    opinions: list[Opinion] = (),
) -> Topic:
    """The committee takes up a topic, merging the given opinions into it. One
    transaction: the topic, its first history row, ledger `topic.created`, and each
    opinion's merge (its own history, ledger entry and notice to its author)."""
    _require(by, Action.MANAGE_TOPIC, committee)
    title = _required_text(title, _("Give the topic a title."))
    description = _required_text(description, _("Describe the topic."))
    if consultation_form not in ConsultationForm.values:
        raise ValidationError(_("Choose the form of consultation."))
    with transaction.atomic():
        topic = Topic.objects.create(
            committee=committee,
            title=title,
            description=description,
            consultation_form=consultation_form,
            origin=Origin.COMMITTEE,
            status=TopicStatus.DISCUSSION,
            created_by=by,
        )
        TopicStatusChange.objects.create(topic=topic, to_status=topic.status, by=by)
        topic_record(topic=topic, kind="topic.created", by=by)
        if opinions:
            topic_opinions_merge(topic=topic, by=by, opinions=opinions)
    return topic


def topic_opinions_merge(*, topic: Topic, by, opinions: list[Opinion]) -> list[Opinion]:
    """Merge opinions (of the topic's committee, submitted or under consideration) into
    the topic: all or none. Each goes through `opinion_status_change`, which records it
    and tells its author; ledger `topic.opinions_merged` lists them."""
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    if not opinions:
        raise ValidationError(_("Choose at least one opinion."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        _require_open(topic)
        merged = []
        for opinion in opinions:
            if opinion.committee_id != topic.committee_id:
                raise ValidationError(
                    _("“%(title)s” was sent to another committee.") % {"title": opinion.title}
                )
            if opinion.status not in MERGEABLE_OPINION:
                raise ValidationError(
                    _("“%(title)s” is already %(status)s: it cannot be merged.")
                    % {"title": opinion.title, "status": opinion.get_status_display()}
                )
            merged.append(
                opinion_status_change(opinion=opinion, by=by, to=Status.MERGED, topic=topic)
            )
        topic_record(
            topic=topic, kind="topic.opinions_merged", by=by, opinions=[o.pk for o in merged]
        )
    return merged


# Joint proposals (联名提议) ---------------------------------------------------------------


def joint_proposal_start(
    *, committee: ResidentsCommittee, by, title: str, description: str
) -> Topic:
    """A verified resident or representative proposes a topic and signs it first. If that
    one signature already reaches the statutory share, it becomes a topic at once."""
    _require(by, Action.SIGN, committee)
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

    _require(person, Action.SIGN, topic.committee)
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


def stakeholder_add(
    *, topic: Topic, by, kind: str, name: str, social_organization=None
) -> Stakeholder:
    """Invite a party to the discussion (the "6+X" practice); ledger
    `topic.stakeholder_added`."""
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_open(topic)
    if kind not in StakeholderKind.values:
        raise ValidationError(_("Choose who this stakeholder is."))
    if social_organization is not None:
        if social_organization.community_id != topic.committee.community_id:
            raise ValidationError(_("That social organisation works in another community."))
        name = (name or "").strip() or social_organization.name
    name = _required_text(name, _("Name who is invited."))
    with transaction.atomic():
        stakeholder = Stakeholder.objects.create(
            topic=topic, kind=kind, name=name, social_organization=social_organization
        )
        topic_record(
            topic=topic, kind="topic.stakeholder_added", by=by, stakeholder=kind, name=name
        )
    return stakeholder


def topic_document_add(*, topic: Topic, by, title: str, file) -> TopicDocument:
    """Attach a document (a Wagtail document in the root collection, so the CMS lists it
    too); the file type must be one of WAGTAILDOCS_EXTENSIONS."""
    from wagtail.documents import get_document_model

    _require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_open(topic)
    title = _required_text(title, _("Give the document a title."))
    document = get_document_model()(title=title, file=file, uploaded_by_user=by)
    try:
        document.clean()
    except ValidationError as error:
        raise ValidationError(
            _("That file type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
        ) from error
    document.file_size = file.size
    with transaction.atomic():
        document.save()
        attached = TopicDocument.objects.create(topic=topic, document=document, added_by=by)
        topic_record(topic=topic, kind="topic.document_added", by=by, document=document.pk)
    return attached


def comment_post(*, topic: Topic, author, body: str, parent: Comment | None = None) -> Comment:
    """A verified resident's comment, or a reply under another comment of the topic."""
    _require(author, Action.COMMENT, topic.committee)
    if topic.status in FINISHED:
        raise ValidationError(_("Comments are closed: this topic's discussion is over."))
    body = _required_text(body, _("Write your comment."))
    if len(body) > 2000:
        raise ValidationError(_("Keep a comment under 2000 characters."))
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationError(_("You can only reply to a comment on this topic."))
    return Comment.objects.create(topic=topic, author=author, body=body, parent=parent)


# Discussion meetings (议题讨论会) and the consultation opinion ------------------------------


def _require_in_discussion(topic: Topic) -> None:
    if topic.status not in (TopicStatus.DISCUSSION, TopicStatus.CONSULTED):
        raise ValidationError(_("Meetings are held while the topic is in discussion."))


def discussion_meeting_schedule(
    *, topic: Topic, by, held_at: datetime, place: str
) -> DiscussionMeeting:
    """Schedule a topic discussion meeting; ledger `topic.meeting_scheduled`; the people
    who brought the topic are invited."""
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_in_discussion(topic)
    place = _required_text(place, _("Say where the meeting is held, or that it is online."))
    with transaction.atomic():
        meeting = DiscussionMeeting.objects.create(
            topic=topic, held_at=held_at, place=place, created_by=by
        )
        topic_record(
            topic=topic,
            kind="topic.meeting_scheduled",
            by=by,
            meeting=meeting.pk,
            held_at=held_at.isoformat(),
            place=place,
        )
        notify(
            recipients=topic_followers(topic),
            url=_topic_url(topic),
            message=gettext_lazy(
                "A discussion meeting on the topic “%(title)s” is held on %(when)s at %(place)s."
            ),
            title=topic.title,
            when=timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
            place=place,
        )
    return meeting


def discussion_meeting_record(
    *, meeting: DiscussionMeeting, by, attendee_count: int, attendees, minutes: str
) -> DiscussionMeeting:
    """Record who came (a count, and the verified residents among them by name) and the
    minutes; ledger `topic.meeting_recorded`."""
    topic = meeting.topic
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    _require_in_discussion(topic)
    if meeting.held_at > timezone.now():
        raise ValidationError(_("The meeting has not been held yet."))
    minutes = _required_text(minutes, _("Write the minutes."))
    attendees = list(attendees)
    residents = set(
        Membership.objects.current()
        .filter(committee=topic.committee, role=Role.RESIDENT, person__in=attendees)
        .values_list("person_id", flat=True)
    )
    if strangers := [p for p in attendees if p.pk not in residents]:
        raise ValidationError(
            _("Not verified residents of this committee: %(names)s.")
            % {"names": "、".join(str(p) for p in strangers)}
        )
    if attendee_count < len(attendees):
        raise ValidationError(
            _("%(count)s people present, but %(named)s named: count everyone who came.")
            % {"count": attendee_count, "named": len(attendees)}
        )
    with transaction.atomic():
        meeting.attendee_count = attendee_count
        meeting.minutes = minutes
        meeting.save(update_fields=["attendee_count", "minutes"])
        meeting.attendees.set(attendees)
        topic_record(
            topic=topic,
            kind="topic.meeting_recorded",
            by=by,
            meeting=meeting.pk,
            attendee_count=attendee_count,
            residents_named=len(attendees),
        )
    return meeting


def consultation_opinion_record(*, topic: Topic, by, text: str) -> Topic:
    """Record the consultation opinion (协商意见) that a recorded meeting reached; the
    topic becomes CONSULTED (ledger `topic.consultation_recorded`, then the status change)."""
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    text = _required_text(text, _("Write the consultation opinion."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != TopicStatus.DISCUSSION:
            raise ValidationError(_("A consultation opinion is recorded while in discussion."))
        if not topic.meetings.exclude(minutes="").exists():
            raise ValidationError(_("Record a discussion meeting's minutes first."))
        topic.consultation_opinion = text
        topic.save(update_fields=["consultation_opinion"])
        topic_record(topic=topic, kind="topic.consultation_recorded", by=by)
        topic = topic_status_change(topic=topic, by=by, to=TopicStatus.CONSULTED)
    return topic


# The party organisation's review and the outcome ---------------------------------------


def party_review_record(
    *, topic: Topic, by, reviewed_on: date, reviewed_by: str, outcome: str, note: str = ""
) -> PartyReview:
    """Record the community party organisation's review (Art 30). Ledger
    `topic.party_review_recorded`. A topic returned for more discussion goes back to it."""
    _require(by, Action.RECORD_PARTY_REVIEW, topic.committee)
    reviewed_by = _required_text(reviewed_by, _("Say who reviewed it."))
    note = (note or "").strip()
    if outcome not in PartyReview.Outcome.values:
        raise ValidationError(_("Choose the review's outcome."))
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("The review date cannot be in the future."))
    if outcome == PartyReview.Outcome.RETURNED and not note:
        raise ValidationError(_("Say why the topic was returned: residents will read it."))
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != TopicStatus.CONSULTED:
            raise ValidationError(
                _("The party organisation reviews a topic once it has a consultation opinion.")
            )
        review = PartyReview.objects.create(
            topic=topic,
            reviewed_on=reviewed_on,
            reviewed_by=reviewed_by,
            outcome=outcome,
            note=note,
            recorded_by=by,
        )
        topic_record(
            topic=topic,
            kind="topic.party_review_recorded",
            by=by,
            reviewed_on=reviewed_on.isoformat(),
            reviewed_by=reviewed_by,
            outcome=outcome,
            note=note,
        )
        if outcome == PartyReview.Outcome.RETURNED:
            topic_status_change(topic=topic, by=by, to=TopicStatus.DISCUSSION)
    return review


def _settlement_body(topic: Topic, note: str) -> str:
    return format_html(
        "<h2>{}</h2>{}<h2>{}</h2>{}<h2>{}</h2>{}",
        _("Topic"),
        linebreaks(topic.description, autoescape=True),
        _("Consultation opinion"),
        linebreaks(topic.consultation_opinion or "—", autoescape=True),
        _("How the committee settled it"),
        linebreaks(note, autoescape=True),
    )


def topic_outcome_set(*, topic: Topic, by, to: str, note: str = "") -> Topic:
    """Send the topic to a decision meeting (the party review gate), settle it (a draft
    disclosure item on the committee's board, Art 32; no board, no change) or close it
    with a reason. A joint proposal that reached the statutory share can only go to a
    decision: the rules refuse the rest."""
    _require(by, Action.MANAGE_TOPIC, topic.committee)
    if to not in OUTCOMES:
        raise ValidationError(_("Choose what happens to the topic."))
    note = (note or "").strip()
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        # Ask the rules first: a refused settlement must leave no draft behind.
        _may_change_or_raise(topic, to=to, note=note)
        draft = None
        if to == TopicStatus.SETTLED:
            from townhall.disclosures.services import disclosure_draft_create

            # The disclosure is written in the site's language; errors in the reader's.
            with translation.override(settings.LANGUAGE_CODE):
                title = _("Consultation outcome: %(title)s") % {"title": topic.title}
                body = _settlement_body(topic, note)
            draft = disclosure_draft_create(
                committee=topic.committee,
                title=title,
                category="consultations",
                body_html=body,
                period_start=timezone.localdate(topic.created_at),
                period_end=timezone.localdate(),
                by=by,
            )
        topic = topic_status_change(topic=topic, by=by, to=to, note=note)
        if draft is not None:
            topic.settlement_disclosure = draft
            topic.save(update_fields=["settlement_disclosure"])
    return topic

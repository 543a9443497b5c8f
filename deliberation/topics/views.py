"""Pages about topics: the committee's list, a topic's discussion, joint proposals, and
the committee's steps from opinions to an outcome. Each view checks the gatekeeper and
calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.community.models import ResidentsCommittee
from townhall.community.refusals import refusal_for

from .. import rules
from ..permissions import Action, check, may_try
from . import discussion, forms, proposals, selectors, services
from .models import Comment, DiscussionMeeting, Origin, Topic, TopicStatus


def _refusal(request, action: Action, committee: ResidentsCommittee):
    return refusal_for(request, check(request.user, action, committee), committee)


def _topic(pk: int) -> Topic:
    return get_object_or_404(Topic.objects.select_related("committee__community"), pk=pk)


def _to_topic(topic: Topic, anchor: str = ""):
    response = redirect("deliberation:topic_detail", pk=topic.pk)
    response["Location"] += anchor
    return response


def topic_list(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    status = request.GET.get("status", "")
    status = status if status in TopicStatus.values else ""
    topics = selectors.topics_of(committee, status).exclude(status=TopicStatus.PROPOSED)
    show_proposals = status in ("", TopicStatus.PROPOSED)
    context = {
        "committee": committee,
        "status": status,
        "statuses": TopicStatus.choices,
        "page": Paginator(topics, 20).get_page(request.GET.get("page")),
        "proposals": selectors.proposals_collecting(committee) if show_proposals else [],
        "show_proposals": show_proposals,
        "can_propose": may_try(request.user, Action.SIGN, committee),
        "can_manage": may_try(request.user, Action.MANAGE_TOPIC, committee),
    }
    return render(request, "deliberation/topics/topic_list.html", context)


def _detail_context(request, topic: Topic, comment_form=None) -> dict:
    user, committee = request.user, topic.committee
    return {
        "topic": topic,
        "committee": committee,
        "page": selectors.topic_page(topic, user),
        "comments_open": topic.status not in services.FINISHED,
        "can_comment": may_try(user, Action.COMMENT, committee),
        "can_sign": may_try(user, Action.SIGN, committee),
        "can_manage": may_try(user, Action.MANAGE_TOPIC, committee),
        "can_review": may_try(user, Action.RECORD_PARTY_REVIEW, committee),
        "ready": services.topic_ready_for_decision(topic),
        "comment_form": comment_form or forms.CommentForm(),
        "statutory": topic.origin == Origin.JOINT_PROPOSAL and topic.threshold_reached_at,
        "outcome_choices": _outcome_choices(topic),
        "decisions": selectors.topic_decisions(topic),
    }


def topic_detail(request, pk):
    topic = _topic(pk)
    return render(request, "deliberation/topics/topic_detail.html", _detail_context(request, topic))


@login_required
@require_POST
def topic_comment(request, pk):
    topic = _topic(pk)
    if refusal := _refusal(request, Action.COMMENT, topic.committee):
        return refusal
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        parent_pk = form.cleaned_data["parent"]
        parent = Comment.objects.filter(pk=parent_pk).first() if parent_pk else None
        try:
            comment = discussion.comment_post(
                topic=topic, author=request.user, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return _to_topic(topic, f"#comment-{comment.pk}")
    context = _detail_context(request, topic, comment_form=form)
    return render(request, "deliberation/topics/topic_detail.html", context)


@login_required
def topic_propose(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.SIGN, committee):
        return refusal
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = proposals.joint_proposal_start(
                committee=committee, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your proposal is published with your signature. Ask neighbours to sign it."),
            )
            return _to_topic(topic)
    return render(
        request, "deliberation/topics/topic_propose.html", {"committee": committee, "form": form}
    )


@login_required
@require_POST
def topic_sign(request, pk):
    topic = _topic(pk)
    if refusal := _refusal(request, Action.SIGN, topic.committee):
        return refusal
    try:
        counted = proposals.proposal_sign(topic=topic, person=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if counted:
            messages.success(request, _("You signed this proposal."))
        else:
            messages.info(request, _("You had already signed this proposal."))
    return _to_topic(topic)


def _selected_opinions(request) -> set[str]:
    if request.method == "POST":
        return set(request.POST.getlist("opinions"))
    return {pk for value in request.GET.getlist("opinions") for pk in value.split(",") if pk}


def _opinion_choices(committee, request) -> list:
    """The open opinions to show as checkboxes: those matching the search, and those
    already chosen whatever the search."""
    selected = _selected_opinions(request)
    query = request.GET.get("q", "")
    shown = list(selectors.open_opinions(committee, query)[:100])
    shown_pks = {str(opinion.pk) for opinion in shown}
    missing = [pk for pk in selected - shown_pks if pk.isdigit()]
    chosen = list(selectors.open_opinions(committee).filter(pk__in=missing)) if missing else []
    return [
        {"opinion": opinion, "checked": str(opinion.pk) in selected} for opinion in chosen + shown
    ]


@login_required
def topic_create(request, slug):
    committee = get_object_or_404(ResidentsCommittee, slug=slug)
    if refusal := _refusal(request, Action.MANAGE_TOPIC, committee):
        return refusal
    form = forms.TopicForm(request.POST or None, opinions=selectors.open_opinions(committee))
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(committee=committee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic is created; the opinions' authors are told."))
            return _to_topic(topic)
    context = {
        "committee": committee,
        "form": form,
        "choices": _opinion_choices(committee, request),
        "query": request.GET.get("q", ""),
    }
    return render(request, "deliberation/topics/topic_create.html", context)


@login_required
def topic_merge(request, pk):
    topic = _topic(pk)
    committee = topic.committee
    if refusal := _refusal(request, Action.MANAGE_TOPIC, committee):
        return refusal
    form = forms.MergeForm(request.POST or None, opinions=selectors.open_opinions(committee))
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_opinions_merge(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The opinions are merged; their authors are told."))
            return _to_topic(topic, "#opinions")
    context = {
        "topic": topic,
        "committee": committee,
        "form": form,
        "choices": _opinion_choices(committee, request),
        "query": request.GET.get("q", ""),
        "closed": topic.status in services.FINISHED,
    }
    return render(request, "deliberation/topics/topic_merge.html", context)


def _form_page(request, topic, *, action, form, apply, done, title, submit, lead="", anchor=""):
    """A committee step on one form page: check, validate, call the service, or show
    the form again with what was typed and the reason."""
    if refusal := _refusal(request, action, topic.committee):
        return refusal
    if request.method == "POST" and form.is_valid():
        try:
            apply(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _to_topic(topic, anchor)
    context = {"topic": topic, "form": form, "title": title, "submit": submit, "lead": lead}
    return render(request, "deliberation/topics/form.html", context)


@login_required
def topic_stakeholder_add(request, pk):
    topic = _topic(pk)
    form = forms.StakeholderForm(request.POST or None, community=topic.committee.community)
    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=lambda data: discussion.stakeholder_add(topic=topic, by=request.user, **data),
        done=_("The stakeholder is listed as invited."),
        title=_("Invite a stakeholder"),
        submit=_("Invite"),
        lead=_(
            "The “6+X” practice: the party organisation, the committee, the supervision "
            "committee, residents' groups, social organisations, respected residents, "
            "and those the topic concerns."
        ),
        anchor="#stakeholders",
    )


@login_required
def topic_document_add(request, pk):
    topic = _topic(pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=lambda data: discussion.topic_document_add(topic=topic, by=request.user, **data),
        done=_("The document is attached."),
        title=_("Attach a document"),
        submit=_("Attach"),
        lead=_("Anyone can download it from the topic page: attach nothing private."),
        anchor="#documents",
    )


@login_required
def topic_meeting_schedule(request, pk):
    topic = _topic(pk)
    form = forms.MeetingScheduleForm(request.POST or None)
    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=lambda data: discussion.discussion_meeting_schedule(
            topic=topic, by=request.user, **data
        ),
        done=_("The meeting is scheduled; the people who brought the topic are told."),
        title=_("Schedule a discussion meeting"),
        submit=_("Schedule"),
        anchor="#meetings",
    )


@login_required
def topic_meeting_record(request, pk, meeting_pk):
    topic = _topic(pk)
    meeting = get_object_or_404(DiscussionMeeting, pk=meeting_pk, topic=topic)
    meeting.topic = topic
    initial = {"attendee_count": meeting.attendee_count or None, "minutes": meeting.minutes}
    form = forms.MeetingRecordForm(request.POST or None, initial=initial)

    def apply(data):
        discussion.discussion_meeting_record(
            meeting=meeting,
            by=request.user,
            attendee_count=data["attendee_count"],
            attendees=data["attendee_phones"],
            minutes=data["minutes"],
        )

    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=apply,
        done=_("The meeting's attendance and minutes are recorded."),
        title=_("Record the meeting of %(date)s") % {"date": f"{meeting.held_at:%Y-%m-%d}"},
        submit=_("Record"),
        lead=meeting.place,
        anchor="#meetings",
    )


@login_required
def topic_consultation(request, pk):
    topic = _topic(pk)
    form = forms.ConsultationOpinionForm(request.POST or None)
    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=lambda data: discussion.consultation_opinion_record(
            topic=topic, by=request.user, **data
        ),
        done=_("The consultation opinion is recorded."),
        title=_("Record the consultation opinion"),
        submit=_("Record"),
        lead=_("The outcome of the discussion. The party organisation reviews it next."),
        anchor="#consultation",
    )


@login_required
def topic_party_review(request, pk):
    topic = _topic(pk)
    form = forms.PartyReviewForm(request.POST or None)
    return _form_page(
        request,
        topic,
        action=Action.RECORD_PARTY_REVIEW,
        form=form,
        apply=lambda data: discussion.party_review_record(topic=topic, by=request.user, **data),
        done=_("The party organisation's review is recorded."),
        title=_("Record the party organisation's review"),
        submit=_("Record"),
        lead=_("Before a topic goes to a decision, the community party organisation reviews it."),
        anchor="#party-review",
    )


def _outcome_choices(topic: Topic) -> list[str]:
    statutory = topic.origin == Origin.JOINT_PROPOSAL and topic.threshold_reached_at
    return [
        to
        for to in (TopicStatus.TO_DECISION, TopicStatus.SETTLED, TopicStatus.CLOSED)
        if to in rules.TOPIC_NEXT[topic.status]
        and not (statutory and to != TopicStatus.TO_DECISION)
    ]


def _outcome_lead(topic: Topic) -> str:
    ready = services.topic_ready_for_decision(topic)
    if ready:
        return _("The consultation opinion and the party organisation's review are in place.")
    return _("Not ready for a decision yet: %(reason)s") % {"reason": ready.reason}


@login_required
def topic_outcome(request, pk):
    topic = _topic(pk)
    choices = _outcome_choices(topic)
    if not choices and not _refusal(request, Action.MANAGE_TOPIC, topic.committee):
        messages.info(request, _("This topic cannot change its outcome now."))
        return _to_topic(topic)
    form = forms.OutcomeForm(request.POST or None, choices=choices)
    return _form_page(
        request,
        topic,
        action=Action.MANAGE_TOPIC,
        form=form,
        apply=lambda data: services.topic_outcome_set(topic=topic, by=request.user, **data),
        done=_("The topic's outcome is recorded; the people who brought it are told."),
        title=_("Decide what happens to the topic"),
        submit=_("Confirm"),
        lead=_outcome_lead(topic),
        anchor="#outcome",
    )

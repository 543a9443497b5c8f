"""Forms for decision meetings: what the committee types; the services check the law."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.accounts.models import User

from ..decisions.models import Decision
from ..topics.models import Topic, TopicStatus
from .models import Body, Meeting, Motion


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: User) -> str:
        # Office holders' real names are public.
        return person.real_name or str(person)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return f"{decision.motion.title} · {decision.decided_at:%Y-%m-%d}"


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("Deciding body"), choices=Body.choices)
    by_household = forms.BooleanField(
        label=_("One representative per household"),
        required=False,
        help_text=_("Residents' assembly only: each household sends one person."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    chair = OfficialChoiceField(label=_("Chair"), queryset=User.objects.none())
    secretary = OfficialChoiceField(
        label=_("Secretary (keeps the minutes)"), queryset=User.objects.none(), required=False
    )
    short_notice_reason = forms.CharField(
        label=_("Reason for short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when the meeting starts less than 10 days from now; the meeting is "
            "then marked as held at short notice."
        ),
    )
    charter_authorisation = DecisionChoiceField(
        label=_("Authorisation to amend the charter"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_(
            "Representatives' assembly only: the residents' assembly decision that "
            "authorised it to amend the charter or the convention."
        ),
    )

    def __init__(self, *args, officials, authorisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = officials
        self.fields["secretary"].queryset = officials
        self.fields["charter_authorisation"].queryset = authorisations


class MotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Motion.Kind.choices)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=_("For a motion from a topic: topics sent to a decision meeting."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Text of the motion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    revises = DecisionChoiceField(
        label=_("Revokes or changes the decision"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_(
            "Art 30: the residents' assembly may revoke or change an improper decision of "
            "the representatives' assembly. The old decision stays as it was, linked to this one."
        ),
    )
    revision = forms.ChoiceField(
        label=_("Revokes or changes it"),
        choices=[("", "—"), *Motion._meta.get_field("revision").choices],
        required=False,
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(
            committee=meeting.committee, status=TopicStatus.TO_DECISION
        ).order_by("-pk")
        if meeting.body == Body.ASSEMBLY:
            self.fields["revises"].queryset = (
                Decision.objects.filter(
                    committee=meeting.committee,
                    passed=True,
                    motion__meeting__body=Body.REPRESENTATIVES,
                )
                .select_related("motion")
                .order_by("-decided_at")
            )
        else:
            del self.fields["revises"], self.fields["revision"]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("revises")) != bool(cleaned.get("revision")):
            raise forms.ValidationError(
                _("Choose both the decision and whether the motion revokes or changes it.")
            )
        return cleaned


class CountForm(forms.Form):
    yes = forms.IntegerField(label=_("For"), min_value=0)
    no = forms.IntegerField(label=_("Against"), min_value=0)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0, initial=0)

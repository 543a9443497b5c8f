"""Forms for topics: what the committee and residents type; services decide the rest."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.accounts.adapter import normalize_mobile
from townhall.accounts.models import User
from townhall.community.models import SocialOrganization

from ..opinions.models import Opinion
from .models import ConsultationForm, PartyReview, StakeholderKind, Topic, TopicStatus

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class OpinionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, opinion: Opinion) -> str:
        return opinion.title


class TopicForm(forms.ModelForm):
    opinions = OpinionChoiceField(
        label=_("Opinions to merge into it"),
        queryset=Opinion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Their authors are told, and the opinions will point to this topic."),
    )

    class Meta:
        model = Topic
        fields = ["title", "description", "consultation_form"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, opinions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].queryset = opinions
        self.fields["consultation_form"].choices = ConsultationForm.choices


class MergeForm(forms.Form):
    opinions = OpinionChoiceField(
        label=_("Opinions to merge into this topic"),
        queryset=Opinion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their authors are told, and the opinions will point to this topic."),
    )

    def __init__(self, *args, opinions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].queryset = opinions


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "description"]
        labels = {"description": _("What you propose, and why")}
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StakeholderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who"), choices=StakeholderKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_(
            "The organisation or person invited. For a social organisation, choose it below."
        ),
    )
    social_organization = forms.ModelChoiceField(
        label=_("Social organisation"), queryset=SocialOrganization.objects.none(), required=False
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_organization"].queryset = community.social_organizations.all()

    def clean(self):
        data = super().clean()
        if not data.get("name", "").strip() and not data.get("social_organization"):
            self.add_error("name", _("Name who is invited."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, CSV or a picture; up to 20 MB.")
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingScheduleForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("A room, or “online” with how to join.")
    )


class MeetingRecordForm(forms.Form):
    attendee_count = forms.IntegerField(label=_("People present"), min_value=0, max_value=100000)
    attendee_phones = forms.CharField(
        label=_("Verified residents present"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "tel"}),
        help_text=_("Their mobile numbers, one a line. Others present are only counted."),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))

    def clean_attendee_phones(self):
        phones = {
            normalize_mobile(line) for line in self.cleaned_data["attendee_phones"].splitlines()
        } - {""}
        people = list(User.objects.filter(phone__in=phones))
        unknown = phones - {person.phone for person in people}
        if unknown:
            raise forms.ValidationError(
                _("No account uses these numbers: %(phones)s.")
                % {"phones": ", ".join(sorted(unknown))}
            )
        return people


class ConsultationOpinionForm(forms.Form):
    text = forms.CharField(
        label=_("Consultation opinion (协商意见)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the discussion agreed, as residents will read it."),
    )


class PartyReviewForm(forms.ModelForm):
    class Meta:
        model = PartyReview
        fields = ["reviewed_on", "reviewed_by", "outcome", "note"]
        widgets = {
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    to = forms.ChoiceField(label=_("What happens to the topic"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("How it was settled, or why it is closed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Residents will read this. Not needed to send it to a decision."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            TopicStatus.TO_DECISION: _("Send it to a decision meeting"),
            TopicStatus.SETTLED: _("The committee settles it (a disclosure item is drafted)"),
            TopicStatus.CLOSED: _("Close it"),
        }
        self.fields["to"].choices = [(value, labels[value]) for value in choices]

"""Forms for opinion collection meetings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.community.models import ResidentsCommittee

from . import selectors
from .models import CollectionMeeting


class CollectionMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    held_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Leave empty only for a meeting held online."),
    )
    online = forms.BooleanField(label=_("Held online"), required=False)
    grids = forms.ModelMultipleChoiceField(
        label=_("Grids invited"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, committee: ResidentsCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grids"].queryset = committee.grids.all()
        self.fields["grids"].label_from_instance = lambda grid: grid.name


class AttendanceForm(forms.Form):
    attendee_count = forms.IntegerField(label=_("Number of people present"), min_value=0)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Verified residents present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick those you know by name; the number present counts everyone."),
    )

    def __init__(self, *args, meeting: CollectionMeeting, **kwargs):
        kwargs.setdefault(
            "initial",
            {"attendee_count": meeting.attendee_count, "attendees": list(meeting.attendees.all())},
        )
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = selectors.collection_residents(meeting)
        self.fields["attendees"].label_from_instance = lambda person: (
            f"{person.real_name or person} · {person.phone_display}"
        )


class LinkOpinionsForm(forms.Form):
    opinions = forms.ModelMultipleChoiceField(
        label=_("Opinions gathered at this meeting"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting: CollectionMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].queryset = selectors.collection_opinions_linkable(meeting)
        self.fields["opinions"].label_from_instance = lambda opinion: (
            f"{opinion.title} · {opinion.grid.name} · {opinion.submitted_at:%Y-%m-%d}"
        )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What was raised and what the committee will do. Published as a disclosure "
            "after the supervision committee's review."
        ),
    )

    def __init__(self, *args, meeting: CollectionMeeting, **kwargs):
        kwargs.setdefault("initial", {"summary": meeting.summary})
        super().__init__(*args, **kwargs)

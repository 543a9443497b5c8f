from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Finding


class FindingForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Finding.Severity.choices, initial=Finding.Severity.CONCERN
    )
    text = forms.CharField(
        label=_("What you found"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what is missing or untrue, and what you expect the committee to do."),
    )


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Response"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

"""The staff form for recording a version the residents' assembly adopted."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")  # the format <input type=date> reads


class CharterVersionForm(forms.Form):
    """Only the fields; `services.charter_version_adopt` holds the rules."""

    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        strip=False,
        help_text=_("The articles as adopted, one per paragraph."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        widget=DateInput(),
        help_text=_("The day of the residents' assembly that adopted it."),
    )
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        help_text=_("The day the text takes effect: that day or later."),
    )
    adoption_reference = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        help_text=_("The resolution that adopted it, e.g. 2026年第2次居民会议决议"),
    )

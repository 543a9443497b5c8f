"""The secretary's minutes form and the decision list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Who spoke, what was said, what was decided. Saved as you go."),
    )


class DecisionFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), ("passed", _("Passed")), ("failed", _("Not passed"))],
    )
    execution = forms.ChoiceField(
        label=_("Execution"),
        required=False,
        choices=[("", _("Any")), *Decision.Execution.choices, ("overdue", _("Overdue"))],
    )

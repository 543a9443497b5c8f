"""Forms for reporting, hiding, appealing and deciding appeals."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=300,
        help_text=_("Only moderators read this."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=300,
        help_text=_("Everyone reads this in place of the text; the author can appeal once."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DismissForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the record"),
        max_length=300,
        required=False,
        widget=forms.TextInput,
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should it be shown again?"),
        max_length=1000,
        help_text=_("You can appeal once. A moderator answers you in your inbox."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold the appeal: show it again")),
            ("reject", _("Reject the appeal: it stays hidden")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the author"),
        max_length=1000,
        help_text=_("The author reads this in their inbox."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

"""The form for starting a petition to convene a deciding body."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, Petition


class PetitionForm(forms.ModelForm):
    body = forms.ChoiceField(
        label=_("Which body to convene"),
        choices=Body.choices,
        initial=Body.ASSEMBLY,
        widget=forms.RadioSelect,
        help_text=_(
            "Residents may ask for the residents' assembly; only resident "
            "representatives may ask for the representatives' assembly."
        ),
    )

    class Meta:
        model = Petition
        fields = ["body", "title", "reason"]
        labels = {"reason": _("Why the meeting is needed")}
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 6}),
        }

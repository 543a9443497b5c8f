from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.accounts.adapter import MobileField

from .models import Grid, ResidentsCommittee


class ClaimForm(forms.Form):
    real_name = forms.CharField(
        label=_("Real name"),
        max_length=50,
        help_text=_("As on your ID card. Only your grid worker and community staff see it."),
    )
    committee = forms.ModelChoiceField(
        label=_("Residents' committee"), queryset=ResidentsCommittee.objects.all()
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"), queryset=Grid.objects.select_related("committee")
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Building, unit and room, e.g. 3栋2单元501"),
    )

    def __init__(self, *args, committee: ResidentsCommittee | None = None, **kwargs):
        """`committee`: the one chosen first. Only its grids are offered; any grid is
        still accepted by the field so that one of another committee is refused by
        `clean` with a message that says why."""
        super().__init__(*args, **kwargs)
        self.committee = committee
        if committee is not None:
            self.fields["committee"].widget = forms.HiddenInput()
            self.initial["committee"] = committee.pk
            grid = self.fields["grid"]
            grid.widget.choices = [("", "---------")] + [
                (g.pk, g.name) for g in committee.grids.order_by("name", "pk")
            ]

    def clean(self):
        cleaned = super().clean()
        committee, grid = cleaned.get("committee"), cleaned.get("grid")
        if committee and grid and grid.committee_id != committee.pk:
            self.add_error("grid", _("That grid belongs to another residents' committee."))
        return cleaned


class CommitteeChoiceForm(forms.Form):
    """The claim's first step: which residents' committee, so that its grids follow."""

    committee = forms.ModelChoiceField(
        label=_("Residents' committee"),
        queryset=ResidentsCommittee.objects.order_by("name"),
        to_field_name="slug",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The person will read this."),
        error_messages={"required": _("Say why the claim is rejected; the person will read it.")},
    )


class AssistedRegistrationForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to show the real name's surname only."),
    )
    phone = MobileField(required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Grid.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200)
    consent_given = forms.BooleanField(
        label=_("I explained the privacy notice to the resident and they agreed"),
        error_messages={"required": _("The resident's consent is needed to register them.")},
    )

    def __init__(self, *args, committee: ResidentsCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = committee.grids.all()
